import type { LineSeriesOption } from 'echarts';
import { describe, expect, it } from 'vitest';
import { buildTrendLinesOption } from '../../../../web/src/charts/trend-lines/build-trend-lines-option.ts';

describe('buildTrendLinesOption', () => {
  const months = ['2025-09', '2025-10', '2026-01'];

  it('plots rates as percent numbers with one decimal and keeps gaps as null', () => {
    const option = buildTrendLinesOption({
      months,
      kind: 'rate',
      series: [
        { name: '参与率', values: [0.62345, null, 0.7] },
        { name: '需求满足率', values: [0.9, 0.95, 1] },
      ],
    });
    const series = option!.series as LineSeriesOption[];
    expect(series.map((s) => s.data)).toEqual([
      [62.3, null, 70],
      [90, 95, 100],
    ]);
    expect(series.map((s) => s.connectNulls)).toEqual([false, false]);
    // Readable in grey: the second line is dashed with a different marker.
    expect(series.map((s) => [s.lineStyle?.type, s.symbol])).toEqual([
      ['solid', 'circle'],
      ['dashed', 'rect'],
    ]);
    expect((option!.xAxis as { data: string[] }).data).toEqual(['9月', '10月', '2026年1月']);
    expect((option!.yAxis as { axisLabel: { formatter: string } }).axisLabel.formatter).toBe(
      '{value}%',
    );
  });

  it('formats tooltip values as zh-CN percentages', () => {
    const option = buildTrendLinesOption({
      months,
      kind: 'rate',
      series: [{ name: 'a', values: [0.5, 0.6, 0.7] }],
    });
    const format = (option!.tooltip as { valueFormatter: (v: number | null) => string })
      .valueFormatter;
    expect(format(62.3)).toBe('62.3%');
    expect(format(null)).toBe('—');
  });

  it('draws the reference line in plotted units on the first series only', () => {
    const option = buildTrendLinesOption({
      months,
      kind: 'rate',
      series: [
        { name: 'a', values: [0.5, 0.6, 0.7] },
        { name: 'b', values: [0.5, 0.6, 0.7] },
      ],
      reference: { label: '目标 95%', value: 0.95 },
    });
    const series = option!.series as LineSeriesOption[];
    expect(series[0]!.markLine?.data).toEqual([{ yAxis: 95 }]);
    expect(series[1]!.markLine).toBeUndefined();
  });

  it('caps score axes at 100', () => {
    const option = buildTrendLinesOption({
      months,
      kind: 'score',
      series: [{ name: '家长', values: [62.5, 100, 87.5] }],
    });
    expect((option!.yAxis as { max: number }).max).toBe(100);
    expect((option!.series as LineSeriesOption[])[0]!.data).toEqual([62.5, 100, 87.5]);
  });

  it('returns null when no month has a value', () => {
    expect(
      buildTrendLinesOption({
        months,
        kind: 'score',
        series: [{ name: 'a', values: [null, null, null] }],
      }),
    ).toBeNull();
    expect(buildTrendLinesOption({ months: [], kind: 'count', series: [] })).toBeNull();
  });
});
