/**
 * The one home of the 投诉与举报 vocabulary: sources and statuses with their Chinese and
 * English labels. The server answers them (schema/complaints.graphql `complaintSources`,
 * `complaintStatuses`); the web app keeps no copy.
 */
import type {
  ComplaintAction,
  ComplaintSource,
  ComplaintStatus,
} from '../tables/complaints.table.ts';

export const COMPLAINT_SOURCE_VOCABULARY = [
  { source: 'HOTLINE_12345', label: '12345热线', labelEn: '12345 hotline' },
  { source: 'INSPECTOR_PHONE', label: '督学电话', labelEn: "Inspector's phone" },
  { source: 'LETTER', label: '来信', labelEn: 'Letter' },
  { source: 'ONLINE', label: '网上留言', labelEn: 'Online' },
] as const satisfies readonly { source: ComplaintSource; label: string; labelEn: string }[];

export const COMPLAINT_STATUS_VOCABULARY = [
  { status: 'RECEIVED', label: '待办理', labelEn: 'Received', open: true },
  { status: 'INVESTIGATING', label: '核查中', labelEn: 'Investigating', open: true },
  { status: 'CLOSED', label: '已办结', labelEn: 'Closed', open: false },
] as const satisfies readonly {
  status: ComplaintStatus;
  label: string;
  labelEn: string;
  open: boolean;
}[];

/** Statuses of a complaint still being handled (it counts as open, and can go overdue). */
export const OPEN_COMPLAINT_STATUSES: readonly ComplaintStatus[] =
  COMPLAINT_STATUS_VOCABULARY.filter((s) => s.open).map((s) => s.status);

const SOURCE_LABELS = new Map<string, string>(
  COMPLAINT_SOURCE_VOCABULARY.map((s) => [s.source, s.label]),
);
const STATUS_LABELS = new Map<string, string>(
  COMPLAINT_STATUS_VOCABULARY.map((s) => [s.status, s.label]),
);

export function complaintSourceLabel(source: ComplaintSource): string {
  return SOURCE_LABELS.get(source) ?? source;
}

export function complaintStatusLabel(status: ComplaintStatus): string {
  return STATUS_LABELS.get(status) ?? status;
}

/** A complaint's history steps as users read them (Complaint.events). */
export const COMPLAINT_ACTION_LABELS: Readonly<Record<ComplaintAction, string>> = {
  RECEIVED: '登记',
  ASSIGNED: '指定承办人',
  FLAG_RAISED: '转为违规预警',
  VISIT_LINKED: '关联督导检查',
  CLOSED: '办结',
  REOPENED: '重新办理',
  NOTE: '备注',
};
