import type { LineSeriesOption } from 'echarts';
import { describe, expect, it } from 'vitest';
import { buildPriorityTrendOption } from '../../../../web/src/charts/priority-gap/build-priority-trend-option.ts';
import { groupRates } from './api-groups.ts';

describe('buildPriorityTrendOption', () => {
  it('draws all students and each group (the API’s labels) over the months, gaps kept', () => {
    const option = buildPriorityTrendOption([
      {
        month: '2025-08',
        participationRate: null,
        priorityGroups: [],
      },
      {
        month: '2025-09',
        participationRate: 235 / 380,
        priorityGroups: groupRates([35 / 65, 0.5, 2 / 3, 26 / 38]),
      },
    ]);
    const series = option!.series as LineSeriesOption[];
    expect(series.map((s) => [s.name, s.data])).toEqual([
      ['全体学生', [null, 61.8]],
      ['留守儿童', [null, 53.8]],
      ['随迁子女', [null, 50]],
      ['残疾儿童', [null, 66.7]],
      ['困难家庭学生', [null, 68.4]],
    ]);
    expect((option!.xAxis as { data: string[] }).data).toEqual(['8月', '9月']);
  });

  it('is empty when no month has a rate', () => {
    expect(
      buildPriorityTrendOption([{ month: '2025-08', participationRate: null, priorityGroups: [] }]),
    ).toBeNull();
  });
});
