import { describe, expect, it } from 'vitest';
import { buildTrendLinesOption } from '../../../web/src/charts/trend-lines/build-trend-lines-option.ts';
import { buildBarComparisonOption } from '../../../web/src/charts/bar-comparison/build-bar-comparison-option.ts';
import { boundedAxis, ticksOf } from '../../../web/src/charts/bounded-axis.ts';
import { layOut } from '../../helpers/echarts-ssr.ts';

/** Every step between neighbouring ticks is the same: no label squeezed in beside 100. */
function evenlySpaced(ticks: readonly number[]): boolean {
  const steps = ticks.slice(1).map((t, i) => Math.round((t - ticks[i]!) * 1000) / 1000);
  return steps.every((s) => s === steps[0]);
}

describe('boundedAxis', () => {
  it('steps by a divisor of 100 so 100 is a tick, never a label beside 99', () => {
    // 84.7 % .. 99.6 %: ECharts' own ticks were 84, 87, …, 96, 99 and a forced 100.
    expect(boundedAxis([84.7, 95, 99.6], { fromZero: false })).toEqual({
      min: 80,
      max: 100,
      interval: 5,
    });
    expect(ticksOf({ min: 80, max: 100, interval: 5 })).toEqual([80, 85, 90, 95, 100]);
    expect(boundedAxis([97.2, 99.8], { fromZero: false })).toEqual({
      min: 95,
      max: 100,
      interval: 1,
    });
  });

  it('starts bars at 0 and ends below 100 when nothing comes near it', () => {
    expect(boundedAxis([46.2, 71.5, null], { fromZero: true })).toEqual({
      min: 0,
      max: 80,
      interval: 20,
    });
    expect(boundedAxis([46.2, 99.1], { fromZero: true })).toEqual({
      min: 0,
      max: 100,
      interval: 20,
    });
  });

  it('runs scores to 100, keeps a flat line off the floor, and answers null for no data', () => {
    expect(boundedAxis([81.3, 84.6], { fromZero: false, toCeiling: true })).toEqual({
      min: 80,
      max: 100,
      interval: 5,
    });
    expect(boundedAxis([100, 100], { fromZero: false })).toEqual({
      min: 95,
      max: 100,
      interval: 1,
    });
    expect(boundedAxis([null, undefined], { fromZero: true })).toBeNull();
  });
});

describe('rate axes as ECharts lays them out', () => {
  it('a trend of 84.7 % .. 99.6 % draws 80, 85, …, 100: evenly spaced, no 99 beside 100', () => {
    const option = buildTrendLinesOption({
      months: ['2025-09', '2025-10', '2025-11'],
      kind: 'rate',
      series: [{ name: '学生参与率', values: [0.847, 0.95, 0.996] }],
    })!;
    const chart = layOut(option);
    const ticks = chart.ticks('yAxis');
    chart.dispose();
    expect(ticks).toEqual([80, 85, 90, 95, 100]);
    expect(evenlySpaced(ticks)).toBe(true);
  });

  it('bars up to 100 % stop at 100 with even ticks', () => {
    const option = buildBarComparisonOption({
      categories: ['东城镇', '西河乡', '石门乡'],
      kind: 'rate',
      horizontal: false,
      series: [{ name: '需求满足率', values: [0.93, 1, 0.991] }],
    })!;
    const chart = layOut(option);
    const ticks = chart.ticks('yAxis');
    chart.dispose();
    expect(ticks).toEqual([0, 20, 40, 60, 80, 100]);
  });
});
