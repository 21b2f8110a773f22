/**
 * overviewByTownship against the fixture district (test/fixtures/api/): 东城镇 has
 * 1000000001 and 1000000002, 西山乡 1000000003 and 1000000004; DX01 has 001 and 003 in
 * 2025-09, then only 001 once 003 moves to DX02 in 2025-10.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../../../server/auth/viewer.ts';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../../helpers/api-fixture.ts';

let api: ApiFixture;
beforeAll(async () => {
  api = await openApiFixture();
});
afterAll(async () => {
  await api.close();
});

const TOWNSHIPS = ['东城镇', '西山乡'];

/** Every field of Overview, changes included. */
const FIELDS = `month schoolsInScope schoolsReporting schoolsOffering schoolCoverageRate
  enrolled applicants participants participationRate demandMetRate teacherParticipationRate
  teachersServing teachersTotal openFlags overdueFlags fiveDayShare fivePlusTwoRate
  policyMinDailyMinutes externalStaff providers providersUnapproved reportTimelinessRate
  priorityGroups { group enrolled participants rate gap }
  satisfaction { respondent responses score satisfiedShare }
  changes { metric value previousMonth sameMonthLastYear monthOnMonth yearOnYear }`;

const BY_TOWNSHIP = `query ($month: String!, $scope: ScopeInput, $w: SatisfactionWindow) {
  overviewByTownship(month: $month, scope: $scope, satisfactionWindow: $w) {
    township overview { ${FIELDS} }
  }
}`;

const ONE = `query ($month: String!, $scope: ScopeInput, $w: SatisfactionWindow) {
  overview(month: $month, scope: $scope, satisfactionWindow: $w) { ${FIELDS} }
}`;

type Overview = Record<string, unknown> & { schoolsInScope: number };
type TownshipOverview = { township: string; overview: Overview };

async function byTownship(
  viewer: Viewer,
  variables: Record<string, unknown>,
): Promise<TownshipOverview[]> {
  const { data, errors } = await api.run(viewer, BY_TOWNSHIP, variables);
  expect(errors).toBeUndefined();
  return data?.overviewByTownship as TownshipOverview[];
}

async function overview(viewer: Viewer, variables: Record<string, unknown>): Promise<Overview> {
  const { data, errors } = await api.run(viewer, ONE, variables);
  expect(errors).toBeUndefined();
  return data?.overview as Overview;
}

describe('overviewByTownship', () => {
  it('gives one overview per township with schools in scope, ordered by name', async () => {
    const rows = await byTownship(VIEWERS.bureau, { month: '2025-10' });
    expect(rows.map((r) => r.township)).toEqual(TOWNSHIPS);
    const [east, west] = rows.map((r) => r.overview);
    // 001 (grades 1 and 2) and 002 reported and served; 003 reported 0 service days, 004 nothing.
    expect(east).toMatchObject({
      schoolsInScope: 2,
      schoolsReporting: 2,
      schoolsOffering: 2,
      enrolled: 250,
      applicants: 210,
      participants: 208,
      teachersServing: 40,
      teachersTotal: 60,
    });
    expect(east?.participationRate).toBeCloseTo(208 / 250, 12);
    expect(west).toMatchObject({
      schoolsInScope: 2,
      schoolsReporting: 1,
      schoolsOffering: 0,
      schoolCoverageRate: 0,
      enrolled: 200,
      applicants: 0,
      participants: 0,
      participationRate: 0,
      demandMetRate: null,
      teachersServing: 0,
      teachersTotal: 30,
    });
  });

  it('compares each township with its own previous and year-earlier month', async () => {
    const [east, west] = await byTownship(VIEWERS.bureau, { month: '2025-10' });
    const participants = (o: Overview | undefined) =>
      (o?.changes as { metric: string }[]).find((c) => c.metric === 'PARTICIPANTS');
    // 东城镇: 2025-09 001 70 + 002 45; 2024-10 001 54.
    expect(participants(east?.overview)).toEqual({
      metric: 'PARTICIPANTS',
      value: 208,
      previousMonth: 115,
      sameMonthLastYear: 54,
      monthOnMonth: 93,
      yearOnYear: 154,
    });
    // 西山乡: 2025-09 003 90 + 004 30; no school of it reported in 2024-10, so there is
    // nothing to compare the year with (not a change of 0).
    expect(participants(west?.overview)).toEqual({
      metric: 'PARTICIPANTS',
      value: 0,
      previousMonth: 120,
      sameMonthLastYear: null,
      monthOnMonth: -120,
      yearOnYear: null,
    });
  });

  const cases: [string, Viewer, Record<string, unknown>][] = [
    ['a bureau inspector', VIEWERS.bureau, {}],
    ['a bureau inspector, primary schools, month window', VIEWERS.bureau, { stage: 'PRIMARY' }],
    ['a supervising inspector (DX01)', VIEWERS.dx01, {}],
    ['another supervising inspector (DX02)', VIEWERS.dx02, {}],
  ];
  for (const [who, viewer, filter] of cases) {
    it(`equals overview(scope: {township}) for every township, as ${who}`, async () => {
      const w = filter.stage ? 'MONTH' : 'SEMESTER_TO_DATE';
      let compared = 0;
      for (const month of ['2025-09', '2025-10']) {
        const rows = await byTownship(viewer, { month, scope: filter, w });
        // A township is listed, in name order, exactly when it has schools in scope.
        const listed: string[] = [];
        for (const township of TOWNSHIPS) {
          const alone = await overview(viewer, { month, scope: { ...filter, township }, w });
          if (alone.schoolsInScope === 0) continue;
          listed.push(township);
          expect(rows.find((r) => r.township === township)?.overview).toEqual(alone);
          compared += 1;
        }
        expect(rows.map((r) => r.township)).toEqual(listed);
      }
      expect(compared).toBeGreaterThanOrEqual(2);
    });
  }

  it('lists only the townships of a supervising inspector’s schools in the month', async () => {
    const sept = await byTownship(VIEWERS.dx01, { month: '2025-09' });
    expect(sept.map((r) => [r.township, r.overview.schoolsInScope])).toEqual([
      ['东城镇', 1],
      ['西山乡', 1],
    ]);
    const oct = await byTownship(VIEWERS.dx01, { month: '2025-10' });
    expect(oct.map((r) => [r.township, r.overview.schoolsInScope])).toEqual([['东城镇', 1]]);
    expect(await byTownship(VIEWERS.unlinked, { month: '2025-10' })).toEqual([]);
  });

  it('narrows to the scope input', async () => {
    const primary = await byTownship(VIEWERS.bureau, {
      month: '2025-10',
      scope: { stage: 'PRIMARY' },
    });
    expect(primary.map((r) => [r.township, r.overview.schoolsInScope])).toEqual([['东城镇', 2]]);
    const west = await byTownship(VIEWERS.bureau, {
      month: '2025-10',
      scope: { township: '西山乡' },
    });
    expect(west.map((r) => r.township)).toEqual(['西山乡']);
  });

  it('costs the same statements for every township as one overview does for one', async () => {
    const all = await api.run(VIEWERS.bureau, BY_TOWNSHIP, { month: '2025-10' });
    const one = await api.run(VIEWERS.bureau, ONE, {
      month: '2025-10',
      scope: { township: '东城镇' },
    });
    // One statement for the four aggregates, and one more for every township's changes together.
    expect(all.queries).toBe(2);
    expect(one.queries).toBe(2);
    const lean = await api.run(
      VIEWERS.bureau,
      `{ overviewByTownship(month: "2025-10") { township overview { participants } } }`,
    );
    expect(lean.queries).toBe(1);
  });

  it('rejects a month not written YYYY-MM', async () => {
    const { errors } = await api.run(VIEWERS.bureau, BY_TOWNSHIP, { month: '2025-1' });
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(errors?.[0]?.message).toBe('month 应为 YYYY-MM 格式 / month must be YYYY-MM');
  });
});
