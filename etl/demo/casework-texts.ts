/**
 * What the demo's people write while working a flag: a 整改 request, the school's
 * rectification report, a closing note, a dismissal's reason, a visit's findings. Keyed by
 * flag code; codes without their own text share the general one.
 */

const REQUEST: Record<string, string> = {
  LATE_END: '立即调整课后服务作息，确保按规定时间结束，做好学生离校交接',
  SHORT_SERVICE: '按规定落实每周5天、每天不少于2小时的课后服务',
  ILLEGAL_FEES: '按核定标准收费，退还多收费用，免收对象一律不得收费，并在校内公示收费标准',
  UNAPPROVED_PROVIDER: '立即停止未经审批的第三方机构进校服务，按程序补办遴选审批',
  EXCESS_HOMEWORK: '严格控制作业辅导时段，一二年级不得布置书面作业',
  OVERSIZED_GROUP: '调整课后服务分组，每组人数不超过规定上限',
  SAFETY_INCIDENT: '查明事故原因，完善课后服务安全管理和应急处置制度',
  FORCED_PARTICIPATION: '坚持家长自愿申请，不得整班组织学生参加课后服务',
  PRIORITY_GAP: '逐一摸排重点群体学生需求，优先保障其参加课后服务',
  NOT_OFFERED: '尽快恢复课后服务，做到愿留尽留',
  COLLECTIVE_TEACHING: '立即停止利用课后服务时间集体讲授新课，调整服务内容',
  COMMERCIAL_ACTIVITY: '立即停止推销行为，对相关人员批评教育',
  STAFF_ETHICS: '对相关教师进行师德约谈，在全校范围通报',
  PREMISES_TO_TRAINING: '收回出借场地，停止向校外培训机构提供场地',
};

const REPORT: Record<string, string> = {
  LATE_END: '已调整作息，课后服务于规定时间前结束，附调整后的作息表和离校交接记录。',
  SHORT_SERVICE: '已恢复每周5天课后服务，每天不少于2小时，附服务安排表和考勤记录。',
  ILLEGAL_FEES:
    '已按标准重新核定收费，多收费用已全部退还，收费标准已在校门口公示，附退费清单和公示照片。',
  UNAPPROVED_PROVIDER: '已停止该机构进校服务，补办遴选程序并报教育局备案。',
  EXCESS_HOMEWORK: '已调整作业辅导安排，一二年级不再布置书面作业，附调整后的课表。',
  OVERSIZED_GROUP: '已拆分人数超标的服务组，每组不超过45人，附分组名单。',
  SAFETY_INCIDENT: '已查明事故原因并完善安全制度，组织全体服务教师安全培训。',
  FORCED_PARTICIPATION: '已重新组织家长自愿申请，退出学生已妥善安排，附申请回执。',
  PRIORITY_GAP: '已逐一家访重点群体学生家庭，新增参加课后服务学生名单附后。',
  NOT_OFFERED: '已恢复课后服务，附本月服务安排和考勤记录。',
  COLLECTIVE_TEACHING: '已停止集体讲授新课，课后服务时段改为答疑和社团活动，附调整后的安排表。',
  COMMERCIAL_ACTIVITY: '已停止推销并退还学生购书款，相关人员已作书面检查。',
  STAFF_ETHICS: '已对相关教师约谈并全校通报，教师签订不参与有偿补课承诺书。',
  PREMISES_TO_TRAINING: '已收回场地，出借协议已终止。',
};

const DISMISS = [
  '经核实，系学校填报错误，已核对原始台账，问题不成立。',
  '经核实，当月数据系统计口径理解有误，实际执行符合规定，问题不成立。',
  '经核实，当月调整经教育局批准（研学活动），问题不成立。',
];

const MISSING_DISMISS = '经核实，该校当月因校舍维修停课，未开展课后服务，无需报送月报。';

export function requestText(code: string, deadline: string): string {
  return `${REQUEST[code] ?? '对照规定逐项整改'}。请于${deadline}前报送整改报告及佐证材料。`;
}

export function reportText(code: string): string {
  return REPORT[code] ?? '已按要求完成整改，附整改报告。';
}

export function closeText(withVisit: boolean): string {
  return withVisit
    ? '回访核实整改到位，予以销号。'
    : '审核整改报告和佐证材料，整改到位，予以销号。';
}

export function dismissText(code: string, pick: (n: number) => number): string {
  return code === 'MISSING_REPORT'
    ? MISSING_DISMISS
    : (DISMISS[pick(DISMISS.length)] ?? (DISMISS[0] as string));
}

/** Findings of a visit that found nothing wrong. */
export const CLEAN_FINDINGS = [
  '课后服务按时开展，学生签到和家长接送交接记录完整。',
  '抽查两个服务班，内容以作业辅导和社团活动为主，秩序良好。',
  '收费公示栏信息及时更新，家长知晓率高。',
  '服务教师到岗到位，安全巡查记录齐全。',
  '访谈学生和家长各5名，对课后服务总体满意。',
];

export const EVIDENCE = [
  '现场查看课后服务课堂2个，查阅考勤表和交接记录，访谈学生5名。',
  '查阅收费公示、服务协议和签到台账，拍照留存。',
  '随机访谈家长3名、教师2名，查看安全应急预案。',
];

/** Problems a visit finds that only an inspection can evidence, with the checklist item. */
export const VISIT_FINDINGS = [
  {
    code: 'COLLECTIVE_TEACHING',
    item: 'CONTENT',
    detail: '六年级课后服务第二时段由数学教师集体讲授新课',
    findings: '抽查发现六年级课后服务第二时段集体讲授新课，学生反映已持续两周。',
  },
  {
    code: 'COMMERCIAL_ACTIVITY',
    item: 'CONTENT',
    detail: '课后服务期间向学生推销课外辅导资料',
    findings: '有家长反映并经现场核实，课后服务期间向学生推销课外辅导资料。',
  },
  {
    code: 'STAFF_ETHICS',
    item: 'CONTENT',
    detail: '服务教师动员学生参加其校外有偿补课',
    findings: '访谈学生得知，一名服务教师动员学生参加其校外有偿补课。',
  },
  {
    code: 'PREMISES_TO_TRAINING',
    item: 'SAFETY',
    detail: '校内功能教室周末出借给校外培训机构',
    findings: '现场查看发现校内功能教室周末出借给校外培训机构使用。',
  },
] as const;
