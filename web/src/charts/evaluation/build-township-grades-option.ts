/**
 * Leadership's grade distribution by township: one stacked bar per township, 优秀 / 良好 /
 * 合格 / 不合格 schools from the API's TownshipGrades. Counts, so the bar's length is the
 * township's schools evaluated.
 */
import type { EChartsOption } from 'echarts';
import { buildBarComparisonOption } from '../bar-comparison/build-bar-comparison-option.ts';
import { EVALUATION_GRADE_LABEL } from '../../format/labels.ts';
import { TONE } from '../palette.ts';

export interface TownshipGradeCounts {
  township: string;
  excellent: number;
  good: number;
  pass: number;
  fail: number;
}

/** The grades bottom to top, with colours that stay apart in grey print. */
export const GRADE_SERIES = [
  { key: 'excellent', name: EVALUATION_GRADE_LABEL.EXCELLENT, color: TONE.good },
  { key: 'good', name: EVALUATION_GRADE_LABEL.GOOD, color: '#1f3f8f' },
  { key: 'pass', name: EVALUATION_GRADE_LABEL.PASS, color: '#c9b458' },
  { key: 'fail', name: EVALUATION_GRADE_LABEL.FAIL, color: TONE.alert },
] as const;

export function buildTownshipGradesOption(
  rows: readonly TownshipGradeCounts[],
): EChartsOption | null {
  const option = buildBarComparisonOption({
    categories: rows.map((r) => r.township),
    kind: 'count',
    horizontal: rows.length > 8,
    series: GRADE_SERIES.map((g) => ({ name: g.name, values: rows.map((r) => r[g.key]) })),
  });
  if (!option) return null;
  // Whole schools: no 0.5 ticks on the count axis.
  for (const axis of [option.xAxis, option.yAxis] as { type?: string; minInterval?: number }[])
    if (axis.type === 'value') axis.minInterval = 1;
  const series = option.series as Record<string, unknown>[];
  option.series = series.map((s, index) => ({
    ...s,
    stack: 'grades',
    itemStyle: { color: GRADE_SERIES[index]?.color },
    label: { show: false },
  })) as EChartsOption['series'];
  return option;
}
