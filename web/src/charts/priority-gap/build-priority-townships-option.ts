/**
 * Per township, all students' participation rate next to each priority group's, so a
 * group lagging its own township stands out (each township has its own overall rate,
 * hence a bar rather than one reference line).
 */
import type { EChartsOption } from 'echarts';
import { groupRateSeries, type GroupRateStat } from './group-series.ts';
import { buildBarComparisonOption } from '../bar-comparison/build-bar-comparison-option.ts';

export interface TownshipGroupRow {
  township: string;
  participationRate: number | null;
  priorityGroups: readonly GroupRateStat[];
}

export function buildPriorityTownshipsOption(
  rows: readonly TownshipGroupRow[],
): EChartsOption | null {
  return buildBarComparisonOption({
    categories: rows.map((r) => r.township),
    kind: 'rate',
    // Five bars per township fit side by side across the page for up to 12 townships;
    // beyond that the chart runs sideways and grows in height instead.
    horizontal: rows.length > 12,
    series: [
      { name: '全体学生', values: rows.map((r) => r.participationRate) },
      ...groupRateSeries(rows.map((r) => r.priorityGroups)),
    ],
  });
}
