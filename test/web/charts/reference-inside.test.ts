import type { BarSeriesOption, EChartsOption } from 'echarts';
import { describe, expect, it } from 'vitest';
import { referenceLabelInside } from '../../../web/src/charts/reference-inside.ts';

describe('referenceLabelInside', () => {
  it('styles the label where the builder placed it and keeps the line and other series', () => {
    const option: EChartsOption = {
      series: [
        {
          type: 'bar',
          data: [1],
          markLine: {
            data: [{ yAxis: 46.2 }],
            label: { formatter: '全区 46.2%', position: 'end' },
          },
        },
        { type: 'bar', data: [2] },
      ],
    };
    const moved = referenceLabelInside(option)!.series as BarSeriesOption[];
    expect(moved[0]!.markLine).toEqual({
      data: [{ yAxis: 46.2 }],
      label: {
        formatter: '全区 46.2%',
        position: 'end',
        color: '#b3261e',
        backgroundColor: 'rgba(255, 255, 255, 0.85)',
        padding: [1, 4],
      },
    });
    expect(moved[1]).toEqual({ type: 'bar', data: [2] });
    // The input is not changed.
    expect((option.series as BarSeriesOption[])[0]!.markLine!.label!.position).toBe('end');
  });

  it('keeps the builder’s place when the bars run sideways', () => {
    const option: EChartsOption = {
      yAxis: { type: 'category', data: ['东城镇'] },
      xAxis: { type: 'value' },
      series: [
        {
          type: 'bar',
          data: [1],
          markLine: { data: [{ xAxis: 46.2 }], label: { position: 'start' } },
        },
      ],
    };
    const moved = referenceLabelInside(option)!.series as BarSeriesOption[];
    expect(moved[0]!.markLine!.label!.position).toBe('start');
  });

  it('passes null through', () => {
    expect(referenceLabelInside(null)).toBeNull();
  });
});
