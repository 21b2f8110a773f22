/**
 * A chart's figures as a table: what screen readers read (the canvas says nothing) and
 * what tests compare with hand-computed values. Derived from the built option, so it
 * always shows exactly what is drawn, formatted like the tooltip.
 */
import type { EChartsOption } from 'echarts';

export interface ChartTable {
  headers: string[];
  rows: string[][];
}

type AxisLike = { type?: string; data?: unknown[] };
type SeriesLike = { type?: string; name?: string; data?: unknown[] };

function asArray<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** A data item's property saying why its value is missing (shown in the table instead of —). */
export const GAP_NOTE = 'gapNote';

function gapNote(item: unknown): string | null {
  if (item === null || typeof item !== 'object' || !(GAP_NOTE in item)) return null;
  const note = (item as Record<string, unknown>)[GAP_NOTE];
  return typeof note === 'string' ? note : null;
}

function rawValue(item: unknown): unknown {
  if (item !== null && typeof item === 'object' && 'value' in item)
    return (item as { value: unknown }).value;
  return item;
}

export function chartTable(option: EChartsOption | null): ChartTable | null {
  if (!option) return null;
  const tooltip = asArray(
    option.tooltip as { valueFormatter?: (v: unknown) => string } | undefined,
  )[0];
  const format = (v: unknown): string => {
    const value = rawValue(v);
    if (value === null || value === undefined || value === '-') return gapNote(v) ?? '—';
    if (Array.isArray(value)) return value.map((x) => String(x)).join(' / ');
    return tooltip?.valueFormatter ? tooltip.valueFormatter(value) : String(value);
  };
  const series = asArray(option.series as SeriesLike | SeriesLike[] | undefined);
  const axes = [
    ...asArray(option.xAxis as AxisLike | AxisLike[]),
    ...asArray(option.yAxis as AxisLike | AxisLike[]),
  ];
  const categoryAxis = axes.find((a) => a.type === 'category' && Array.isArray(a.data));
  if (categoryAxis?.data) {
    const categories = categoryAxis.data.map((c) => String(rawValue(c)));
    return {
      headers: ['', ...series.map((s) => s.name ?? '')],
      rows: categories.map((category, i) => [category, ...series.map((s) => format(s.data?.[i]))]),
    };
  }
  // Category-free charts (pie): one row per named item.
  const rows = series.flatMap((s) =>
    (s.data ?? []).map((item) => [String((item as { name?: unknown }).name ?? ''), format(item)]),
  );
  return { headers: ['', series[0]?.name ?? ''], rows };
}
