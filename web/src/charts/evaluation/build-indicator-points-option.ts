/**
 * A school's evaluation card: each indicator's points against its maximum and against the
 * median points of the school's peer group (same stage and 城乡类型). Sideways bars, one
 * group per indicator; an indicator without data (数据不足) shows no bar and says so in
 * the data table behind the chart.
 */
import type { EChartsOption } from 'echarts';
import { buildBarComparisonOption } from '../bar-comparison/build-bar-comparison-option.ts';
import { GAP_NOTE } from '../chart-table.ts';

/** One indicator of the card, as the API's EvaluationIndicator. */
export interface IndicatorPoints {
  name: string;
  points: number;
  maxPoints: number;
  insufficientData: boolean;
  /** Null below 3 schools in the peer group. */
  peerMedianPoints: number | null;
}

export const INSUFFICIENT_DATA = '数据不足';

export function buildIndicatorPointsOption(
  indicators: readonly IndicatorPoints[],
): EChartsOption | null {
  const option = buildBarComparisonOption({
    categories: indicators.map((i) => i.name),
    kind: 'score',
    horizontal: true,
    labels: true,
    series: [
      {
        name: '得分',
        values: indicators.map((i) => (i.insufficientData ? null : i.points)),
      },
      { name: '满分', values: indicators.map((i) => i.maxPoints) },
      { name: '同类学校中位数', values: indicators.map((i) => i.peerMedianPoints) },
    ],
  });
  if (!option) return null;
  // The missing points carry why they are missing into the data table ("数据不足", not "—").
  const series = option.series as { data: (number | null | object)[] }[];
  const scored = series[0];
  if (scored)
    scored.data = scored.data.map((value, index) =>
      indicators[index]?.insufficientData ? { value: null, [GAP_NOTE]: INSUFFICIENT_DATA } : value,
    );
  return option;
}
