/**
 * Overviews of a semester and a school year (test/fixtures/api plus api-periods, which adds
 * 2026-01 for 001 and 002, a February 2026 report of 001 — a month without service — and
 * 2026-03 for 001 and 002, 002 serving no day). Every expected figure is a hand sum over
 * the fixture CSVs' months with service (the policy has none in February, July, August):
 *
 *   month    reporting  offering  5+2  enrolled  participants  teachers serving/total
 *   2024-10  001        1         1     90        54            20 / 40
 *   2025-09  all 4      4         3     380       235           63 / 100  (001: 110 min)
 *   2025-10  001-003    2         1     450       208           40 / 90   (002: 18/20 days)
 *   2026-01  001, 002   2         1     150       70            35 / 60   (002: 90 min)
 *   2026-02  001        1         —     100       100           (no service: left out)
 *   2026-03  001, 002   1         1     150       75            30 / 60
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../../helpers/api-fixture.ts';

const MORE_MONTHS = fileURLToPath(new URL('../../../fixtures/api-periods/', import.meta.url));

let api: ApiFixture;
beforeAll(async () => {
  api = await openApiFixture({ extraPaths: [MORE_MONTHS] });
});
afterAll(async () => {
  await api.close();
});

const FIELDS = `period periodLabel periodKind months serviceMonth schoolsInScope schoolsReporting
  schoolsOffering schoolsNotReported schoolCoverageRate fivePlusTwoRate enrolled participants
  participationRate teachersServing teachersTotal`;
const CHANGES = `changes { metric value previousMonth sameMonthLastYear monthOnMonth yearOnYear }`;

type Change = { metric: string } & Record<string, number | null>;
type Overview = Record<string, unknown> & { changes: Change[] };

async function overview(args: string, viewer = VIEWERS.bureau): Promise<Overview> {
  const { data, errors } = await api.run(
    viewer,
    `{ overview(${args}) { ${FIELDS} ${CHANGES} satisfaction { respondent responses score } } }`,
  );
  expect(errors).toBeUndefined();
  return data?.overview as Overview;
}

const change = (o: Overview, metric: string) => o.changes.find((c) => c.metric === metric);

describe('overview of a semester', () => {
  it('sums the counts of the service months, leaving out the months without service', async () => {
    const o = await overview('period: "2025-2026-1"');
    expect(o).toMatchObject({
      period: '2025-2026-1',
      periodLabel: '2025-2026学年第一学期',
      periodKind: 'SEMESTER',
      months: ['2025-09', '2025-10', '2025-11', '2025-12', '2026-01'],
      serviceMonth: true,
      // School-months: 4 schools in each of 5 months.
      schoolsInScope: 20,
      schoolsReporting: 4 + 3 + 2,
      schoolsOffering: 4 + 2 + 2,
      schoolsNotReported: 20 - 9,
      enrolled: 380 + 450 + 150,
      participants: 235 + 208 + 70,
      teachersServing: 63 + 40 + 35,
      teachersTotal: 100 + 90 + 60,
    });
    // The quotient of the sums, 513 / 980 = 0.5235; the mean of the monthly rates
    // (235/380, 208/450, 70/150) would be 0.5158.
    expect(o.participationRate).toBeCloseTo(513 / 980, 12);
    expect(o.participationRate).not.toBeCloseTo((235 / 380 + 208 / 450 + 70 / 150) / 3, 3);
    expect(o.fivePlusTwoRate).toBeCloseTo((3 + 1 + 1) / 9, 12);
    // Satisfaction: every answer submitted in the semester's months (001: 100, 75, 25;
    // 002: 50; 003: 0 → 50; the student's 100).
    expect(o.satisfaction).toEqual([
      { respondent: 'parent', responses: 5, score: 50 },
      { respondent: 'student', responses: 1, score: 100 },
      { respondent: 'teacher', responses: 0, score: null },
    ]);
  });

  it('leaves February out of the second semester although a school reported in it', async () => {
    const o = await overview('period: "2025-2026-2"');
    expect(o).toMatchObject({
      months: ['2026-03', '2026-04', '2026-05', '2026-06'],
      schoolsInScope: 16,
      schoolsReporting: 2,
      schoolsOffering: 1,
      // March alone: 001 100 / 75 and 002 50 / 0; with February's 100 / 100 it would be 250 / 175.
      enrolled: 150,
      participants: 75,
      participationRate: 0.5,
      schoolCoverageRate: 0.5,
    });
    // February asked for alone is still its month, as the monthly overview always was.
    const feb = await overview('period: "2026-02"');
    expect(feb).toMatchObject({
      period: '2026-02',
      periodKind: 'MONTH',
      months: ['2026-02'],
      serviceMonth: false,
      enrolled: 100,
      schoolCoverageRate: null,
    });
  });

  it('compares with the previous semester (环比) and the same semester a year earlier (同比)', async () => {
    const second = await overview('period: "2025-2026-2"');
    // 环比: 2025-2026-1 (8 of 9 reports offering, 513 participants); 同比: 2024-2025-2 had
    // no report at all, so report figures do not compare.
    expect(change(second, 'PARTICIPANTS')).toEqual({
      metric: 'PARTICIPANTS',
      value: 75,
      previousMonth: 513,
      sameMonthLastYear: null,
      monthOnMonth: 75 - 513,
      yearOnYear: null,
    });
    expect(change(second, 'SCHOOL_COVERAGE_RATE')?.previousMonth).toBeCloseTo(8 / 9, 12);
    const first = await overview('period: "2025-2026-1"');
    // 同比: 2024-2025-1, where 001 alone reported in 2024-10 (54 of 90, 1 of 1 offering);
    // 环比: 2024-2025-2, without reports.
    expect(change(first, 'PARTICIPANTS')).toMatchObject({
      previousMonth: null,
      sameMonthLastYear: 54,
      yearOnYear: 513 - 54,
    });
    expect(change(first, 'PARTICIPATION_RATE')?.yearOnYear).toBeCloseTo(513 / 980 - 54 / 90, 12);
  });
});

describe('overview of a school year', () => {
  it('sums the nine service months; coverage is 9 / 11, not the mean 79 % of monthly rates', async () => {
    const o = await overview('period: "2025-2026"');
    expect(o).toMatchObject({
      period: '2025-2026',
      periodLabel: '2025-2026学年',
      periodKind: 'YEAR',
      schoolsInScope: 4 * 9,
      schoolsReporting: 4 + 3 + 2 + 2,
      schoolsOffering: 4 + 2 + 2 + 1,
      enrolled: 380 + 450 + 150 + 150,
      participants: 235 + 208 + 70 + 75,
    });
    expect(o.months).toEqual([
      '2025-09',
      '2025-10',
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
    ]);
    expect(o.schoolCoverageRate).toBeCloseTo(9 / 11, 12);
    expect(o.schoolCoverageRate).not.toBeCloseTo((1 + 2 / 3 + 1 + 1 / 2) / 4, 3);
    // 环比 and 同比 are both the school year 2024-2025 (001's 54 participants of 2024-10).
    expect(change(o, 'PARTICIPANTS')).toMatchObject({ previousMonth: 54, sameMonthLastYear: 54 });
  });

  it('gives a month asked as `period` exactly what `month` gives', async () => {
    const [byMonth, byPeriod] = await Promise.all([
      overview('month: "2025-10"'),
      overview('period: "2025-10"'),
    ]);
    expect(byPeriod).toEqual(byMonth);
    expect(byMonth).toMatchObject({ period: '2025-10', periodKind: 'MONTH', months: ['2025-10'] });
  });
});

describe("a supervising inspector's period", () => {
  it('covers their schools month by month, as the assignments give them', async () => {
    // DX01 has 001 and 003 in 2025-09; 003 passes to DX02 from 2025-10.
    const dx01 = await overview('period: "2025-2026-1"', VIEWERS.dx01);
    expect(dx01).toMatchObject({
      schoolsInScope: 2 + 1 * 4,
      schoolsReporting: 2 + 1 + 1,
      // 001: 100 + 200 + 100; 003 in September: 200.
      enrolled: 600,
      participants: 70 + 90 + 168 + 50,
    });
    const dx02 = await overview('period: "2025-2026-1"', VIEWERS.dx02);
    expect(dx02).toMatchObject({
      schoolsInScope: 2 + 3 * 4,
      // 002 and 004 in September, 002 and 003 in October, 002 in January.
      schoolsReporting: 2 + 2 + 1,
      enrolled: 50 + 30 + 50 + 200 + 50,
      participants: 45 + 30 + 40 + 0 + 20,
    });
    // Together they are the district: no school-month twice, none missing.
    const district = await overview('period: "2025-2026-1"');
    expect((dx01.enrolled as number) + (dx02.enrolled as number)).toBe(district.enrolled);
    // 003's September parent (score 0) is DX01's, its October nothing; DX02 has 002's 50.
    expect(dx01.satisfaction).toContainEqual({ respondent: 'parent', responses: 4, score: 50 });
    expect(dx02.satisfaction).toContainEqual({ respondent: 'parent', responses: 1, score: 50 });
  });

  it('gives every township of a period what the filtered overview gives', async () => {
    const { data, errors } = await api.run(
      VIEWERS.dx02,
      `{ overviewByTownship(period: "2025-2026-1") { township overview { ${FIELDS} } }
         east: overview(period: "2025-2026-1", scope: { township: "东城镇" }) { ${FIELDS} }
         west: overview(period: "2025-2026-1", scope: { township: "西山乡" }) { ${FIELDS} } }`,
    );
    expect(errors).toBeUndefined();
    expect(data?.overviewByTownship).toEqual([
      { township: '东城镇', overview: data?.east },
      { township: '西山乡', overview: data?.west },
    ]);
  });
});

describe('bad periods', () => {
  it.each([
    ['period: "2025-2027"', 'period 应为月份'],
    ['period: "2025-2026-3"', 'period 应为月份'],
    ['period: "2025-13"', 'period 应为月份'],
    ['period: "1899-1900"', 'period 超出'],
    ['month: "2025-10", period: "2025-2026"', 'month 与 period 只能给一个'],
    ['scope: {}', '须给出 month 或 period'],
  ])('refuses %s', async (args, message) => {
    const { data, errors } = await api.run(VIEWERS.bureau, `{ overview(${args}) { period } }`);
    expect(data).toBeNull();
    expect(errors?.[0]?.message).toContain(message);
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
