/**
 * Flags by violation type, stacked by their current status: one horizontal bar per code
 * (labelled from the flag catalogue), longest first, so the commonest problems and how
 * much of each is still open read at a glance. Counts are summed over the rows given
 * (the caller picks the months).
 */
import type { BarSeriesOption, EChartsOption } from 'echarts';
import { integer } from '../../format/format.ts';
import { baseOption } from '../base-option.ts';
import {
  FLAG_STATUS_COLOR,
  statusesIn,
  type FlagCountRow,
  type FlagStatusEntry,
} from '../flag-status-series.ts';

export interface FlagsByCodeInput {
  counts: readonly FlagCountRow[];
  /** The status vocabulary (`flagStatuses`): order and labels of the stacks. */
  statuses: readonly FlagStatusEntry[];
  /** The catalogue in its order: code → Chinese label. Unknown codes show as themselves. */
  codes: readonly { code: string; label: string }[];
}

/** null when no flag is counted (the panel shows its empty state). */
export function buildFlagsByCodeOption(input: FlagsByCodeInput): EChartsOption | null {
  const rows = input.counts.filter((r) => r.count > 0);
  if (rows.length === 0) return null;
  const order = new Map(input.codes.map((c, i) => [c.code, i]));
  const label = new Map(input.codes.map((c) => [c.code, c.label]));
  const totals = new Map<string, number>();
  for (const r of rows) totals.set(r.code, (totals.get(r.code) ?? 0) + r.count);
  const codes = [...totals.keys()].sort(
    (a, b) =>
      totals.get(b)! - totals.get(a)! ||
      (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity) ||
      a.localeCompare(b),
  );
  const series: BarSeriesOption[] = statusesIn(rows, input.statuses).map(({ status, label }) => ({
    type: 'bar',
    name: label,
    stack: 'status',
    barMaxWidth: 22,
    itemStyle: { color: FLAG_STATUS_COLOR[status] },
    emphasis: { focus: 'series' },
    data: codes.map((code) =>
      rows.filter((r) => r.code === code && r.status === status).reduce((s, r) => s + r.count, 0),
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
    grid: { left: 12, right: 24, top: 36, bottom: 8 },
    xAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: '{value}' } },
    yAxis: {
      type: 'category',
      inverse: true,
      data: codes.map((code) => label.get(code) ?? code),
      axisLabel: { interval: 0, width: 150, overflow: 'truncate' },
    },
    series,
  };
}
