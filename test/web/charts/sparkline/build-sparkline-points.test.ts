import { describe, expect, it } from 'vitest';
import {
  alignToMonths,
  buildSparklinePoints,
  monthSequence,
} from '../../../../web/src/charts/sparkline/build-sparkline-points.ts';

const BOX = { width: 100, height: 24, padding: 2 };

describe('buildSparklinePoints', () => {
  it('scales the min to the bottom and the max to the top, evenly spaced', () => {
    // x: 2, 34, 66, 98 (96 wide inner box, 3 steps); y: 22 − (v − 0.5) / 0.3 × 20.
    const g = buildSparklinePoints([0.5, 0.8, 0.65, 0.5], BOX);
    expect(g.lines).toEqual(['2,22 34,2 66,12 98,22']);
    expect(g.dots).toEqual([]);
    expect(g.last).toEqual({ x: 98, y: 22 });
    expect([g.min, g.max]).toEqual([0.5, 0.8]);
  });

  it('leaves a gap for null, and draws a lone value as a dot', () => {
    const g = buildSparklinePoints([0.2, 0.4, null, 0.3, null], BOX);
    // x step 24: 2, 26, 50, 74, 98.
    expect(g.lines).toEqual(['2,22 26,2']);
    expect(g.dots).toEqual([{ x: 74, y: 12 }]);
    expect(g.last).toEqual({ x: 74, y: 12 });
    expect([g.min, g.max]).toEqual([0.2, 0.4]);
  });

  it('draws a flat series through the middle and a single value at the centre', () => {
    expect(buildSparklinePoints([1, 1, 1], BOX).lines).toEqual(['2,12 50,12 98,12']);
    expect(buildSparklinePoints([0.7], BOX).dots).toEqual([{ x: 50, y: 12 }]);
  });

  it('gives nothing to draw when every value is null', () => {
    expect(buildSparklinePoints([null, null], BOX)).toEqual({
      lines: [],
      dots: [],
      last: null,
      min: null,
      max: null,
    });
    expect(buildSparklinePoints([], BOX).last).toBeNull();
  });

  it('rounds coordinates to one decimal', () => {
    const g = buildSparklinePoints([0, 1, 2], { width: 10, height: 10, padding: 0 });
    expect(g.lines).toEqual(['0,10 5,5 10,0']);
    const thirds = buildSparklinePoints([0, 1, 1, 3], { width: 10, height: 10, padding: 0 });
    expect(thirds.lines).toEqual(['0,10 3.3,6.7 6.7,6.7 10,0']);
  });
});

describe('monthSequence', () => {
  it('lists the months across a year end, inclusive', () => {
    expect(monthSequence('2024-11', '2025-02')).toEqual([
      '2024-11',
      '2024-12',
      '2025-01',
      '2025-02',
    ]);
    expect(monthSequence('2025-10', '2025-10')).toEqual(['2025-10']);
  });
});

describe('alignToMonths', () => {
  it('puts each point in its month and null where a month has none', () => {
    const points = [
      { month: '2025-10', rate: 0.84 },
      { month: '2025-08', rate: null },
      { month: '2025-09', rate: 0.7 },
    ];
    expect(
      alignToMonths(['2025-07', '2025-08', '2025-09', '2025-10'], points, (p) => p.rate),
    ).toEqual([null, null, 0.7, 0.84]);
  });
});
