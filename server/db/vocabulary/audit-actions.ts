/**
 * The audit trail's vocabulary (审计日志): every action the writers put in audit_log.action,
 * with the label users read and the family it is filtered by. The one list: the
 * auditEvents resolver labels rows with it, its category filter becomes `action IN (…)`
 * from it, the CSV export writes its labels, and a test holds every writer's action in it.
 * An action missing here still shows, as itself under 其他.
 */

/** The families, in the order the filter lists them (schema/audit.graphql). */
export const AUDIT_CATEGORIES = [
  '登录',
  '上传',
  '问题处理',
  '督导检查',
  '考核',
  '数据疑点',
  '用户管理',
  '其他',
] as const;

export type AuditCategory = (typeof AUDIT_CATEGORIES)[number];

/** The category of actions not in AUDIT_ACTIONS. */
export const OTHER_CATEGORY: AuditCategory = '其他';

export interface AuditActionEntry {
  action: string;
  label: string;
  category: AuditCategory;
}

export const AUDIT_ACTIONS: readonly AuditActionEntry[] = [
  { action: 'auth.login', label: '登录', category: '登录' },
  { action: 'auth.logout', label: '退出登录', category: '登录' },
  { action: 'auth.change_password', label: '修改本人密码', category: '登录' },
  { action: 'upload', label: '上传报表', category: '上传' },
  // Downloading a kept original (数据来源) reads uploaded files: filed with the uploads.
  { action: 'originals.download', label: '下载原始文件', category: '上传' },
  { action: 'flags.request_rectification', label: '下发整改', category: '问题处理' },
  { action: 'flags.record_rectification', label: '登记整改结果', category: '问题处理' },
  { action: 'flags.close', label: '核查销号', category: '问题处理' },
  { action: 'flags.dismiss', label: '撤销违规预警', category: '问题处理' },
  { action: 'visits.record', label: '登记督导检查', category: '督导检查' },
  { action: 'draws.draw', label: '抽取四不两直学校', category: '督导检查' },
  { action: 'complaints.record', label: '登记投诉举报', category: '问题处理' },
  { action: 'complaints.assign', label: '指定投诉承办人', category: '问题处理' },
  { action: 'complaints.raise_flag', label: '投诉转为违规预警', category: '问题处理' },
  { action: 'complaints.link_visit', label: '投诉关联督导检查', category: '问题处理' },
  { action: 'complaints.close', label: '投诉举报办结', category: '问题处理' },
  // Evidence files (photos, documents) of visits, complaints and rectifications.
  { action: 'evidence.upload', label: '上传证据材料', category: '督导检查' },
  { action: 'evidence.download', label: '下载证据材料', category: '督导检查' },
  { action: 'evidence.delete', label: '删除证据材料', category: '督导检查' },
  // The review of school-months (报表审核, issue 17): filed with the uploads they judge.
  { action: 'reviews.submit', label: '提交报表', category: '上传' },
  { action: 'reviews.approve', label: '审核通过报表', category: '上传' },
  { action: 'reviews.return', label: '退回报表', category: '上传' },
  { action: 'reviews.unlock', label: '解锁已审核报表', category: '上传' },
  { action: 'evaluation.publish', label: '发布考核结果', category: '考核' },
  // 学期备案: a school's filing, and the bureau's 受理 / 退回.
  { action: 'filings.file', label: '学期备案', category: '督导检查' },
  { action: 'filings.review', label: '审核学期备案', category: '督导检查' },
  { action: 'DOUBT_VERIFIED', label: '疑点核实无误', category: '数据疑点' },
  { action: 'DOUBT_CORRECTION_REQUESTED', label: '疑点要求更正', category: '数据疑点' },
  { action: 'users.add', label: '添加用户', category: '用户管理' },
  { action: 'users.reset', label: '重置演示用户', category: '用户管理' },
  { action: 'users.disable', label: '停用用户', category: '用户管理' },
  { action: 'users.enable', label: '启用用户', category: '用户管理' },
  { action: 'users.passwd', label: '重设密码', category: '用户管理' },
  { action: 'users.update', label: '修改用户', category: '用户管理' },
  { action: 'backup', label: '备份数据', category: '其他' },
  { action: 'audit.export', label: '导出审计日志', category: '其他' },
];

const BY_ACTION = new Map(AUDIT_ACTIONS.map((a) => [a.action, a]));

/** An action as users read it; an unknown action is shown as itself under 其他. */
export function auditAction(action: string): AuditActionEntry {
  return BY_ACTION.get(action) ?? { action, label: action, category: OTHER_CATEGORY };
}

export function isAuditCategory(value: string): value is AuditCategory {
  return (AUDIT_CATEGORIES as readonly string[]).includes(value);
}

/** The known actions of a category (其他: those listed under it; unknown ones come on top). */
export function actionsOf(category: AuditCategory): string[] {
  return AUDIT_ACTIONS.filter((a) => a.category === category).map((a) => a.action);
}
