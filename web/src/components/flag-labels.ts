/** Chinese labels the 违规预警 view needs beyond format/labels.ts. */
import type {
  CheckResult,
  ChecklistItem,
  FlagAction,
  FlagResolution,
  FlagStatus,
} from '../api/__generated__/schema-types.ts';

export const FLAG_ACTION_LABEL: Record<FlagAction, string> = {
  RAISED: '产生违规预警',
  EVIDENCE_UPDATED: '证据更新',
  RECTIFICATION_REQUESTED: '下发整改',
  RECTIFIED: '登记整改结果',
  CLOSED: '核查销号',
  DISMISSED: '撤销违规预警',
  AUTO_RESOLVED: '复核数据已达标，自动销号',
  REOPENED: '重新打开',
};

export const FLAG_RESOLUTION_LABEL: Record<FlagResolution, string> = {
  AUTO: '数据更正后自动销号',
  CLOSED: '核查后销号',
  DISMISSED: '撤销',
};

/** The badge tone of a status: open work alerts, finished work is quiet. */
export const FLAG_STATUS_TONE: Record<FlagStatus, 'alert' | 'warning' | 'good' | 'neutral'> = {
  OPEN: 'alert',
  RECTIFYING: 'warning',
  RECTIFIED: 'warning',
  CLOSED: 'good',
  DISMISSED: 'neutral',
};

export const CHECKLIST_ITEMS: readonly ChecklistItem[] = [
  'SERVICE_TIME',
  'CONTENT',
  'SAFETY',
  'FEE_PUBLICITY',
  'ATTENDANCE_RECORDS',
  'HANDOVER_RECORDS',
];

export const CHECKLIST_ITEM_LABEL: Record<ChecklistItem, string> = {
  SERVICE_TIME: '服务时间',
  CONTENT: '服务内容',
  SAFETY: '安全管理',
  FEE_PUBLICITY: '收费公示',
  ATTENDANCE_RECORDS: '考勤记录',
  HANDOVER_RECORDS: '交接记录',
};

export const CHECK_RESULTS: readonly CheckResult[] = ['OK', 'PROBLEM', 'NOT_CHECKED'];

export const CHECK_RESULT_LABEL: Record<CheckResult, string> = {
  OK: '合格',
  PROBLEM: '有问题',
  NOT_CHECKED: '未检查',
};
