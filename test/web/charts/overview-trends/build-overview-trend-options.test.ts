import type { LineSeriesOption } from 'echarts';
import { describe, expect, it } from 'vitest';
import { chartTable } from '../../../../web/src/charts/chart-table.ts';
import {
  buildOverviewTrendOptions,
  type OverviewTrendRow,
} from '../../../../web/src/charts/overview-trends/build-overview-trend-options.ts';

const ROWS: OverviewTrendRow[] = [
  {
    month: '2025-08',
    serviceMonth: false,
    schoolCoverageRate: null,
    participationRate: null,
    demandMetRate: null,
    teacherParticipationRate: null,
    openFlags: 32,
    satisfaction: [{ respondent: 'parent', score: null }],
  },
  {
    month: '2025-09',
    serviceMonth: true,
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
    serviceMonth: true,
    schoolCoverageRate: 2 / 3,
    participationRate: 208 / 450,
    demandMetRate: 208 / 210,
    teacherParticipationRate: 40 / 90,
    openFlags: 42,
    satisfaction: [{ respondent: 'parent', score: 50 }],
  },
];

/** Each series' plotted values; a gap is null whether or not it carries a note. */
const data = (option: unknown) =>
  ((option as { series: LineSeriesOption[] }).series ?? []).map((s) => [
    s.name,
    (s.data ?? []).map((v) => (v !== null && typeof v === 'object' && 'value' in v ? v.value : v)),
  ]);

describe('buildOverviewTrendOptions', () => {
  it('draws participation and demand met as percent lines with gaps for months without data', () => {
    const { participation } = buildOverviewTrendOptions(ROWS);
    expect(data(participation)).toEqual([
      ['学生参与率', [null, 61.8, 46.2]],
      ['需求满足率', [null, 95.9, 99]],
    ]);
    expect((participation!.xAxis as { data: string[] }).data).toEqual(['8月', '9月', '10月']);
  });

  it('draws school coverage and teacher participation together, with a gap in August', () => {
    const { coverage } = buildOverviewTrendOptions(ROWS);
    expect(data(coverage)).toEqual([
      ['学校覆盖率', [null, 100, 66.7]],
      ['教师参与率', [null, 63, 44.4]],
    ]);
    expect((coverage!.series as LineSeriesOption[]).every((s) => s.connectNulls === false)).toBe(
      true,
    );
    // The month without service reads 不适用 in the chart's table, not a dash or 0 %.
    expect(chartTable(coverage)?.rows).toEqual([
      ['8月', '不适用', '不适用'],
      ['9月', '100.0%', '63.0%'],
      ['10月', '66.7%', '44.4%'],
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
