/** The columns the flag tables share: what each cell shows, exports and sorts by. */
import type { FlagsListQuery } from '../api/__generated__/graphql.ts';
import { date, month as monthLabel } from '../format/format.ts';
import { FLAG_SOURCE_LABEL, FLAG_STEP_LABEL } from '../format/labels.ts';
import type { Column } from './table-columns.ts';

export type FlagItem = FlagsListQuery['flags']['items'][number];

/** "2025年11月19日", with "（逾期 3 天）" when overdue; "—" without a deadline. */
export function deadlineText(flag: Pick<FlagItem, 'rectificationDeadline' | 'daysOverdue'>) {
  if (!flag.rectificationDeadline) return '—';
  const overdue = flag.daysOverdue ? `（逾期 ${flag.daysOverdue} 天）` : '';
  return `${date(flag.rectificationDeadline)}${overdue}`;
}

export const SCHOOL_COLUMN: Column<FlagItem> = {
  key: 'school',
  label: '学校',
  value: (f) => f.schoolName ?? f.schoolCode,
  width: 20,
};
export const TOWNSHIP_COLUMN: Column<FlagItem> = {
  key: 'township',
  label: '乡镇',
  value: (f) => f.township,
};
export const MONTH_COLUMN: Column<FlagItem> = {
  key: 'month',
  label: '月份',
  value: (f) => f.month,
  text: (f) => monthLabel(f.month),
};
export const CODE_COLUMN: Column<FlagItem> = {
  key: 'code',
  label: '类型',
  value: (f) => f.codeLabel,
  width: 18,
};
export const DETAIL_COLUMN: Column<FlagItem> = {
  key: 'detail',
  label: '情况',
  value: (f) => f.detail,
  width: 50,
};
export const STATUS_COLUMN: Column<FlagItem> = {
  key: 'status',
  label: '状态',
  value: (f) => f.statusLabel,
};
export const SOURCE_COLUMN: Column<FlagItem> = {
  key: 'source',
  label: '来源',
  value: (f) => FLAG_SOURCE_LABEL[f.source],
};
/** Exports the steps the user may take; the cell shows the button that opens the flag. */
export const ACTIONS_COLUMN: Column<FlagItem> = {
  key: 'actions',
  label: '操作',
  value: (f) => f.allowedSteps.map((s) => FLAG_STEP_LABEL[s]).join('、') || null,
};
