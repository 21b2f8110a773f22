/**
 * Monthly participation rates of all students and of each priority group (from `trend`,
 * oldest first): lines that differ in dash and marker as well as colour.
 */
import type { EChartsOption } from 'echarts';
import { groupRateSeries, type GroupRateStat } from './group-series.ts';
import { buildTrendLinesOption } from '../trend-lines/build-trend-lines-option.ts';

export interface PriorityTrendRow {
  month: string;
  participationRate: number | null;
  priorityGroups: readonly GroupRateStat[];
}

export function buildPriorityTrendOption(rows: readonly PriorityTrendRow[]): EChartsOption | null {
  return buildTrendLinesOption({
    months: rows.map((r) => r.month),
    kind: 'rate',
    series: [
      { name: '全体学生', values: rows.map((r) => r.participationRate) },
      ...groupRateSeries(rows.map((r) => r.priorityGroups)),
    ],
  });
}
