/**
 * The four priority groups' participation rates for the scope as bars, with the overall
 * participation rate of the same scope as the dashed reference line the gap is measured
 * against. A group whose figures the server withheld (small-cell protection) shows "<10人".
 */
import type { EChartsOption } from 'echarts';
import { percent } from '../../format/format.ts';
import { withheld, withheldRateText } from '../../format/small-cell.ts';
import type { GroupRateStat } from './group-series.ts';
import { plotValue } from '../value-kind.ts';
import { buildBarComparisonOption } from '../bar-comparison/build-bar-comparison-option.ts';
import { referenceLabelInside } from '../reference-inside.ts';

export function buildPriorityGroupsOption(
  groups: readonly GroupRateStat[],
  overallRate: number | null,
): EChartsOption | null {
  const option = buildBarComparisonOption({
    // A withheld group draws no bar; its axis label says why ("残疾儿童 <10人").
    categories: groups.map((g) => (withheld(g) ? `${g.label}\n${withheldRateText(g)}` : g.label)),
    kind: 'rate',
    horizontal: false,
    labels: true,
    series: [
      {
        name: '群体参与率',
        values: groups.map((g) => (withheld(g) ? null : g.rate)),
        notes: groups.map((g) => (withheld(g) ? withheldRateText(g) : null)),
      },
    ],
    reference:
      overallRate === null
        ? null
        : { label: `全体学生 ${percent(overallRate)}`, value: overallRate },
  });
  return referenceLabelInside(withReferenceInView(option, overallRate));
}

/**
 * ECharts sizes the value axis to the bars only: a school's rate above every group's bar
 * would draw its reference line off the plot. The axis reaches the next ten above it.
 */
function withReferenceInView(
  option: EChartsOption | null,
  overallRate: number | null,
): EChartsOption | null {
  const reference = plotValue('rate', overallRate);
  if (!option || reference === null) return option;
  const reach = Math.min(100, Math.ceil(reference / 10) * 10);
  return {
    ...option,
    yAxis: { ...(option.yAxis as object), max: (v: { max: number }) => Math.max(v.max, reach) },
  };
}
