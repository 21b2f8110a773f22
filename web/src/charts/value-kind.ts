/**
 * How a chart shows its values. Rates arrive as fractions and are drawn as percent numbers
 * with one decimal (the axis says %); scores are 0..100; counts are integers.
 */
import { integer, percent, score } from '../format/format.ts';

export type ValueKind = 'rate' | 'score' | 'count';

/** The plotted number of an API value (rates: 0.6234 → 62.3). */
export function plotValue(kind: ValueKind, value: number | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  if (kind === 'rate') return Math.round(value * 1000) / 10;
  if (kind === 'score') return Math.round(value * 10) / 10;
  return value;
}

/** Tooltip / label text of a plotted number. */
export function plotText(kind: ValueKind, plotted: number | null | undefined): string {
  if (plotted === null || plotted === undefined) return '—';
  if (kind === 'rate') return percent(plotted / 100);
  if (kind === 'score') return score(plotted);
  return integer(plotted);
}

export function axisFormatter(kind: ValueKind): string {
  return kind === 'rate' ? '{value}%' : '{value}';
}
