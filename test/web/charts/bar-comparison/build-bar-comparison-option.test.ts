import type { BarSeriesOption } from 'echarts';
import { describe, expect, it } from 'vitest';
import { buildBarComparisonOption } from '../../../../web/src/charts/bar-comparison/build-bar-comparison-option.ts';

describe('buildBarComparisonOption', () => {
  it('puts categories on the x axis for a few and on the y axis for many', () => {
    const few = buildBarComparisonOption({
      categories: ['东城镇', '西山乡'],
      kind: 'rate',
      series: [{ name: '参与率', values: [0.5, 0.25] }],
    })!;
    expect((few.xAxis as { type: string; data: string[] }).data).toEqual(['东城镇', '西山乡']);
    expect((few.series as BarSeriesOption[])[0]!.data).toEqual([50, 25]);

    const names = Array.from({ length: 9 }, (_, i) => `乡镇${i + 1}`);
    const many = buildBarComparisonOption({
      categories: names,
      kind: 'count',
      series: [{ name: '学校数', values: names.map((_, i) => i) }],
    })!;
    expect((many.yAxis as { type: string; inverse: boolean }).type).toBe('category');
    expect((many.yAxis as { inverse: boolean }).inverse).toBe(true);
  });

  it('marks the reference value on the value axis', () => {
    const option = buildBarComparisonOption({
      categories: ['a'],
      kind: 'rate',
      series: [{ name: 's', values: [0.8] }],
      horizontal: true,
      reference: { label: '全区 62.5%', value: 0.625 },
    })!;
    expect((option.series as BarSeriesOption[])[0]!.markLine?.data).toEqual([{ xAxis: 62.5 }]);
  });

  it('labels bars with formatted values when asked', () => {
    const option = buildBarComparisonOption({
      categories: ['a'],
      kind: 'score',
      series: [{ name: 's', values: [85.25] }],
      labels: true,
    })!;
    const label = (option.series as BarSeriesOption[])[0]!.label as {
      show: boolean;
      formatter: (p: { value: unknown }) => string;
    };
    expect(label.show).toBe(true);
    expect(label.formatter({ value: 85.3 })).toBe('85.3');
  });

  it('returns null without data', () => {
    expect(
      buildBarComparisonOption({
        categories: ['a'],
        kind: 'rate',
        series: [{ name: 's', values: [null] }],
      }),
    ).toBeNull();
  });
});
