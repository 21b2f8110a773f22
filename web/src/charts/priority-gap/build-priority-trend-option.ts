/**
 * Monthly participation rates of all students and of each priority group (from `trend`,
 * oldest first): lines that differ in dash and marker as well as colour.
 */
import type { EChartsOption } from 'echarts';
import type { PriorityGroup } from '../../api/__generated__/schema-types.ts';
import { groupNames } from './group-names.ts';
import { buildTrendLinesOption } from '../trend-lines/build-trend-lines-option.ts';

export interface PriorityTrendRow {
  month: string;
  participationRate: number | null;
  priorityGroups: readonly { group: PriorityGroup; label: string; rate: number | null }[];
}

export function buildPriorityTrendOption(rows: readonly PriorityTrendRow[]): EChartsOption | null {
  const rateOf = (row: PriorityTrendRow, g: PriorityGroup) =>
    row.priorityGroups.find((s) => s.group === g)?.rate ?? null;
  return buildTrendLinesOption({
    months: rows.map((r) => r.month),
    kind: 'rate',
    series: [
      { name: '全体学生', values: rows.map((r) => r.participationRate) },
      ...groupNames(rows.map((r) => r.priorityGroups)).map((g) => ({
        name: g.label,
        values: rows.map((r) => rateOf(r, g.group)),
      })),
    ],
  });
}
