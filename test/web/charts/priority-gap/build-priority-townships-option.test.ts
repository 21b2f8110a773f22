import type { BarSeriesOption } from 'echarts';
import { describe, expect, it } from 'vitest';
import { buildPriorityTownshipsOption } from '../../../../web/src/charts/priority-gap/build-priority-townships-option.ts';
import { groupRates } from './api-groups.ts';

const row = (township: string, overall: number | null, rates: (number | null)[]) => ({
  township,
  participationRate: overall,
  priorityGroups: groupRates(rates),
});

describe('buildPriorityTownshipsOption', () => {
  it('puts all students first, then one bar per group, per township', () => {
    const option = buildPriorityTownshipsOption([
      row('东城镇', 0.7, [0.5, 0.5, 0.5, 1]),
      row('西山乡', 0.45, [1 / 3, 0.5, null, 0.5]),
    ]);
    const series = option!.series as BarSeriesOption[];
    expect(series.map((s) => [s.name, s.data])).toEqual([
      ['全体学生', [70, 45]],
      ['留守儿童', [50, 33.3]],
      ['随迁子女', [50, 50]],
      ['残疾儿童', [50, null]],
      ['困难家庭学生', [100, 50]],
    ]);
    expect((option!.xAxis as { type: string; data: string[] }).data).toEqual(['东城镇', '西山乡']);
  });

  it('turns horizontal beyond twelve townships', () => {
    const rows = Array.from({ length: 13 }, (_, i) => row(`乡镇${i}`, 0.5, [0.4, 0.4, 0.4, 0.4]));
    const option = buildPriorityTownshipsOption(rows);
    expect((option!.yAxis as { type: string }).type).toBe('category');
    expect(buildPriorityTownshipsOption(rows.slice(0, 12))!.xAxis).toMatchObject({
      type: 'category',
    });
  });

  it('is empty when no township has a rate', () => {
    expect(buildPriorityTownshipsOption([row('西山乡', null, [])])).toBeNull();
  });
});
