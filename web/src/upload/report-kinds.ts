/** The report kinds of report-formats.md as the upload view names them. */
import type { ReportKind } from '../api/upload-answer.ts';

export const REPORT_KIND_LABEL: Record<ReportKind, string> = {
  registry: '学校名录',
  assignments: '督学挂牌',
  monthly: '月报',
  participation: '分年级参与情况',
  survey: '满意度问卷',
};

/** What one unit of loading is: rows of a unit load or are rejected together. */
export const REPORT_UNIT_LABEL: Record<ReportKind, string> = {
  registry: '所学校',
  assignments: '个校·生效月',
  monthly: '个校·月',
  participation: '个校·月',
  survey: '份问卷文件',
};

/** In the order a folder loads (registry → assignments → the rest), with what each holds. */
export const REPORT_KINDS: readonly { kind: ReportKind; holds: string }[] = [
  { kind: 'registry', holds: '每校一行：标识码、乡镇、学段、城乡、教师总数' },
  { kind: 'assignments', holds: '每个督学—学校一行：督学编号、姓名、学校标识码' },
  { kind: 'monthly', holds: '每校每月一行：开展天数、服务时长、收费、教师、班额等' },
  { kind: 'participation', holds: '每校每月每年级一行：在校生、申请、参加及四类群体人数' },
  { kind: 'survey', holds: '问卷星等平台导出，每位答卷人一行' },
];

function isReportKind(kind: string): kind is ReportKind {
  return kind in REPORT_KIND_LABEL;
}

/** The Chinese name of a kind as the API spells it; "未识别" for null, the code for another. */
export function kindLabel(kind: string | null | undefined): string {
  if (kind === null || kind === undefined) return '未识别';
  return isReportKind(kind) ? REPORT_KIND_LABEL[kind] : kind;
}

export function unitLabel(kind: string | null | undefined): string {
  return kind && isReportKind(kind) ? REPORT_UNIT_LABEL[kind] : '个单元';
}
