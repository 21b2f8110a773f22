/**
 * The school list, a school's page, townships and satisfaction of a semester or school
 * year (test/fixtures/api plus api-periods; see test/server/graphql/overview/
 * periods.e2e.test.ts for the months). Each figure is a hand sum of the CSVs' rows over
 * the period's service months.
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

const ITEM = `school { code } month reported enrolled applicants participants participationRate
  schoolDays serviceDays dailyMinutes teachersServing teacherParticipationRate
  satisfactionResponses satisfactionScore`;

async function run(query: string, viewer = VIEWERS.bureau) {
  const { data, errors } = await api.run(viewer, query);
  expect(errors).toBeUndefined();
  return data as Record<string, unknown>;
}

describe('schools(period)', () => {
  it("sums each school's service months of the semester", async () => {
    const data = await run(
      `{ schools(period: "2025-2026-1") { period months total items { ${ITEM} } } }`,
    );
    const page = data.schools as {
      period: string;
      months: string[];
      total: number;
      items: Record<string, unknown>[];
    };
    expect(page.period).toBe('2025-2026-1');
    expect(page.months).toEqual(['2025-09', '2025-10', '2025-11', '2025-12', '2026-01']);
    expect(page.total).toBe(4);
    const [s1, s2, s3, s4] = page.items;
    // 001: September 100/70/70, October 200/170/168, January 100/60/50.
    expect(s1).toMatchObject({
      school: { code: '1000000001' },
      month: '2026-01',
      reported: true,
      enrolled: 400,
      applicants: 70 + 170 + 60,
      participants: 288,
      schoolDays: 16 + 20 + 15,
      serviceDays: 16 + 20 + 15,
      // Service minutes / service days: (110·16 + 120·20 + 120·15) / 51 = 116.9.
      dailyMinutes: 117,
      teachersServing: 28 + 30 + 25,
      // Parents of 001 in October: 100, 75, 25.
      satisfactionResponses: 3,
    });
    // 288 / 400, not the mean of 70 %, 84 % and 50 % (68 %).
    expect(s1?.participationRate).toBeCloseTo(0.72, 12);
    // Teacher-months serving / teacher-months of the three reported months (40 each).
    expect(s1?.teacherParticipationRate).toBeCloseTo(83 / 120, 12);
    expect(s1?.satisfactionScore).toBeCloseTo(200 / 3, 12);
    expect(s2).toMatchObject({ enrolled: 150, participants: 105, schoolDays: 51, serviceDays: 49 });
    expect(s3).toMatchObject({ enrolled: 400, participants: 90, serviceDays: 16, schoolDays: 36 });
    expect(s4).toMatchObject({ enrolled: 30, participants: 30, satisfactionResponses: 0 });
  });

  it('sorts and pages by the period rate, in SQL', async () => {
    const data = await run(
      `{ schools(period: "2025-2026-1", sort: PARTICIPATION_RATE, direction: DESC, first: 3) {
          total endCursor items { school { code } } } }`,
    );
    const page = data.schools as {
      total: number;
      endCursor: string | null;
      items: { school: { code: string } }[];
    };
    // 004 30/30, 001 288/400, 002 105/150, 003 90/400.
    expect(page.items.map((i) => i.school.code)).toEqual([
      '1000000004',
      '1000000001',
      '1000000002',
    ]);
    expect(page.total).toBe(4);
    expect(page.endCursor).not.toBeNull();
  });

  it("gives a 责任督学 their schools' months only", async () => {
    const data = await run(
      `{ schools(period: "2025-2026-1") { items { ${ITEM} } } }`,
      VIEWERS.dx01,
    );
    const items = (data.schools as { items: Record<string, unknown>[] }).items;
    // 003 was DX01's in September only (DX02's from October): its September alone.
    expect(
      items.map((i) => [(i.school as { code: string }).code, i.enrolled, i.participants]),
    ).toEqual([
      ['1000000001', 400, 288],
      ['1000000003', 200, 90],
    ]);
  });
});

describe('school(code, period), townships(period), satisfaction(period)', () => {
  it("leaves February out of a school's year", async () => {
    const data = await run(`{ school(code: "1000000001", period: "2025-2026") {
        month period current { enrolled participants } grades { grade enrolled participants } } }`);
    // September, October, January and March; February's 100/100 is not summed.
    expect(data.school).toEqual({
      month: '2026-08',
      period: '2025-2026',
      current: { enrolled: 500, participants: 363 },
      grades: [
        { grade: 1, enrolled: 400, participants: 70 + 78 + 50 + 75 },
        { grade: 2, enrolled: 100, participants: 90 },
      ],
    });
  });

  it('counts townships with schools in scope in some month of the period', async () => {
    const data = await run(`{ townships(period: "2025-2026-1") { name schools } }`, VIEWERS.dx01);
    expect(data.townships).toEqual([
      { name: '东城镇', schools: 1 },
      { name: '西山乡', schools: 1 },
    ]);
  });

  it("counts a semester's answers once each", async () => {
    const data = await run(`{ satisfaction(period: "2025-2026-1") {
        from to period byRespondent { respondent responses score } } }`);
    expect(data.satisfaction).toEqual({
      from: '2025-09',
      to: '2026-01',
      period: '2025-2026-1',
      byRespondent: [
        { respondent: 'parent', responses: 5, score: 50 },
        { respondent: 'student', responses: 1, score: 100 },
        { respondent: 'teacher', responses: 0, score: null },
      ],
    });
    const { errors } = await api.run(
      VIEWERS.bureau,
      `{ satisfaction(period: "2025-2026-1", from: "2025-09", to: "2025-10") { from } }`,
    );
    expect(errors?.[0]?.message).toContain('from/to 与 period 只能给一种');
  });

  it('refuses a bad period on every query', async () => {
    for (const query of [
      `{ schools(period: "2025-2026-9") { total } }`,
      `{ school(code: "1000000001", period: "2025") { month } }`,
      `{ townships(period: "2025-2027") { name } }`,
      `{ satisfaction(period: "2025-2026-0") { from } }`,
      `{ overviewByTownship(period: "x") { township } }`,
    ]) {
      const { errors } = await api.run(VIEWERS.bureau, query);
      expect(errors?.[0]?.extensions?.code, query).toBe('BAD_USER_INPUT');
      expect(errors?.[0]?.message, query).toContain('period 应为月份');
    }
  });
});
