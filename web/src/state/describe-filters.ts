/** The filters in words, for export notes, print headers and captions. */
import { parsePeriod, type Period } from '../../../server/db/calendar.ts';
import { LOCALITY_LABEL, STAGE_LABEL } from '../format/labels.ts';
import { DASH } from '../format/format.ts';
import type { Filters } from './filters.ts';

/** "月份：2025年10月" for a month, "统计周期：2025-2026学年第一学期" for a semester or a year. */
export function describePeriod(period: Period | string | null): string {
  const p = typeof period === 'string' ? parsePeriod(period) : period;
  if (!p || p.kind === 'MONTH') return `月份：${p?.label ?? DASH}`;
  return `统计周期：${p.label}`;
}

const REPORT_TITLE = { MONTH: '月度报告', SEMESTER: '学期报告', YEAR: '学年报告' } as const;

/** "课后服务督导月度报告" for a month, 学期报告 / 学年报告 for a semester or a school year. */
export function reportTitle(period: Period | null): string {
  return `课后服务督导${REPORT_TITLE[period?.kind ?? 'MONTH']}`;
}

/** `period` is the period shown (a Period, or its key such as "2025-09"). */
export function describeFilters(filters: Filters, period: Period | string | null): string {
  return [
    describePeriod(period),
    `乡镇（街道）：${filters.township ?? '全部'}`,
    `学段：${filters.stage ? STAGE_LABEL[filters.stage] : '全部'}`,
    `城乡类型：${filters.locality ? LOCALITY_LABEL[filters.locality] : '全部'}`,
    ...(filters.approvedOnly ? ['仅已审核数据'] : []),
  ].join('；');
}
