/**
 * A priority group the server withheld (small-cell protection) draws no bar or point and
 * says "<10人" on the axis, in the tooltip and in the chart's data table: the chart never
 * computes a figure of its own for it.
 */
import type { BarSeriesOption, LineSeriesOption } from 'echarts';
import { describe, expect, it } from 'vitest';
import { chartTable } from '../../../../web/src/charts/chart-table.ts';
import { buildPriorityGroupsOption } from '../../../../web/src/charts/priority-gap/build-priority-groups-option.ts';
import { buildPriorityTownshipsOption } from '../../../../web/src/charts/priority-gap/build-priority-townships-option.ts';
import { buildPriorityTrendOption } from '../../../../web/src/charts/priority-gap/build-priority-trend-option.ts';
import { groupRates } from './api-groups.ts';

/** The API's four groups with the third (残疾儿童) withheld below n = 10. */
function withDisabledWithheld(rates: (number | null)[]) {
  return groupRates(rates).map((g) =>
    g.group === 'DISABLED'
      ? { ...g, rate: null, suppressed: true, suppressedBelow: 10 }
      : { ...g, suppressed: false, suppressedBelow: null },
  );
}

type Formatter = (value: unknown, index: number) => string;

describe('withheld priority groups in charts', () => {
  it('bars: no bar, "<10人" under the category, in the tooltip and the table', () => {
    const option = buildPriorityGroupsOption(withDisabledWithheld([0.5, 0.4, null, 0.6]), 0.55)!;
    expect((option.xAxis as { data: string[] }).data[2]).toBe('残疾儿童\n<10人');
    const series = (option.series as BarSeriesOption[])[0]!;
    expect(series.data).toEqual([50, 40, { value: null, gapNote: '<10人' }, 60]);
    const format = (series.tooltip as { valueFormatter: Formatter }).valueFormatter;
    expect(format(null, 2)).toBe('<10人');
    expect(format(50, 0)).toBe('50.0%');
    expect(chartTable(option)!.rows.map((r) => r[1])).toEqual(['50.0%', '40.0%', '<10人', '60.0%']);
  });

  it('bars: every group withheld still draws the axes with the notes, not "no data"', () => {
    const all = groupRates([null, null, null, null]).map((g) => ({
      ...g,
      suppressed: true,
      suppressedBelow: 10,
    }));
    const option = buildPriorityGroupsOption(all, 0.5);
    expect(option).not.toBeNull();
    expect(chartTable(option)!.rows.map((r) => r[1])).toEqual(['<10人', '<10人', '<10人', '<10人']);
  });

  it('townships and months: the withheld cell is a noted gap in its group’s series', () => {
    const townships = buildPriorityTownshipsOption([
      {
        township: '东城镇',
        participationRate: 0.5,
        priorityGroups: withDisabledWithheld([0.5, 0.4, null, 0.6]),
      },
    ])!;
    const disabled = (townships.series as BarSeriesOption[]).find((s) => s.name === '残疾儿童')!;
    expect(disabled.data).toEqual([{ value: null, gapNote: '<10人' }]);

    const trend = buildPriorityTrendOption([
      {
        month: '2025-09',
        participationRate: 0.5,
        priorityGroups: withDisabledWithheld([0.5, 0.4, null, 0.6]),
      },
    ])!;
    const line = (trend.series as LineSeriesOption[]).find((s) => s.name === '残疾儿童')!;
    expect(line.data).toEqual([{ value: null, gapNote: '<10人' }]);
    expect((line.tooltip as { valueFormatter: Formatter }).valueFormatter(null, 0)).toBe('<10人');
    expect(chartTable(trend)!.rows[0]).toEqual([
      '9月',
      '50.0%',
      '50.0%',
      '40.0%',
      '<10人',
      '60.0%',
    ]);
  });
});
