/**
 * Categories compared side by side (townships, schools, grades): one bar group per
 * category, one bar per series, horizontal when the category names are long or many.
 * An optional reference line marks a mean or threshold.
 */
import type { BarSeriesOption, EChartsOption } from 'echarts';
import { baseOption } from '../base-option.ts';
import { boundedAxis } from '../bounded-axis.ts';
import { notedData, notedFormatter } from '../gap-notes.ts';
import { seriesLook } from '../palette.ts';
import { axisFormatter, plotText, plotValue, type ValueKind } from '../value-kind.ts';

export interface BarSeries {
  name: string;
  /** One value per category (API units); null = no data. */
  values: readonly (number | null)[];
  /**
   * Per category, what a missing value stands for (e.g. "<10人" for a figure the server
   * withheld): the tooltip and the chart's data table say it instead of "—".
   */
  notes?: readonly (string | null)[];
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

/** Width in px of one line of 12 px text: CJK characters are square, the rest about half. */
export function textWidth(text: string, fontSize = 12): number {
  return [...text].reduce(
    (w, ch) => w + (/[\u2e80-\uffff]/u.test(ch) ? fontSize : fontSize * 0.6),
    0,
  );
}

/** Room right of the plot for value labels ("100.0%") and the reference label. */
const RIGHT_GUTTER = 56;
/** Height of a bar's value label above the bar. */
const VALUE_LABEL_HEIGHT = 16;

export function buildBarComparisonOption(input: BarInput): EChartsOption | null {
  // A withheld figure ("<10人") is something to show too: the axes with its note.
  const hasData = input.series.some(
    (s) => s.values.some((v) => v !== null) || s.notes?.some((n) => n !== null),
  );
  if (!hasData || input.categories.length === 0) return null;
  const horizontal = input.horizontal ?? input.categories.length > 8;
  const valueLabels = input.labels ?? false;
  // Over upright bars the reference line is level; its label ("合计 46.2%") goes beyond the
  // plot's right end, in two lines, in a gutter wide enough for it: inside the plot it sat on
  // the last bars and their value labels.
  const referenceLines = input.reference && !horizontal ? input.reference.label.split(' ') : null;
  const gutter = referenceLines
    ? Math.max(RIGHT_GUTTER, Math.ceil(Math.max(...referenceLines.map((l) => textWidth(l)))) + 12)
    : RIGHT_GUTTER;
  const series: BarSeriesOption[] = input.series.map((s, index) => ({
    type: 'bar',
    name: s.name,
    data: notedData(
      s.values.map((v) => plotValue(input.kind, v)),
      s.notes,
    ),
    ...(s.notes ? { tooltip: { valueFormatter: notedFormatter(input.kind, s.notes) } } : {}),
    itemStyle: { color: seriesLook(index).color },
    barMaxWidth: 28,
    label: {
      show: valueLabels,
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
            label: {
              formatter: referenceLines ? referenceLines.join('\n') : input.reference.label,
              // Sideways bars run top to bottom (inverse axis): the line's start is its top
              // end, above the plot; its end would sit on the value axis' labels.
              position: horizontal ? 'start' : 'end',
            },
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
  // Rates and scores stop at 100 with ticks that never crowd it (bounded-axis.ts).
  const bounds =
    input.kind === 'count'
      ? null
      : boundedAxis(
          [
            ...series.flatMap((s) => s.data as (number | null)[]),
            input.reference ? plotValue(input.kind, input.reference.value) : null,
          ],
          { fromZero: true },
        );
  const valueAxis = {
    type: 'value' as const,
    axisLabel: { formatter: axisFormatter(input.kind) },
    ...(bounds ?? {}),
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
      right: gutter,
      // A full bar's value label sits above the plot: room for it under the legend.
      top:
        (input.series.length > 1 ? 36 : 16) +
        (valueLabels && !horizontal ? VALUE_LABEL_HEIGHT : 0) +
        // The reference label of sideways bars sits above the plot, under the legend.
        (input.reference && horizontal ? VALUE_LABEL_HEIGHT : 0),
      bottom: 16,
      outerBoundsMode: 'same',
      outerBoundsContain: 'axisLabel',
    },
    xAxis: horizontal ? valueAxis : categoryAxis,
    yAxis: horizontal ? categoryAxis : valueAxis,
    series,
  };
}
