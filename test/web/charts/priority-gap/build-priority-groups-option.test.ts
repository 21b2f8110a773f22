import type { BarSeriesOption } from 'echarts';
import { describe, expect, it } from 'vitest';
import { buildPriorityGroupsOption } from '../../../../web/src/charts/priority-gap/build-priority-groups-option.ts';

describe('buildPriorityGroupsOption', () => {
  it('draws the four groups in a fixed order whatever the API’s order', () => {
    const option = buildPriorityGroupsOption(
      [
        { group: 'POOR', rate: 0.6 },
        { group: 'LEFT_BEHIND', rate: 0.375 },
        { group: 'DISABLED', rate: null },
        { group: 'MIGRANT', rate: 0.5 },
      ],
      160 / 300,
    );
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
    const option = buildPriorityGroupsOption([{ group: 'POOR', rate: 0.5 }], null);
    expect((option!.series as BarSeriesOption[])[0]!.markLine).toBeUndefined();
    expect(buildPriorityGroupsOption([{ group: 'POOR', rate: null }], 0.5)).toBeNull();
  });
});
