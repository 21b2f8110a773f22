import type { LineSeriesOption } from 'echarts';
import { describe, expect, it } from 'vitest';
import {
  buildOverviewTrendOptions,
  type OverviewTrendRow,
} from '../../../../web/src/charts/overview-trends/build-overview-trend-options.ts';

const ROWS: OverviewTrendRow[] = [
  {
    month: '2025-08',
    schoolCoverageRate: 0,
    participationRate: null,
    demandMetRate: null,
    teacherParticipationRate: null,
    openFlags: 32,
    satisfaction: [{ respondent: 'parent', score: null }],
  },
  {
    month: '2025-09',
    schoolCoverageRate: 1,
    participationRate: 235 / 380,
    demandMetRate: 235 / 245,
    teacherParticipationRate: 0.63,
    openFlags: 37,
    satisfaction: [
      { respondent: 'student', score: 100 },
      { respondent: 'parent', score: 0 },
    ],
  },
  {
    month: '2025-10',
    schoolCoverageRate: 0.5,
    participationRate: 208 / 450,
    demandMetRate: 208 / 210,
    teacherParticipationRate: 40 / 90,
    openFlags: 42,
    satisfaction: [{ respondent: 'parent', score: 50 }],
  },
];

const data = (option: unknown) =>
  ((option as { series: LineSeriesOption[] }).series ?? []).map((s) => [s.name, s.data]);

describe('buildOverviewTrendOptions', () => {
  it('draws participation and demand met as percent lines with gaps for months without data', () => {
    const { participation } = buildOverviewTrendOptions(ROWS);
    expect(data(participation)).toEqual([
      ['学生参与率', [null, 61.8, 46.2]],
      ['需求满足率', [null, 95.9, 99]],
    ]);
    expect((participation!.xAxis as { data: string[] }).data).toEqual(['8月', '9月', '10月']);
  });

  it('draws school coverage and teacher participation together', () => {
    expect(data(buildOverviewTrendOptions(ROWS).coverage)).toEqual([
      ['学校覆盖率', [0, 100, 50]],
      ['教师参与率', [null, 63, 44.4]],
    ]);
  });

  it('takes the parents’ score, not the students’, for the satisfaction trend', () => {
    const { satisfaction } = buildOverviewTrendOptions(ROWS);
    expect(data(satisfaction)).toEqual([['家长满意度', [null, 0, 50]]]);
    expect((satisfaction!.yAxis as { axisLabel: { formatter: string } }).axisLabel.formatter).toBe(
      '{value}',
    );
  });

  it('counts open flags per month', () => {
    expect(data(buildOverviewTrendOptions(ROWS).flags)).toEqual([['未办结违规预警', [32, 37, 42]]]);
  });

  it('returns empty states when nothing was reported and no survey answered', () => {
    const options = buildOverviewTrendOptions([ROWS[0]!]);
    expect(options.participation).toBeNull();
    expect(options.satisfaction).toBeNull();
    expect(buildOverviewTrendOptions([]).flags).toBeNull();
  });
});
