import type { BarSeriesOption } from 'echarts';
import { describe, expect, it } from 'vitest';
import { chartTable } from '../../../../web/src/charts/chart-table.ts';
import {
  buildGradeCountsOption,
  buildGradeRatesOption,
  gradeLabel,
  type GradeFigures,
} from '../../../../web/src/charts/grade-breakdown/build-grade-breakdown-option.ts';

// 东城第一小学, 2025-10 (test/fixtures/api/分年级参与情况.csv), given out of order.
const GRADES: GradeFigures[] = [
  {
    grade: 2,
    enrolled: 100,
    applicants: 90,
    participants: 90,
    participationRate: 0.9,
    demandMetRate: 1,
  },
  {
    grade: 1,
    enrolled: 100,
    applicants: 80,
    participants: 78,
    participationRate: 0.78,
    demandMetRate: 0.975,
  },
];

describe('gradeLabel', () => {
  it('names compulsory and senior grades in Chinese', () => {
    expect([1, 6, 7, 9, 10, 12, 13].map(gradeLabel)).toEqual([
      '一年级',
      '六年级',
      '七年级',
      '九年级',
      '高一',
      '高三',
      '13年级',
    ]);
  });
});

describe('buildGradeCountsOption', () => {
  it('puts the grades in order on the x axis with enrolled, applicants and participants', () => {
    const option = buildGradeCountsOption(GRADES)!;
    expect((option.xAxis as { data: string[] }).data).toEqual(['一年级', '二年级']);
    const series = option.series as BarSeriesOption[];
    expect(series.map((s) => [s.name, s.data])).toEqual([
      ['在校生', [100, 100]],
      ['申请人数', [80, 90]],
      ['参加人数', [78, 90]],
    ]);
    expect(chartTable(option)?.rows).toEqual([
      ['一年级', '100', '80', '78'],
      ['二年级', '100', '90', '90'],
    ]);
  });

  it('gives no chart without grades', () => {
    expect(buildGradeCountsOption([])).toBeNull();
  });
});

describe('buildGradeRatesOption', () => {
  it('plots the rates as percent numbers with one decimal and keeps null as a gap', () => {
    const option = buildGradeRatesOption([
      ...GRADES,
      {
        grade: 3,
        enrolled: 50,
        applicants: 0,
        participants: 0,
        participationRate: 0,
        demandMetRate: null,
      },
    ])!;
    const series = option.series as BarSeriesOption[];
    expect(series.map((s) => [s.name, s.data])).toEqual([
      ['学生参与率', [78, 90, 0]],
      ['需求满足率', [97.5, 100, null]],
    ]);
    expect(chartTable(option)?.rows[2]).toEqual(['三年级', '0.0%', '—']);
  });

  it('gives no chart when no grade has a rate', () => {
    const none = GRADES.map((g) => ({ ...g, participationRate: null, demandMetRate: null }));
    expect(buildGradeRatesOption(none)).toBeNull();
  });
});
