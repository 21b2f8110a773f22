import type { BarSeriesOption } from 'echarts';
import { describe, expect, it } from 'vitest';
import { buildPriorityGroupsOption } from '../../../../web/src/charts/priority-gap/build-priority-groups-option.ts';
import { groupRates } from './api-groups.ts';

describe('buildPriorityGroupsOption', () => {
  it('draws the four groups with the API’s labels, in its order', () => {
    const option = buildPriorityGroupsOption(groupRates([0.375, 0.5, null, 0.6]), 160 / 300);
    expect((option!.xAxis as { data: string[] }).data).toEqual([
      '留守儿童',
      '随迁子女',
      '残疾儿童',
      '困难家庭学生',
    ]);
    const series = option!.series as BarSeriesOption[];
    expect(series.map((s) => [s.name, s.data])).toEqual([['群体参与率', [37.5, 50, null, 60]]]);
    expect(series[0]!.markLine!.data).toEqual([{ yAxis: 53.3 }]);
    expect((series[0]!.markLine!.label as { formatter: string }).formatter).toBe('全体学生\n53.3%');
  });

  it('draws no reference without an overall rate and nothing without any group rate', () => {
    const option = buildPriorityGroupsOption(groupRates([null, null, null, 0.5]), null);
    expect((option!.series as BarSeriesOption[])[0]!.markLine).toBeUndefined();
    expect(buildPriorityGroupsOption(groupRates([null, null, null, null]), 0.5)).toBeNull();
  });

  it('keeps a school rate above every bar on the plot', () => {
    // 东城村小 2025-10: 80 % overall; 留守 50 %, 残疾 0 %, 困难 40 %.
    const option = buildPriorityGroupsOption(groupRates([0.5, null, 0, 0.4]), 0.8);
    const max = (option!.yAxis as { max: (v: { max: number }) => number }).max;
    expect(max({ max: 50 })).toBe(80);
    expect(max({ max: 100 })).toBe(100);
    const high = buildPriorityGroupsOption(groupRates([0.5, null, null, null]), 0.955);
    expect((high!.yAxis as { max: (v: { max: number }) => number }).max({ max: 60 })).toBe(100);
  });
});
