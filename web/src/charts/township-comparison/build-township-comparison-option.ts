/**
 * Townships side by side: participation and demand met per township, with the whole
 * scope's participation rate as a dashed reference line (the API's figure for the scope,
 * not a mean of the townships).
 */
import type { EChartsOption } from 'echarts';
import { percent } from '../../format/format.ts';
import { buildBarComparisonOption } from '../bar-comparison/build-bar-comparison-option.ts';
import { referenceLabelInside } from '../reference-inside.ts';

export interface TownshipRateRow {
  township: string;
  participationRate: number | null;
  demandMetRate: number | null;
}

export interface TownshipComparisonInput {
  rows: readonly TownshipRateRow[];
  /** The scope's own participation rate and how to name the scope ("全区", "当前范围"). */
  overall: { label: string; participationRate: number | null } | null;
}

export function buildTownshipComparisonOption(
  input: TownshipComparisonInput,
): EChartsOption | null {
  const overall = input.overall;
  const option = buildBarComparisonOption({
    categories: input.rows.map((r) => r.township),
    kind: 'rate',
    labels: input.rows.length <= 12,
    series: [
      { name: '学生参与率', values: input.rows.map((r) => r.participationRate) },
      { name: '需求满足率', values: input.rows.map((r) => r.demandMetRate) },
    ],
    reference:
      overall && overall.participationRate !== null
        ? {
            label: `${overall.label}参与率 ${percent(overall.participationRate)}`,
            value: overall.participationRate,
          }
        : null,
  });
  return referenceLabelInside(option);
}
