/**
 * 四不两直 draws through GraphQL: a draw repeated from its seed, the recently visited left
 * out unless asked, the replay check (and a tampered draw failing it), who may draw and
 * read, and a 督学 seeing a drawn school of theirs only from its visit date on, with the
 * UNANNOUNCED visit linked. Fixture: 东城镇 1000000001 (DX01), 1000000002 (DX02); 西山乡
 * 1000000003 (DX01 until 2025-09, DX02 from 2025-10), 1000000004 (DX02).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Viewer } from '../../../../server/auth/viewer.ts';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../../helpers/api-fixture.ts';

// Wednesday 2025-10-15, noon in Shanghai.
const NOW = new Date('2025-10-15T04:00:00Z');
const at = (date: string) => new Date(`${date}T12:00:00+08:00`);

let fx: ApiFixture;
beforeAll(async () => {
  fx = await openApiFixture({ now: NOW });
});
afterAll(async () => {
  await fx.close();
});

async function reset() {
  fx.setNow(NOW);
  await fx.writer.write(async ({ db }) => {
    await sql`DELETE FROM visit_draw_schools; DELETE FROM visit_draw_candidates;
      DELETE FROM visit_draws; DELETE FROM flag_events; DELETE FROM flags;
      DELETE FROM visit_checks; DELETE FROM visits; DELETE FROM audit_log;`.execute(db);
  });
}

const DRAW_FIELDS = `id seed from to sampleSize recentDays includeRecent scopeJson policyVersion
  drawnBy drawnAt note candidateCount excludedRecentCount
  strata { township band bandLabel population allocated }
  schools { schoolCode schoolName township band bandLabel riskScore position visitDate visitId }`;

const DRAW = `mutation ($input: DrawVisitsInput!) { drawVisits(input: $input) { ${DRAW_FIELDS} } }`;

interface DrawnSchool {
  schoolCode: string;
  township: string;
  band: string;
  position: number;
  visitDate: string;
  visitId: string | null;
}
interface Draw {
  id: string;
  seed: string;
  drawnBy: string;
  drawnAt: string;
  candidateCount: number;
  excludedRecentCount: number;
  recentDays: number;
  strata: { township: string; band: string; population: number; allocated: number }[];
  schools: DrawnSchool[];
}

// Monday 2025-10-20 to Friday 2025-10-24: five working days.
const INPUT = { from: '2025-10-20', to: '2025-10-24', sampleSize: 4, seed: '2025年10月第一批' };

async function draw(viewer: Viewer, fields: Record<string, unknown> = {}) {
  const { data, errors } = await fx.run(viewer, DRAW, { input: { ...INPUT, ...fields } });
  return {
    draw: (data?.drawVisits ?? null) as Draw | null,
    code: errors?.[0]?.extensions?.code,
    message: errors?.[0]?.message,
  };
}

async function drawn(fields: Record<string, unknown> = {}): Promise<Draw> {
  const result = await draw(VIEWERS.bureau, fields);
  expect(result.message).toBeUndefined();
  return result.draw as Draw;
}

const assignment = (d: Draw) =>
  d.schools.map((s) => `${s.position}:${s.schoolCode}@${s.visitDate}`);

async function verify(viewer: Viewer, id: string) {
  return fx.run(
    viewer,
    `query ($id: ID!) { verifyDraw(id: $id) { drawId matches checked differences } }`,
    {
      id,
    },
  );
}

async function due(viewer: Viewer) {
  const { data, errors } = await fx.run(
    viewer,
    `{ myUnannouncedVisits { schoolCode schoolName visitDate visitId } }`,
  );
  expect(errors).toBeUndefined();
  return data?.myUnannouncedVisits as {
    schoolCode: string;
    visitDate: string;
    visitId: string | null;
  }[];
}

async function recordVisit(viewer: Viewer, schoolCode: string, date: string, kind: string) {
  const { data, errors } = await fx.run(
    viewer,
    `mutation ($input: VisitInput!) { recordVisit(input: $input) { id } }`,
    { input: { schoolCode, date, kind, checklist: [], findings: '四不两直检查' } },
  );
  expect(errors).toBeUndefined();
  return (data?.recordVisit as { id: string }).id;
}

describe('drawVisits', () => {
  beforeEach(reset);

  it('draws every eligible school into its township × band stratum, on working days, with an audit row', async () => {
    const d = await drawn();
    expect(d.seed).toBe(INPUT.seed);
    expect([d.drawnBy, d.drawnAt]).toEqual(['bureau', '2025-10-15T12:00:00+08:00']);
    expect(d.candidateCount).toBe(4);
    expect(d.excludedRecentCount).toBe(0);
    expect(d.recentDays).toBe(30);
    expect(d.schools.map((s) => s.schoolCode).sort()).toEqual([
      '1000000001',
      '1000000002',
      '1000000003',
      '1000000004',
    ]);
    // Four slots over five working days: days ⌊i·5/4⌋ = 0, 1, 2, 3 of the range.
    expect(d.schools.map((s) => s.visitDate).sort()).toEqual([
      '2025-10-20',
      '2025-10-21',
      '2025-10-22',
      '2025-10-23',
    ]);
    // All drawn: each stratum gives all of its schools, and the strata cover both townships.
    expect(d.strata.every((s) => s.allocated === s.population)).toBe(true);
    const byTownship = (t: string) =>
      d.strata.filter((s) => s.township === t).reduce((n, s) => n + s.population, 0);
    expect([byTownship('东城镇'), byTownship('西山乡')]).toEqual([2, 2]);
    // Positions walk the strata in order: township, then HIGH, MEDIUM, LOW.
    const order = d.schools.map((s) =>
      d.strata.findIndex((x) => x.township === s.township && x.band === s.band),
    );
    expect(order).toEqual([...order].sort((a, b) => a - b));
    const audit = await sql<{ action: string; target: string; detail: string }>`
      SELECT action, target, detail FROM audit_log`.execute(fx.warehouse.db);
    expect(audit.rows).toEqual([
      {
        action: 'draws.draw',
        target: `draw:${d.id}`,
        detail: `seed=${INPUT.seed} from=2025-10-20 to=2025-10-24 n=4 candidates=4`,
      },
    ]);
  });

  it('draws the same schools on the same days from the same seed', async () => {
    const first = await drawn({ sampleSize: 2 });
    const second = await drawn({ sampleSize: 2 });
    expect(second.id).not.toBe(first.id);
    expect(assignment(second)).toEqual(assignment(first));
    const others = await Promise.all(
      ['乙', '丙', '丁'].map((seed) => drawn({ sampleSize: 2, seed })),
    );
    expect(others.some((o) => assignment(o).join() !== assignment(first).join())).toBe(true);
  });

  it('leaves out a school visited within recent_visit_days before from, unless asked', async () => {
    // 2025-10-10 is within 30 days before 2025-10-20.
    await recordVisit(VIEWERS.bureau, '1000000002', '2025-10-10', 'ROUTINE');
    const d = await drawn();
    expect(d.candidateCount).toBe(4);
    expect(d.excludedRecentCount).toBe(1);
    expect(d.schools.map((s) => s.schoolCode).sort()).toEqual([
      '1000000001',
      '1000000003',
      '1000000004',
    ]);
    const kept = await drawn({ includeRecent: true });
    expect(kept.excludedRecentCount).toBe(0);
    expect(kept.schools.map((s) => s.schoolCode)).toContain('1000000002');
  });

  it('narrows the candidates by the scope and makes up a seed when none is given', async () => {
    const d = await drawn({ seed: null, sampleSize: 1, scope: { township: '西山乡' } });
    expect(d.seed).toMatch(/^[0-9a-f]{16}$/u);
    expect(d.candidateCount).toBe(2);
    expect(d.schools).toHaveLength(1);
    expect(d.schools[0]?.township).toBe('西山乡');
  });

  it('refuses a past start, a range without a working day, and a bad size', async () => {
    for (const fields of [
      { from: '2025-10-14' },
      { from: '2025-10-18', to: '2025-10-19' },
      { sampleSize: 0 },
      { sampleSize: 201 },
      { to: '2026-02-01' },
    ]) {
      const result = await draw(VIEWERS.bureau, fields);
      expect(result.code, JSON.stringify(fields)).toBe('BAD_USER_INPUT');
    }
    const count = await sql<{ n: number }>`SELECT count(*)::INTEGER AS n FROM visit_draws`.execute(
      fx.warehouse.db,
    );
    expect(count.rows[0]?.n).toBe(0);
  });

  it('is the bureau’s alone', async () => {
    for (const viewer of [VIEWERS.leader, VIEWERS.dx01, VIEWERS.dx02, VIEWERS.unlinked]) {
      expect((await draw(viewer)).code).toBe('FORBIDDEN');
      const d = await drawn();
      for (const query of [
        `query ($id: ID!) { visitDraw(id: $id) { id } }`,
        `query ($id: ID!) { verifyDraw(id: $id) { matches } }`,
      ]) {
        const { data, errors } = await fx.run(viewer, query, { id: d.id });
        expect(errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        expect(JSON.stringify(data ?? {})).not.toMatch(/10000000/u);
      }
      const { errors } = await fx.run(viewer, `{ visitDraws { total } }`);
      expect(errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });
});

describe('verifyDraw', () => {
  beforeEach(reset);

  it('replays the seed over the recorded candidates', async () => {
    const d = await drawn({ sampleSize: 3 });
    const { data, errors } = await verify(VIEWERS.bureau, d.id);
    expect(errors).toBeUndefined();
    expect(data?.verifyDraw).toEqual({ drawId: d.id, matches: true, checked: 3, differences: [] });
  });

  it('finds a drawn school moved to another day, and a candidate gone', async () => {
    const d = await drawn({ sampleSize: 3 });
    const first = d.schools[0] as DrawnSchool;
    await fx.writer.write(async ({ db }) => {
      await sql`UPDATE visit_draw_schools SET visit_date = DATE '2025-10-24'
        WHERE draw_id = ${Number(d.id)} AND position = 1`.execute(db);
    });
    const moved = await verify(VIEWERS.bureau, d.id);
    expect(moved.data?.verifyDraw).toEqual({
      drawId: d.id,
      matches: false,
      checked: 3,
      differences: [
        `第 1 位：记录为 ${first.schoolCode}（2025-10-24），按种子重放为 ${first.schoolCode}（${first.visitDate}）`,
      ],
    });
    const other = await drawn({ sampleSize: 4, seed: '另一批' });
    await fx.writer.write(async ({ db }) => {
      await sql`DELETE FROM visit_draw_candidates WHERE draw_id = ${Number(other.id)}
        AND school_code = ${other.schools[3]?.schoolCode ?? ''}`.execute(db);
    });
    const gone = await verify(VIEWERS.bureau, other.id);
    expect((gone.data?.verifyDraw as { matches: boolean }).matches).toBe(false);
  });

  it('answers null for a draw that does not exist', async () => {
    const { data, errors } = await verify(VIEWERS.bureau, '99999');
    expect(errors).toBeUndefined();
    expect(data).toEqual({ verifyDraw: null });
  });
});

describe('myUnannouncedVisits', () => {
  beforeEach(reset);

  it('shows a 督学 a drawn school of theirs from its visit date on, never before', async () => {
    const d = await drawn();
    const dateOf = (code: string) =>
      d.schools.find((s) => s.schoolCode === code)?.visitDate as string;
    const mine = dateOf('1000000001');
    // Before: nothing at all, the same answer as a 督学 without any draw.
    expect(await due(VIEWERS.dx01)).toEqual([]);
    expect(await due(VIEWERS.dx02)).toEqual([]);
    const dayBefore = new Date(at(mine).getTime() - 24 * 60 * 60 * 1000);
    fx.setNow(dayBefore);
    expect(await due(VIEWERS.dx01)).toEqual([]);
    fx.setNow(at(mine));
    expect(await due(VIEWERS.dx01)).toEqual([
      { schoolCode: '1000000001', schoolName: '东城第一小学', visitDate: mine, visitId: null },
    ]);
    // Every date passed: DX02 sees its three (1000000003 is theirs from 2025-10), DX01 only
    // its one; the bureau, leadership and an unlinked account get nothing.
    fx.setNow(at('2025-10-24'));
    expect((await due(VIEWERS.dx02)).map((v) => v.schoolCode).sort()).toEqual([
      '1000000002',
      '1000000003',
      '1000000004',
    ]);
    expect((await due(VIEWERS.dx01)).map((v) => v.schoolCode)).toEqual(['1000000001']);
    for (const viewer of [VIEWERS.bureau, VIEWERS.leader, VIEWERS.unlinked])
      expect(await due(viewer)).toEqual([]);
  });

  it('links an UNANNOUNCED visit on or after the date, not a routine one or an earlier one', async () => {
    // An unannounced visit before the drawn date does not carry the draw out.
    await recordVisit(VIEWERS.dx01, '1000000001', '2025-10-15', 'UNANNOUNCED');
    const d = await drawn({ includeRecent: true });
    const date = d.schools.find((s) => s.schoolCode === '1000000001')?.visitDate as string;
    fx.setNow(at('2025-10-24'));
    await recordVisit(VIEWERS.dx01, '1000000001', date, 'ROUTINE');
    expect((await due(VIEWERS.dx01))[0]?.visitId).toBeNull();
    const visitId = await recordVisit(VIEWERS.dx01, '1000000001', date, 'UNANNOUNCED');
    expect(await due(VIEWERS.dx01)).toEqual([
      { schoolCode: '1000000001', schoolName: '东城第一小学', visitDate: date, visitId },
    ]);
    const { data } = await fx.run(
      VIEWERS.bureau,
      `query ($id: ID!) { visitDraw(id: $id) { schools { schoolCode visitId } } }`,
      { id: d.id },
    );
    const schools = (
      data?.visitDraw as { schools: { schoolCode: string; visitId: string | null }[] }
    ).schools;
    expect(schools.filter((s) => s.visitId !== null)).toEqual([
      { schoolCode: '1000000001', visitId },
    ]);
  });
});

describe('visitDraws', () => {
  beforeEach(reset);

  it('lists draws newest first with a cursor', async () => {
    const a = await drawn({ seed: 'a' });
    fx.setNow(new Date(NOW.getTime() + 60_000));
    const b = await drawn({ seed: 'b' });
    const page = await fx.run(
      VIEWERS.bureau,
      `{ visitDraws(first: 1) { total endCursor items { id seed } } }`,
    );
    const first = page.data?.visitDraws as {
      total: number;
      endCursor: string;
      items: { id: string }[];
    };
    expect(first.total).toBe(2);
    expect(first.items.map((i) => i.id)).toEqual([b.id]);
    const next = await fx.run(
      VIEWERS.bureau,
      `query ($after: String) { visitDraws(first: 1, after: $after) { endCursor items { id } } }`,
      {
        after: first.endCursor,
      },
    );
    expect(next.data?.visitDraws).toEqual({ endCursor: null, items: [{ id: a.id }] });
  });
});
