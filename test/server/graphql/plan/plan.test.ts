/**
 * 走访计划 through GraphQL, per role, on the API fixture district (clock 2025-11-20 noon in
 * Shanghai): DX01 has 1000000001 (and 1000000003 in 2025-09), DX02 has 1000000002 and
 * 1000000004 (and 1000000003 from 2025-10). A 督学 gets their schools of the month and no
 * other; the bureau the district or one 督学's; leadership is refused; only the bureau
 * reads the schools no one visited in a semester.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Viewer } from '../../../../server/auth/viewer.ts';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../../helpers/api-fixture.ts';

const NOW = new Date('2025-11-20T04:00:00Z');

let fx: ApiFixture;
beforeAll(async () => {
  fx = await openApiFixture({ now: NOW });
});
afterAll(async () => {
  await fx.close();
});
beforeEach(async () => {
  await fx.writer.write(async ({ db }) => {
    await sql`DELETE FROM visits`.execute(db);
  });
});

const PLAN = `query ($month: String, $inspectorId: String, $scope: ScopeInput, $first: Int) {
  visitPlan(month: $month, inspectorId: $inspectorId, scope: $scope, first: $first) {
    month asOf total high medium low
    items { rank schoolCode schoolName score band bandLabel lastVisit
      reasons { code label text points } inspectors { id name } } } }`;

interface Plan {
  month: string;
  asOf: string;
  total: number;
  high: number;
  medium: number;
  low: number;
  items: {
    rank: number;
    schoolCode: string;
    score: number;
    band: string;
    bandLabel: string;
    lastVisit: string | null;
    reasons: { code: string; points: number; text: string }[];
    inspectors: { id: string; name: string }[];
  }[];
}

async function plan(viewer: Viewer, vars: Record<string, unknown> = {}) {
  const { data, errors } = await fx.run(viewer, PLAN, { month: '2025-10', ...vars });
  return { plan: (data?.visitPlan ?? null) as Plan | null, errors };
}

const codes = (p: Plan | null) => (p?.items ?? []).map((i) => i.schoolCode).sort();

async function addVisit(school: string, date: string): Promise<void> {
  await fx.writer.write(async ({ db }) => {
    await sql`INSERT INTO visits (school_code, visit_date, kind, user_id, username, user_name,
      findings) VALUES (${school}, ${date}::DATE, 'ROUTINE', 1, 'bureau', 'bureau', '无')`.execute(
      db,
    );
  });
}

describe('visitPlan', () => {
  it('gives a 督学 their schools of the month, ranked', async () => {
    const dx02 = await plan(VIEWERS.dx02);
    expect(dx02.errors).toBeUndefined();
    expect(codes(dx02.plan)).toEqual(['1000000002', '1000000003', '1000000004']);
    expect(dx02.plan?.asOf).toBe('2025-10-31');
    expect(dx02.plan?.items.map((i) => i.rank)).toEqual([1, 2, 3]);
    const scores = dx02.plan?.items.map((i) => i.score) ?? [];
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(dx02.plan?.total).toBe(3);
    const p = dx02.plan as Plan;
    expect(p.high + p.medium + p.low).toBe(3);
    // Each item's score is the sum of its reasons' points, each reason a sentence.
    for (const item of p.items) {
      expect(item.score).toBe(item.reasons.reduce((s, r) => s + r.points, 0));
      for (const r of item.reasons) expect(r.text.length).toBeGreaterThan(4);
    }
    expect(codes((await plan(VIEWERS.dx01)).plan)).toEqual(['1000000001']);
    // In 2025-09 1000000003 was still DX01's.
    expect(codes((await plan(VIEWERS.dx01, { month: '2025-09' })).plan)).toEqual([
      '1000000001',
      '1000000003',
    ]);
  });

  it('gives the bureau the district, or one 督学’s schools, the same figures as theirs', async () => {
    const district = await plan(VIEWERS.bureau);
    expect(codes(district.plan)).toEqual(['1000000001', '1000000002', '1000000003', '1000000004']);
    const ofDx02 = await plan(VIEWERS.bureau, { inspectorId: 'DX02' });
    expect(ofDx02.plan).toEqual((await plan(VIEWERS.dx02)).plan);
    const school2 = district.plan?.items.find((i) => i.schoolCode === '1000000002');
    expect(school2?.inspectors).toEqual([{ id: 'DX02', name: '李督学' }]);
    // first cuts the list, total still counts every school.
    const top = await plan(VIEWERS.bureau, { first: 1 });
    expect(top.plan?.items.map((i) => i.schoolCode)).toEqual([district.plan?.items[0]?.schoolCode]);
    expect(top.plan?.total).toBe(4);
  });

  it('counts a visit: the school’s months unvisited go and the visit date shows', async () => {
    const before = await plan(VIEWERS.dx01);
    const unvisited = (p: Plan | null) =>
      p?.items[0]?.reasons.find((r) => r.code === 'UNVISITED')?.points ?? 0;
    expect(unvisited(before.plan)).toBe(6);
    await addVisit('1000000001', '2025-10-08');
    const after = await plan(VIEWERS.dx01);
    expect(unvisited(after.plan)).toBe(0);
    expect(after.plan?.items[0]?.lastVisit).toBe('2025-10-08');
    expect(after.plan?.items[0]?.score).toBe((before.plan?.items[0]?.score ?? 0) - 6);
  });

  it('refuses leadership, a 督学 asking for another 督学, and answers nothing to the unlinked', async () => {
    const leader = await plan(VIEWERS.leader);
    expect(leader.plan).toBeNull();
    expect(leader.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const other = await plan(VIEWERS.dx01, { inspectorId: 'DX02' });
    expect(other.plan).toBeNull();
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(other.errors)).not.toMatch(/100000000[234]/);
    const unlinked = await plan(VIEWERS.unlinked);
    expect(unlinked.plan?.total).toBe(0);
    expect(unlinked.plan?.items).toEqual([]);
    // A 督学's scope narrows within their remit, never beyond it.
    const narrowed = await plan(VIEWERS.dx01, { scope: { schoolCodes: ['1000000002'] } });
    expect(narrowed.plan?.items).toEqual([]);
  });

  it('refuses a malformed month and page size', async () => {
    expect((await plan(VIEWERS.bureau, { month: '2025-13x' })).errors?.[0]?.extensions?.code).toBe(
      'BAD_USER_INPUT',
    );
    expect((await plan(VIEWERS.bureau, { first: 301 })).errors?.[0]?.extensions?.code).toBe(
      'BAD_USER_INPUT',
    );
  });
});

const UNVISITED = `query ($semester: String) { unvisitedSchools(semester: $semester) {
  semester label total items { schoolCode lastVisit inspectors { id name } } } }`;

describe('unvisitedSchools', () => {
  it('lists the schools no one visited this semester, with their 督学 (bureau)', async () => {
    await addVisit('1000000002', '2025-10-20');
    await addVisit('1000000001', '2025-06-10');
    const { data, errors } = await fx.run(VIEWERS.bureau, UNVISITED);
    expect(errors).toBeUndefined();
    expect(data?.unvisitedSchools).toEqual({
      semester: '2025-2026-1',
      label: '2025-2026学年第一学期',
      total: 3,
      items: [
        {
          schoolCode: '1000000001',
          lastVisit: '2025-06-10',
          inspectors: [{ id: 'DX01', name: '张督学' }],
        },
        {
          schoolCode: '1000000003',
          lastVisit: null,
          inspectors: [{ id: 'DX02', name: '李督学' }],
        },
        {
          schoolCode: '1000000004',
          lastVisit: null,
          inspectors: [{ id: 'DX02', name: '李督学' }],
        },
      ],
    });
  });

  it('is the bureau’s only, and asks for a semester', async () => {
    for (const viewer of [VIEWERS.leader, VIEWERS.dx01, VIEWERS.dx02, VIEWERS.unlinked]) {
      const { data, errors } = await fx.run(viewer, UNVISITED);
      expect(data?.unvisitedSchools ?? null).toBeNull();
      expect(errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const bad = await fx.run(VIEWERS.bureau, UNVISITED, { semester: '2025-10' });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
