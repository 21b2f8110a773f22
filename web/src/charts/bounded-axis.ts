/**
 * The value axis of rates (percent numbers) and scores, which never exceed 100. ECharts'
 * own "nice" ticks may step by 3 or 15 and then add the forced 100 as an extra label: 99 and
 * 100 (or 90 and 100) drawn on top of each other. Here every step divides 100, so the ticks
 * run min, min + step, …, max with 100 one of them and no label squeezed in beside it.
 */
export interface AxisBounds {
  min: number;
  max: number;
  interval: number;
}

/** Steps that divide 100: a tick always lands on 100 and on 0. */
const STEPS = [0.5, 1, 2, 5, 10, 20, 25, 50] as const;
const CEILING = 100;
/** Above this the axis runs to 100: a near-full rate is read against the whole. */
const NEAR_FULL = 90;

/**
 * Bounds for plotted values (0..100, nulls ignored) and any reference value on the axis.
 * `fromZero` for bars (their length means the value); lines may start near their lowest
 * value. `toCeiling` always runs to 100 (scores). null when there is nothing to plot.
 */
export function boundedAxis(
  values: readonly (number | null | undefined)[],
  options: { fromZero: boolean; toCeiling?: boolean; splitNumber?: number },
): AxisBounds | null {
  const present = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (present.length === 0) return null;
  const high = Math.min(CEILING, Math.max(...present));
  const top = high > NEAR_FULL || options.toCeiling ? CEILING : high;
  // A flat line still gets a few ticks of room below it.
  const low = options.fromZero ? 0 : Math.max(0, Math.min(top - 5, ...present));
  const wanted = (top - low) / (options.splitNumber ?? 5);
  const interval = STEPS.find((step) => step >= wanted) ?? 50;
  let min = Math.max(0, Math.floor(low / interval) * interval);
  const max = Math.min(CEILING, Math.max(interval, Math.ceil(top / interval) * interval));
  if (min >= max) min = Math.max(0, max - interval);
  return { min, max, interval };
}

/** The tick values an axis with these bounds draws (what a reader sees). */
export function ticksOf(bounds: AxisBounds): number[] {
  const ticks: number[] = [];
  for (let v = bounds.min; v <= bounds.max + 1e-9; v += bounds.interval) {
    ticks.push(Math.round(v * 10) / 10);
  }
  return ticks;
}
