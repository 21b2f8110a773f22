import type { BarSeriesOption } from 'echarts';
import { describe, expect, it } from 'vitest';
import { buildTownshipComparisonOption } from '../../../../web/src/charts/township-comparison/build-township-comparison-option.ts';

const ROWS = [
  { township: '东城镇', participationRate: 0.832, demandMetRate: 208 / 210 },
  { township: '西山乡', participationRate: 0, demandMetRate: null },
];

describe('buildTownshipComparisonOption', () => {
  it('puts participation and demand met per township in percent, missing values as null', () => {
    const option = buildTownshipComparisonOption({
      rows: ROWS,
      overall: { label: '全区', participationRate: 208 / 450 },
    });
    const series = option!.series as BarSeriesOption[];
    expect(series.map((s) => [s.name, s.data])).toEqual([
      ['学生参与率', [83.2, 0]],
      ['需求满足率', [99, null]],
    ]);
    expect((option!.xAxis as { data: string[] }).data).toEqual(['东城镇', '西山乡']);
  });

  it('marks the scope’s own participation rate as the reference line', () => {
    const option = buildTownshipComparisonOption({
      rows: ROWS,
      overall: { label: '全区', participationRate: 208 / 450 },
    });
    const markLine = (option!.series as BarSeriesOption[])[0]!.markLine!;
    expect(markLine.data).toEqual([{ yAxis: 46.2 }]);
    expect(markLine.label).toMatchObject({
      // Beyond the plot's right end, in two lines (reference-label-layout.test.ts lays it out).
      formatter: '全区参与率\n46.2%',
      position: 'end',
    });
  });

  it('draws no reference line when the scope has no rate, and nothing without townships', () => {
    const option = buildTownshipComparisonOption({
      rows: ROWS,
      overall: { label: '全区', participationRate: null },
    });
    expect((option!.series as BarSeriesOption[])[0]!.markLine).toBeUndefined();
    expect(buildTownshipComparisonOption({ rows: [], overall: null })).toBeNull();
  });
});
