/**
 * Monthly trend lines: one line per series over the months, gaps where a month has no
 * value (never drawn as zero). Lines differ in dash and marker as well as colour.
 */
import type { EChartsOption, LineSeriesOption } from 'echarts';
import { monthShort, NOT_APPLICABLE } from '../../format/format.ts';
import { baseOption } from '../base-option.ts';
import { boundedAxis } from '../bounded-axis.ts';
import { notedData, notedFormatter } from '../gap-notes.ts';
import { seriesLook } from '../palette.ts';
import { axisFormatter, plotText, plotValue, type ValueKind } from '../value-kind.ts';

export interface TrendSeries {
  name: string;
  /** One value per month (API units: rates as fractions); null = no data that month. */
  values: readonly (number | null)[];
  /** Per month, what a missing value stands for (e.g. "<10人", withheld by the server). */
  notes?: readonly (string | null)[];
}

export interface TrendInput {
  months: readonly string[];
  series: readonly TrendSeries[];
  kind: ValueKind;
  /** A horizontal reference line, e.g. the policy floor (API units). */
  reference?: { label: string; value: number } | null;
  /**
   * Per month: true where the figures do not apply (no service expected). Such a month
   * is a gap like any null, and its table cell reads 不适用 instead of a dash.
   */
  notApplicable?: readonly boolean[];
}

/** null when no series has a value in any month (the panel shows 本月暂无数据). */
export function buildTrendLinesOption(input: TrendInput): EChartsOption | null {
  // A withheld figure ("<10人") is something to show too: the axes with its note.
  const hasData = input.series.some(
    (s) => s.values.some((v) => v !== null) || s.notes?.some((n) => n !== null),
  );
  if (!hasData || input.months.length === 0) return null;
  const series: LineSeriesOption[] = input.series.map((s, index) => {
    const look = seriesLook(index);
    return {
      type: 'line',
      name: s.name,
      data: notedData(
        s.values.map((v) => plotValue(input.kind, v)),
        s.values.map((v, i) =>
          input.notApplicable?.[i] && v === null ? NOT_APPLICABLE : (s.notes?.[i] ?? null),
        ),
      ),
      ...(s.notes ? { tooltip: { valueFormatter: notedFormatter(input.kind, s.notes) } } : {}),
      connectNulls: false,
      symbol: look.symbol,
      symbolSize: 6,
      lineStyle: { type: look.lineType, width: 2 },
      itemStyle: { color: look.color },
      ...(index === 0 && input.reference
        ? {
            markLine: {
              silent: true,
              symbol: 'none',
              lineStyle: { type: 'dashed', color: '#b3261e' },
              label: { formatter: input.reference.label, position: 'insideEndTop' },
              data: [{ yAxis: plotValue(input.kind, input.reference.value) ?? 0 }],
            },
          }
        : {}),
    };
  });
  const bounds =
    input.kind === 'count'
      ? null
      : boundedAxis(
          [
            ...series.flatMap((s) => s.data as (number | null)[]),
            input.reference ? plotValue(input.kind, input.reference.value) : null,
          ],
          { fromZero: false, toCeiling: input.kind === 'score' },
        );
  return {
    ...baseOption(),
    legend: { top: 4, type: 'scroll', show: input.series.length > 1 },
    tooltip: {
      trigger: 'axis',
      confine: true,
      valueFormatter: (value) => plotText(input.kind, value as number | null),
    },
    xAxis: { type: 'category', data: input.months.map(monthShort), boundaryGap: false },
    yAxis: {
      type: 'value',
      axisLabel: { formatter: axisFormatter(input.kind) },
      // Rates and scores never exceed 100, and their ticks never crowd it (bounded-axis.ts).
      ...(bounds ?? {}),
      scale: input.kind !== 'count',
    },
    series,
  };
}
