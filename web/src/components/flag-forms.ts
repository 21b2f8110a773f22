/**
 * Checks of the rectification and visit forms before they are sent, in Chinese, mirroring
 * the server's rules (which still decide): required texts, a deadline from today to one
 * year ahead, a visit date not in the future. "Today" is the date in Asia/Shanghai.
 */
import type { FlagStep } from '../api/__generated__/schema-types.ts';

/** Longest note, request, reason or detail the server accepts (characters). */
export const MAX_TEXT = 2000;
/** Longest visit findings or evidence. */
export const MAX_LONG_TEXT = 4000;

/** Today's date in Beijing time, "YYYY-MM-DD". */
export { currentDate as todayInShanghai } from '../../../server/db/calendar.ts';

/** The date one year after `date`; 29 February gives 1 March (as the server does). */
export function oneYearAfter(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + 1);
  return d.toISOString().slice(0, 10);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface StepValues {
  deadline: string;
  /** The request, the school's report, the closing note or the dismissal reason. */
  text: string;
  note: string;
  visitId: string;
}

export type StepErrors = Partial<Record<keyof StepValues, string>>;

function textError(text: string, label: string, max = MAX_TEXT): string | null {
  const trimmed = text.trim();
  if (trimmed.length === 0) return `请填写${label}`;
  if ([...trimmed].length > max) return `${label}最多 ${max} 个字`;
  return null;
}

/** What the step's label for its main text is. */
export const STEP_TEXT_LABEL: Record<FlagStep, string> = {
  REQUEST_RECTIFICATION: '整改要求',
  RECORD_RECTIFICATION: '学校整改情况',
  CLOSE: '核查意见',
  DISMISS: '撤销理由',
};

/** The form's errors by field; empty when it may be sent. */
export function validateStep(step: FlagStep, values: StepValues, today: string): StepErrors {
  const errors: StepErrors = {};
  const text = textError(values.text, STEP_TEXT_LABEL[step]);
  if (text) errors.text = text;
  if (step === 'REQUEST_RECTIFICATION') {
    if (!DATE.test(values.deadline)) errors.deadline = '请选择整改期限';
    else if (values.deadline < today) errors.deadline = '整改期限不能早于今天';
    else if (values.deadline > oneYearAfter(today)) errors.deadline = '整改期限最长为一年';
  }
  if (step === 'RECORD_RECTIFICATION' && [...values.note.trim()].length > MAX_TEXT)
    errors.note = `备注最多 ${MAX_TEXT} 个字`;
  return errors;
}

export interface VisitFlagRow {
  code: string;
  detail: string;
}

export interface VisitValues {
  schoolCode: string;
  date: string;
  findings: string;
  evidence: string;
  flags: readonly VisitFlagRow[];
}

export interface VisitErrors {
  schoolCode?: string;
  date?: string;
  findings?: string;
  evidence?: string;
  /** By row index. */
  flags: Record<number, { code?: string; detail?: string }>;
}

export function validateVisit(values: VisitValues, today: string): VisitErrors {
  const errors: VisitErrors = { flags: {} };
  if (!values.schoolCode) errors.schoolCode = '请选择学校';
  if (!DATE.test(values.date)) errors.date = '请选择检查日期';
  else if (values.date > today) errors.date = '检查日期不能晚于今天';
  const findings = textError(values.findings, '检查发现', MAX_LONG_TEXT);
  if (findings) errors.findings = findings;
  if ([...values.evidence.trim()].length > MAX_LONG_TEXT)
    errors.evidence = `佐证材料最多 ${MAX_LONG_TEXT} 个字`;
  const seen = new Set<string>();
  values.flags.forEach((row, i) => {
    const rowErrors: { code?: string; detail?: string } = {};
    if (!row.code) rowErrors.code = '请选择违规预警类型';
    else if (seen.has(row.code)) rowErrors.code = '同一类型只能提出一次';
    seen.add(row.code);
    const detail = textError(row.detail, '问题描述');
    if (detail) rowErrors.detail = detail;
    if (rowErrors.code || rowErrors.detail) errors.flags[i] = rowErrors;
  });
  return errors;
}

/** True when a validation result has no error. */
export function isValid(errors: StepErrors | VisitErrors): boolean {
  return Object.entries(errors).every(([key, value]) =>
    key === 'flags' ? Object.keys(value as object).length === 0 : !value,
  );
}
