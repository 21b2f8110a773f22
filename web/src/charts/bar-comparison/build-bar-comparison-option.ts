/**
 * Categories compared side by side (townships, schools, grades): one bar group per
 * category, one bar per series, horizontal when the category names are long or many.
 * An optional reference line marks a mean or threshold.
 */
import type { BarSeriesOption, EChartsOption } from 'echarts';
import { baseOption } from '../base-option.ts';
import { seriesLook } from '../palette.ts';
import { axisFormatter, plotText, plotValue, type ValueKind } from '../value-kind.ts';

export interface BarSeries {
  name: string;
  /** One value per category (API units); null = no data. */
  values: readonly (number | null)[];
}

export interface BarInput {
  categories: readonly string[];
  series: readonly BarSeries[];
  kind: ValueKind;
  /** Bars run left to right with categories down the side. Default: more than 8 categories. */
  horizontal?: boolean;
  reference?: { label: string; value: number } | null;
  /** Print each bar's value at its end. */
  labels?: boolean;
}

export function buildBarComparisonOption(input: BarInput): EChartsOption | null {
  const hasData = input.series.some((s) => s.values.some((v) => v !== null));
  if (!hasData || input.categories.length === 0) return null;
  const horizontal = input.horizontal ?? input.categories.length > 8;
  const series: BarSeriesOption[] = input.series.map((s, index) => ({
    type: 'bar',
    name: s.name,
    data: s.values.map((v) => plotValue(input.kind, v)),
    itemStyle: { color: seriesLook(index).color },
    barMaxWidth: 28,
    label: {
      show: input.labels ?? false,
      position: horizontal ? 'right' : 'top',
      formatter: (p: { value: unknown }) => plotText(input.kind, p.value as number | null),
      fontSize: 11,
    },
    ...(index === 0 && input.reference
      ? {
          markLine: {
            silent: true,
            symbol: 'none',
            lineStyle: { type: 'dashed', color: '#b3261e' },
            label: { formatter: input.reference.label, position: 'end' },
            data: [
              horizontal
                ? { xAxis: plotValue(input.kind, input.reference.value) ?? 0 }
                : { yAxis: plotValue(input.kind, input.reference.value) ?? 0 },
            ],
          },
        }
      : {}),
  }));
  const categoryAxis = {
    type: 'category' as const,
    data: [...input.categories],
    axisLabel: {
      interval: 0,
      ...(horizontal ? {} : { rotate: input.categories.length > 5 ? 30 : 0 }),
    },
    ...(horizontal ? { inverse: true } : {}),
  };
  const valueAxis = {
    type: 'value' as const,
    axisLabel: { formatter: axisFormatter(input.kind) },
  };
  return {
    ...baseOption(),
    legend: { top: 4, type: 'scroll', show: input.series.length > 1 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      confine: true,
      valueFormatter: (value) => plotText(input.kind, value as number | null),
    },
    grid: {
      left: 12,
      right: 56,
      top: input.series.length > 1 ? 36 : 16,
      bottom: 16,
      outerBoundsMode: 'same',
      outerBoundsContain: 'axisLabel',
    },
    xAxis: horizontal ? valueAxis : categoryAxis,
    yAxis: horizontal ? categoryAxis : valueAxis,
    series,
  };
}
