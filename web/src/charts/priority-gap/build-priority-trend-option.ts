/**
 * Monthly participation rates of all students and of each priority group (from `trend`,
 * oldest first): lines that differ in dash and marker as well as colour.
 */
import type { EChartsOption } from 'echarts';
import type { PriorityGroup } from '../../api/__generated__/schema-types.ts';
import { GROUP_LABEL, GROUPS } from '../../format/labels.ts';
import { buildTrendLinesOption } from '../trend-lines/build-trend-lines-option.ts';

export interface PriorityTrendRow {
  month: string;
  participationRate: number | null;
  priorityGroups: readonly { group: PriorityGroup; rate: number | null }[];
}

export function buildPriorityTrendOption(rows: readonly PriorityTrendRow[]): EChartsOption | null {
  const rateOf = (row: PriorityTrendRow, g: PriorityGroup) =>
    row.priorityGroups.find((s) => s.group === g)?.rate ?? null;
  return buildTrendLinesOption({
    months: rows.map((r) => r.month),
    kind: 'rate',
    series: [
      { name: '全体学生', values: rows.map((r) => r.participationRate) },
      ...GROUPS.map((g) => ({ name: GROUP_LABEL[g], values: rows.map((r) => rateOf(r, g)) })),
    ],
  });
}
