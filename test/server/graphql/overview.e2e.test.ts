/**
 * Fixture files → ETL → GraphQL → figures computed by hand (see test/fixtures/api/).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../helpers/api-fixture.ts';
import { query } from '../../helpers/with-warehouse.ts';

let api: ApiFixture;
beforeAll(async () => {
  api = await openApiFixture();
});
afterAll(async () => {
  await api.close();
});

const OVERVIEW = `query ($month: String!, $scope: ScopeInput, $w: SatisfactionWindow) {
  overview(month: $month, scope: $scope, satisfactionWindow: $w) {
    month schoolsInScope schoolsReporting schoolsOffering schoolCoverageRate
    schoolsNotOffering schoolsNotReported serviceMonth
    enrolled applicants participants participationRate demandMetRate
    teacherParticipationRate teachersServing teachersTotal fiveDayShare fivePlusTwoRate
    externalStaff providers providersUnapproved reportTimelinessRate openFlags
    priorityGroups { group enrolled participants rate gap }
    satisfaction { respondent responses score satisfiedShare }
  }
}`;

describe('overview', () => {
  it('computes the district figures of 2025-10 from summed counts', async () => {
    const { data, errors } = await api.run(VIEWERS.bureau, OVERVIEW, { month: '2025-10' });
    expect(errors).toBeUndefined();
    const o = data?.overview as Record<string, unknown>;
    expect(o).toMatchObject({
      month: '2025-10',
      schoolsInScope: 4,
      schoolsReporting: 3,
      schoolsOffering: 2,
      // 003 reported 0 service days (未开展); 004 sent no report (未报送), not counted.
      schoolsNotOffering: 1,
      schoolsNotReported: 1,
      serviceMonth: true,
      enrolled: 450,
      applicants: 210,
      participants: 208,
      teachersServing: 40,
      teachersTotal: 90,
      externalStaff: 2,
      providers: 1,
      providersUnapproved: 0,
      reportTimelinessRate: 0,
      // 10 report flags up to 2025-10 and 32 missing reports (see 'raises flags' below).
      openFlags: 42,
    });
    expect(o.schoolCoverageRate).toBeCloseTo(2 / 3, 12);
    expect(o.participationRate).toBeCloseTo(208 / 450, 12);
    expect(o.demandMetRate).toBeCloseTo(208 / 210, 12);
    expect(o.teacherParticipationRate).toBeCloseTo(40 / 90, 12);
    expect(o.fiveDayShare).toBeCloseTo(160 / 208, 12);
    expect(o.fivePlusTwoRate).toBeCloseTo(1 / 3, 12);
    const groups = o.priorityGroups as {
      group: string;
      enrolled: number;
      participants: number;
      rate: number;
      gap: number;
    }[];
    expect(groups.map((g) => [g.group, g.enrolled, g.participants])).toEqual([
      ['LEFT_BEHIND', 40, 24],
      ['MIGRANT', 20, 15],
      ['DISABLED', 3, 1],
      ['POOR', 20, 12],
    ]);
    expect(groups[0]?.rate).toBeCloseTo(0.6, 12);
    expect(groups[0]?.gap).toBeCloseTo(0.6 - 208 / 450, 12);
    expect(groups[2]?.gap).toBeCloseTo(1 / 3 - 208 / 450, 12);
  });

  it('raises flags from the fixture’s reports under the default policy', async () => {
    const rows = await query(
      api.warehouse,
      `SELECT school_code, month, rule, observed FROM flags
       WHERE status = 'OPEN' AND rule <> 'MISSING_REPORT.missing' ORDER BY month, school_code, rule`,
    );
    expect(rows.map((r) => Object.values(r).join(' '))).toEqual([
      '1000000001 2024-10 NOT_OFFERED.turned_away 90.0%（申请 60 人，参加 54 人）',
      '1000000001 2025-09 PRIORITY_GAP.migrant 50.0%（全校 70.0%）',
      '1000000001 2025-09 SHORT_SERVICE.minutes 110 分钟',
      '1000000002 2025-09 PRIORITY_GAP.left_behind 75.0%（全校 90.0%）',
      '1000000003 2025-09 NOT_OFFERED.turned_away 90.0%（申请 100 人，参加 90 人）',
      '1000000003 2025-09 PRIORITY_GAP.left_behind 33.3%（全校 45.0%）',
      '1000000001 2025-10 PRIORITY_GAP.left_behind 70.0%（全校 84.0%）',
      '1000000002 2025-10 PRIORITY_GAP.left_behind 50.0%（全校 80.0%）',
      '1000000002 2025-10 SHORT_SERVICE.days 18 天',
      '1000000003 2025-10 NOT_OFFERED.no_service 开展 0 天',
    ]); // 2024-10's migrant gap is exactly 10 points (50% vs 60%): not flagged
    // Missing reports up to 2025-10: 2024-10 from the three schools without one, every school
    // for 2024-11 … 2025-06 but February (7 months × 4), and 1000000004 for 2025-10.
    const missing = await query(
      api.warehouse,
      `SELECT count(*)::INTEGER AS n FROM flags
       WHERE rule = 'MISSING_REPORT.missing' AND status = 'OPEN' AND month <= '2025-10'`,
    );
    expect(missing).toEqual([{ n: 3 + 28 + 1 }]);
  });

  it('counts the open flags as of now, the same for every month and as the flags page', async () => {
    const { data } = await api.run(
      VIEWERS.bureau,
      `{ sep: overview(month: "2025-09") { openFlags } oct: overview(month: "2025-10") { openFlags }
         page: flags(open: true, first: 1) { total } }`,
    );
    // 2025-09: 6 report flags and 31 missing reports; 2025-10: 4 and 1; all still OPEN.
    expect(data).toEqual({
      sep: { openFlags: 42 },
      oct: { openFlags: 42 },
      page: { total: 6 + 31 + 4 + 1 },
    });
  });

  it('scores satisfaction over the semester to date by default, or the month alone', async () => {
    const semester = await api.run(VIEWERS.bureau, OVERVIEW, { month: '2025-10' });
    const s = (semester.data?.overview as { satisfaction: unknown[] }).satisfaction;
    expect(s).toEqual([
      { respondent: 'parent', responses: 5, score: 50, satisfiedShare: 0.4 },
      { respondent: 'student', responses: 1, score: 100, satisfiedShare: 1 },
      { respondent: 'teacher', responses: 0, score: null, satisfiedShare: null },
    ]);
    const month = await api.run(VIEWERS.bureau, OVERVIEW, { month: '2025-10', w: 'MONTH' });
    const m = (month.data?.overview as { satisfaction: unknown[] }).satisfaction;
    expect(m[0]).toEqual({ respondent: 'parent', responses: 4, score: 62.5, satisfiedShare: 0.5 });
  });

  it('answers null rates, not zeros, where nothing was reported', async () => {
    const { data } = await api.run(VIEWERS.bureau, OVERVIEW, { month: '2025-11' });
    expect(data?.overview).toMatchObject({
      schoolsInScope: 4,
      schoolsReporting: 0,
      schoolsNotReported: 4,
      schoolCoverageRate: null,
      enrolled: 0,
      participationRate: null,
      demandMetRate: null,
      teacherParticipationRate: null,
      fiveDayShare: null,
      fivePlusTwoRate: null,
    });
  });

  it('narrows by township, stage and locality', async () => {
    const west = await api.run(VIEWERS.bureau, OVERVIEW, {
      month: '2025-09',
      scope: { township: '西山乡' },
    });
    expect(west.data?.overview).toMatchObject({
      schoolsInScope: 2,
      enrolled: 230,
      participants: 120,
    });
    const rural = await api.run(VIEWERS.bureau, OVERVIEW, {
      month: '2025-09',
      scope: { locality: 'RURAL', stage: 'PRIMARY' },
    });
    expect(rural.data?.overview).toMatchObject({
      schoolsInScope: 1,
      enrolled: 50,
      participants: 45,
    });
  });

  it('compares with the previous month and the same month last year', async () => {
    const { data, errors } = await api.run(
      VIEWERS.bureau,
      `{ overview(month: "2025-10") { changes { metric value previousMonth sameMonthLastYear monthOnMonth yearOnYear } } }`,
    );
    expect(errors).toBeUndefined();
    const changes = (data?.overview as { changes: Record<string, unknown>[] }).changes;
    const participation = changes.find((c) => c.metric === 'PARTICIPATION_RATE') as Record<
      string,
      number
    >;
    expect(participation.previousMonth).toBeCloseTo(235 / 380, 12);
    expect(participation.sameMonthLastYear).toBeCloseTo(54 / 90, 12);
    expect(participation.monthOnMonth).toBeCloseTo(208 / 450 - 235 / 380, 12);
    expect(participation.yearOnYear).toBeCloseTo(208 / 450 - 54 / 90, 12);
    const fivePlusTwo = changes.find((c) => c.metric === 'FIVE_PLUS_TWO_RATE') as Record<
      string,
      number
    >;
    expect(fivePlusTwo.previousMonth).toBeCloseTo(3 / 4, 12);
  });

  it('gives one overview per month for a trend, in a constant number of queries', async () => {
    const short = await api.run(
      VIEWERS.bureau,
      `{ trend(from: "2025-09", to: "2025-10") { month participants } }`,
    );
    const long = await api.run(
      VIEWERS.bureau,
      `{ trend(from: "2024-01", to: "2025-12") { month participants } }`,
    );
    expect(short.data?.trend).toEqual([
      { month: '2025-09', participants: 235 },
      { month: '2025-10', participants: 208 },
    ]);
    expect((long.data?.trend as unknown[]).length).toBe(24);
    expect(short.queries).toBeGreaterThan(0);
    expect(long.queries).toBe(short.queries);
  });

  it('rejects malformed months and ranges over 60 months', async () => {
    const bad = await api.run(VIEWERS.bureau, OVERVIEW, { month: '2025-13' });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const long = await api.run(
      VIEWERS.bureau,
      `{ trend(from: "2020-01", to: "2025-12") { month } }`,
    );
    expect(long.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
