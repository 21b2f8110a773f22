/**
 * The four priority groups' participation rates for the scope as bars, with the overall
 * participation rate of the same scope as the dashed reference line the gap is measured
 * against.
 */
import type { EChartsOption } from 'echarts';
import type { PriorityGroup } from '../../api/__generated__/schema-types.ts';
import { percent } from '../../format/format.ts';
import { GROUP_LABEL, GROUPS } from '../../format/labels.ts';
import { buildBarComparisonOption } from '../bar-comparison/build-bar-comparison-option.ts';
import { referenceLabelInside } from '../reference-inside.ts';

export interface GroupRate {
  group: PriorityGroup;
  rate: number | null;
}

export function buildPriorityGroupsOption(
  groups: readonly GroupRate[],
  overallRate: number | null,
): EChartsOption | null {
  const rateOf = (g: PriorityGroup) => groups.find((s) => s.group === g)?.rate ?? null;
  const option = buildBarComparisonOption({
    categories: GROUPS.map((g) => GROUP_LABEL[g]),
    kind: 'rate',
    horizontal: false,
    labels: true,
    series: [{ name: '群体参与率', values: GROUPS.map(rateOf) }],
    reference:
      overallRate === null
        ? null
        : { label: `全体学生 ${percent(overallRate)}`, value: overallRate },
  });
  return referenceLabelInside(option);
}
