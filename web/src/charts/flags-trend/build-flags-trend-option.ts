/**
 * New flags per month, stacked by their current status: how many problems each month's
 * evidence raised and how many of them are still open. Months without flags show 0 (a
 * month with no rows had no flags, not missing data).
 */
import type { BarSeriesOption, EChartsOption } from 'echarts';
import { integer, monthShort } from '../../format/format.ts';
import { baseOption } from '../base-option.ts';
import {
  FLAG_STATUS_COLOR,
  statusesIn,
  type FlagCountRow,
  type FlagStatusEntry,
} from '../flag-status-series.ts';

export interface FlagsTrendInput {
  /** The months on the axis, oldest first ("YYYY-MM"). */
  months: readonly string[];
  counts: readonly FlagCountRow[];
  /** The status vocabulary (`flagStatuses`): order and labels of the stacks. */
  statuses: readonly FlagStatusEntry[];
}

/** null when no month in range has a flag. */
export function buildFlagsTrendOption(input: FlagsTrendInput): EChartsOption | null {
  const rows = input.counts.filter((r) => r.count > 0 && input.months.includes(r.month));
  if (rows.length === 0 || input.months.length === 0) return null;
  const series: BarSeriesOption[] = statusesIn(rows, input.statuses).map(({ status, label }) => ({
    type: 'bar',
    name: label,
    stack: 'status',
    barMaxWidth: 28,
    itemStyle: { color: FLAG_STATUS_COLOR[status] },
    emphasis: { focus: 'series' },
    data: input.months.map((month) =>
      rows.filter((r) => r.month === month && r.status === status).reduce((s, r) => s + r.count, 0),
    ),
  }));
  return {
    ...baseOption(),
    legend: { top: 4, type: 'scroll' },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      confine: true,
      valueFormatter: (value) => integer(value as number | null),
    },
    grid: { left: 12, right: 16, top: 36, bottom: 8 },
    xAxis: { type: 'category', data: input.months.map(monthShort), axisLabel: { interval: 0 } },
    yAxis: { type: 'value', minInterval: 1, name: '条', nameGap: 8 },
    series,
  };
}
