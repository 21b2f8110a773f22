/**
 * A sparkline's geometry for an inline SVG (a table of 100 schools must not create 100
 * chart instances): values → `points` of one polyline per run of consecutive values, a dot
 * for each value standing alone, scaled between the values' min and max. A null value is a
 * gap, never drawn as zero.
 */

export interface SparklinePoint {
  x: number;
  y: number;
}

export interface SparklineGeometry {
  /** One SVG `points` attribute ("x,y x,y …") per run of two or more consecutive values. */
  lines: string[];
  /** Values with no neighbour on either side (a line needs two points). */
  dots: SparklinePoint[];
  /** The last non-null value's point (marked at the line's end); null when there is none. */
  last: SparklinePoint | null;
  /** Smallest and largest value (API units); null when every value is null. */
  min: number | null;
  max: number | null;
}

export interface SparklineBox {
  width: number;
  height: number;
  /** Room kept free on every side, so markers are not clipped (default 2). */
  padding?: number;
}

const round = (n: number): number => Math.round(n * 10) / 10;

/** Geometry of `values` (oldest first, one per period) inside width × height. */
export function buildSparklinePoints(
  values: readonly (number | null)[],
  box: SparklineBox,
): SparklineGeometry {
  const pad = box.padding ?? 2;
  const present = values.filter((v): v is number => v !== null);
  if (present.length === 0) return { lines: [], dots: [], last: null, min: null, max: null };
  const min = Math.min(...present);
  const max = Math.max(...present);
  const innerW = box.width - 2 * pad;
  const innerH = box.height - 2 * pad;
  const x = (i: number): number =>
    round(values.length === 1 ? box.width / 2 : pad + (i * innerW) / (values.length - 1));
  // A flat series sits in the middle; otherwise the max touches the top, the min the bottom.
  const y = (v: number): number =>
    round(max === min ? box.height / 2 : pad + ((max - v) / (max - min)) * innerH);

  const runs: SparklinePoint[][] = [];
  let run: SparklinePoint[] = [];
  values.forEach((v, i) => {
    if (v === null) {
      if (run.length > 0) runs.push(run);
      run = [];
    } else run.push({ x: x(i), y: y(v) });
  });
  if (run.length > 0) runs.push(run);

  const lines = runs
    .filter((r) => r.length > 1)
    .map((r) => r.map((p) => `${p.x},${p.y}`).join(' '));
  const dots = runs.filter((r) => r.length === 1).map((r) => r[0]!);
  const last = runs.at(-1)?.at(-1) ?? null;
  return { lines, dots, last, min, max };
}

/** The months from `from` to `to` inclusive ("YYYY-MM"), oldest first. */
export { monthSequence } from '../../../../server/db/calendar.ts';

/** One value per month of `months`: the point's value, null where the month has no point. */
export function alignToMonths<P extends { month: string }>(
  months: readonly string[],
  points: readonly P[],
  value: (point: P) => number | null,
): (number | null)[] {
  const byMonth = new Map(points.map((p) => [p.month, p]));
  return months.map((m) => {
    const point = byMonth.get(m);
    return point ? value(point) : null;
  });
}
