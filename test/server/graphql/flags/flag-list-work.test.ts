/**
 * Working the flag list: the three sort orders, recurring flags grouped by school and rule,
 * and the bulk rectification request with a mix of flags the user may and may not move.
 * The clock is 2025-10-15 noon in Shanghai: school 1000000003 moved from DX01 to DX02 in
 * 2025-10; 1000000001 is DX01's, 1000000002 and 1000000004 DX02's.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FlagStatus } from '../../../../server/db/tables/flags.table.ts';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../../helpers/api-fixture.ts';
import { seedLateEndFlag } from '../../../helpers/seed-flag.ts';

const NOW = new Date('2025-10-15T04:00:00Z');

let fx: ApiFixture;
beforeAll(async () => {
  fx = await openApiFixture({ now: NOW });
});
afterAll(async () => {
  await fx.close();
});
beforeEach(async () => {
  fx.setNow(NOW);
  await fx.writer.write(async ({ db }) => {
    await sql`DELETE FROM flag_events; DELETE FROM flags; DELETE FROM visit_checks;
      DELETE FROM visits; DELETE FROM audit_log;`.execute(db);
  });
});

interface Seed {
  school: string;
  month: string;
  status?: FlagStatus;
  createdAt: string;
  deadline?: string;
  /** Re-labels the LATE_END flag as an ILLEGAL_FEES one (another rule). */
  fees?: boolean;
}
async function seed(flag: Seed): Promise<string> {
  const id = await seedLateEndFlag(fx.writer, flag);
  if (flag.fees)
    await fx.writer.write(({ db }) =>
      sql`UPDATE flags SET code = 'ILLEGAL_FEES', rule = 'ILLEGAL_FEES.per_period'
        WHERE flag_id = ${Number(id)}`.execute(db),
    );
  return id;
}

async function listIds(sort: string | null, viewer = VIEWERS.bureau): Promise<string[]> {
  const { data, errors } = await fx.run(
    viewer,
    `query ($sort: FlagSort) { flags(sort: $sort, first: 2) { total items { id } endCursor } }`,
    sort === null ? {} : { sort },
  );
  expect(errors).toBeUndefined();
  // Two pages of two: the order holds across pages.
  const first = data?.flags as { items: { id: string }[]; endCursor: string };
  const rest = await fx.run(
    viewer,
    `query ($sort: FlagSort, $after: String) { flags(sort: $sort, first: 50, after: $after) { items { id } } }`,
    { ...(sort === null ? {} : { sort }), after: first.endCursor },
  );
  const second = rest.data?.flags as { items: { id: string }[] };
  return [...first.items, ...second.items].map((i) => i.id);
}

describe('sorting the flag list', () => {
  it('orders newest, oldest and overdue first as computed by hand', async () => {
    // Today 2025-10-15. a: OPEN. b: RECTIFYING due 10-05 (10 days overdue). c: RECTIFYING
    // due 10-12 (3 days). d: RECTIFYING due 10-20 (not overdue). e: RECTIFIED with an old
    // deadline 09-01 (not overdue: it is not under rectification).
    const a = await seed({
      school: '1000000001',
      month: '2025-10',
      createdAt: '2025-10-01T02:00:00Z',
    });
    const b = await seed({
      school: '1000000002',
      month: '2025-09',
      status: 'RECTIFYING',
      deadline: '2025-10-05',
      createdAt: '2025-09-20T02:00:00Z',
    });
    const c = await seed({
      school: '1000000004',
      month: '2025-09',
      status: 'RECTIFYING',
      deadline: '2025-10-12',
      createdAt: '2025-10-03T02:00:00Z',
    });
    const d = await seed({
      school: '1000000001',
      month: '2025-09',
      status: 'RECTIFYING',
      deadline: '2025-10-20',
      createdAt: '2025-09-25T02:00:00Z',
    });
    const e = await seed({
      school: '1000000002',
      month: '2025-08',
      status: 'RECTIFIED',
      deadline: '2025-09-01',
      createdAt: '2025-08-20T02:00:00Z',
    });

    expect(await listIds(null)).toEqual([c, a, d, b, e]);
    expect(await listIds('NEWEST')).toEqual([c, a, d, b, e]);
    expect(await listIds('OLDEST_FIRST')).toEqual([e, b, d, a, c]);
    // b (10 days), c (3 days), then d (nearest deadline), then the rest newest first.
    expect(await listIds('OVERDUE_FIRST')).toEqual([b, c, d, a, e]);
    // A 督学 sorts only their own: DX02 has 1000000002 and 1000000004.
    expect(await listIds('OVERDUE_FIRST', VIEWERS.dx02)).toEqual([b, c, e]);
  });
});

const GROUPS = `query ($sort: FlagSort, $status: FlagStatus) {
  flagGroups(sort: $sort, status: $status) {
    total
    items { schoolCode code codeLabel rule count openCount overdueCount months flagIds
      latest { id status } }
  } }`;

describe('recurring flags', () => {
  it('groups flags of one school and rule with their counts, months and latest flag', async () => {
    const s1aug = await seed({
      school: '1000000001',
      month: '2025-08',
      status: 'CLOSED',
      createdAt: '2025-09-05T02:00:00Z',
    });
    const s1sep = await seed({
      school: '1000000001',
      month: '2025-09',
      status: 'RECTIFYING',
      deadline: '2025-10-10',
      createdAt: '2025-10-05T02:00:00Z',
    });
    const s1oct = await seed({
      school: '1000000001',
      month: '2025-10',
      createdAt: '2025-10-12T02:00:00Z',
    });
    // A second month-2025-10 flag of the same rule (a corrected report): months stay distinct.
    const s1oct2 = await seed({
      school: '1000000001',
      month: '2025-10',
      status: 'DISMISSED',
      createdAt: '2025-10-11T02:00:00Z',
    });
    const fees = await seed({
      school: '1000000001',
      month: '2025-10',
      fees: true,
      createdAt: '2025-10-13T02:00:00Z',
    });
    const s4 = await seed({
      school: '1000000004',
      month: '2025-09',
      createdAt: '2025-09-28T02:00:00Z',
    });

    const { data, errors } = await fx.run(VIEWERS.bureau, GROUPS, {});
    expect(errors).toBeUndefined();
    const page = data?.flagGroups as { total: number; items: Record<string, unknown>[] };
    expect(page.total).toBe(3);
    // NEWEST: by each group's newest flag: fees 10-13, LATE_END@1 10-12, @4 09-28.
    expect(page.items).toEqual([
      {
        schoolCode: '1000000001',
        code: 'ILLEGAL_FEES',
        codeLabel: expect.any(String),
        rule: 'ILLEGAL_FEES.per_period',
        count: 1,
        openCount: 1,
        overdueCount: 0,
        months: ['2025-10'],
        flagIds: [fees],
        latest: { id: fees, status: 'OPEN' },
      },
      {
        schoolCode: '1000000001',
        code: 'LATE_END',
        codeLabel: '结束时间过晚',
        rule: 'LATE_END.cap',
        count: 4,
        // OPEN + RECTIFYING; CLOSED and DISMISSED are finished.
        openCount: 2,
        // s1sep: RECTIFYING, due 10-10 < 10-15.
        overdueCount: 1,
        months: ['2025-08', '2025-09', '2025-10'],
        flagIds: [s1oct, s1oct2, s1sep, s1aug],
        latest: { id: s1oct, status: 'OPEN' },
      },
      {
        schoolCode: '1000000004',
        code: 'LATE_END',
        codeLabel: '结束时间过晚',
        rule: 'LATE_END.cap',
        count: 1,
        openCount: 1,
        overdueCount: 0,
        months: ['2025-09'],
        flagIds: [s4],
        latest: { id: s4, status: 'OPEN' },
      },
    ]);

    // OLDEST_FIRST: by each group's oldest flag: LATE_END@1 09-05, @4 09-28, fees 10-13.
    const oldest = await fx.run(VIEWERS.bureau, GROUPS, { sort: 'OLDEST_FIRST' });
    const oldestItems = (oldest.data?.flagGroups as { items: { flagIds: string[] }[] }).items;
    expect(oldestItems.map((g) => g.flagIds[0])).toEqual([s1oct, s4, fees]);
    // OVERDUE_FIRST: the group holding the overdue flag leads, then newest.
    const overdue = await fx.run(VIEWERS.bureau, GROUPS, { sort: 'OVERDUE_FIRST' });
    const overdueItems = (overdue.data?.flagGroups as { items: { flagIds: string[] }[] }).items;
    expect(overdueItems.map((g) => g.flagIds[0])).toEqual([s1oct, fees, s4]);

    // The list's filters apply before grouping: only OPEN flags.
    const open = await fx.run(VIEWERS.bureau, GROUPS, { status: 'OPEN' });
    const openItems = (open.data?.flagGroups as { items: Record<string, unknown>[] }).items;
    expect(openItems.map((g) => [g.rule, g.count, g.flagIds])).toEqual([
      ['ILLEGAL_FEES.per_period', 1, [fees]],
      ['LATE_END.cap', 1, [s1oct]],
      ['LATE_END.cap', 1, [s4]],
    ]);

    // A 督学 groups only their schools' flags.
    const mine = await fx.run(VIEWERS.dx02, GROUPS, {});
    const mineGroups = mine.data?.flagGroups as { total: number; items: { flagIds: string[] }[] };
    expect([mineGroups.total, mineGroups.items.map((g) => g.flagIds)]).toEqual([1, [[s4]]]);
  });
});

const BULK = `mutation ($ids: [ID!]!, $deadline: String = "2025-10-31", $text: String = "限期整改") {
  requestRectifications(flagIds: $ids, deadline: $deadline, request: $text) {
    requested { id status rectificationDeadline rectificationRequest }
    skipped { flagId reason message }
  } }`;

async function audits() {
  const result = await sql<Record<string, unknown>>`
    SELECT user_id, action, target, outcome, detail FROM audit_log ORDER BY audit_id`.execute(
    fx.warehouse.db,
  );
  return result.rows;
}

describe('bulk rectification request', () => {
  it('moves the flags the user may move and reports the others with why', async () => {
    const created = '2025-10-10T02:00:00Z';
    const mine = await seed({ school: '1000000001', month: '2025-10', createdAt: created });
    const rectified = await seed({
      school: '1000000001',
      month: '2025-09',
      status: 'RECTIFIED',
      createdAt: created,
    });
    const rectifying = await seed({
      school: '1000000001',
      month: '2025-09',
      status: 'RECTIFYING',
      createdAt: created,
    });
    // Moved away to DX02 in 2025-10: DX01 still sees the September flag but may not act.
    const movedAway = await seed({ school: '1000000003', month: '2025-09', createdAt: created });
    // Never DX01's: reads exactly like a missing flag.
    const hidden = await seed({ school: '1000000004', month: '2025-10', createdAt: created });

    const { data, errors } = await fx.run(VIEWERS.dx01, BULK, {
      ids: [mine, rectified, rectifying, movedAway, hidden, '987654', 'abc', mine],
    });
    expect(errors).toBeUndefined();
    const result = data?.requestRectifications as {
      requested: Record<string, unknown>[];
      skipped: { flagId: string; reason: string; message: string }[];
    };
    expect(result.requested).toEqual([
      {
        id: mine,
        status: 'RECTIFYING',
        rectificationDeadline: '2025-10-31',
        rectificationRequest: '限期整改',
      },
      {
        id: rectified,
        status: 'RECTIFYING',
        rectificationDeadline: '2025-10-31',
        rectificationRequest: '限期整改',
      },
    ]);
    expect(result.skipped.map((s) => [s.flagId, s.reason])).toEqual([
      [rectifying, 'STATUS'],
      [movedAway, 'NOT_IN_REMIT'],
      [hidden, 'NOT_FOUND'],
      ['987654', 'NOT_FOUND'],
      ['abc', 'NOT_FOUND'],
    ]);
    const byId = new Map(result.skipped.map((s) => [s.flagId, s.message]));
    expect(byId.get(hidden)).toBe(byId.get('987654'));
    expect(byId.get(rectifying)).toContain('整改中');

    // One history row per moved flag; the skipped ones unchanged.
    const events = await sql<{ flag_id: number; action: string }>`
      SELECT flag_id::INTEGER AS flag_id, action FROM flag_events ORDER BY flag_id`.execute(
      fx.warehouse.db,
    );
    expect(events.rows).toEqual([
      { flag_id: Number(mine), action: 'RECTIFICATION_REQUESTED' },
      { flag_id: Number(rectified), action: 'RECTIFICATION_REQUESTED' },
    ]);
    // One audit row per flag named, each like the single step's.
    expect(await audits()).toEqual([
      {
        user_id: 3,
        action: 'flags.request_rectification',
        target: `flag:${mine}`,
        outcome: 'ok',
        detail: 'OPEN→RECTIFYING',
      },
      {
        user_id: 3,
        action: 'flags.request_rectification',
        target: `flag:${rectified}`,
        outcome: 'ok',
        detail: 'RECTIFIED→RECTIFYING',
      },
      {
        user_id: 3,
        action: 'flags.request_rectification',
        target: `flag:${rectifying}`,
        outcome: 'failed',
        detail: 'status:RECTIFYING',
      },
      {
        user_id: 3,
        action: 'flags.request_rectification',
        target: `flag:${movedAway}`,
        outcome: 'denied',
        detail: 'school',
      },
      {
        user_id: 3,
        action: 'flags.request_rectification',
        target: `flag:${hidden}`,
        outcome: 'denied',
        detail: 'not_found',
      },
      {
        user_id: 3,
        action: 'flags.request_rectification',
        target: 'flag:987654',
        outcome: 'denied',
        detail: 'not_found',
      },
      {
        user_id: 3,
        action: 'flags.request_rectification',
        target: null,
        outcome: 'denied',
        detail: 'not_found',
      },
    ]);
  });

  it('refuses leadership as a whole and changes nothing', async () => {
    const id = await seed({
      school: '1000000001',
      month: '2025-10',
      createdAt: '2025-10-10T02:00:00Z',
    });
    const { data, errors } = await fx.run(VIEWERS.leader, BULK, { ids: [id] });
    expect(data).toBeNull();
    expect(errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const row = await sql<{
      status: string;
    }>`SELECT status FROM flags WHERE flag_id = ${Number(id)}`.execute(fx.warehouse.db);
    expect(row.rows[0]?.status).toBe('OPEN');
    expect(await audits()).toEqual([
      {
        user_id: 2,
        action: 'flags.request_rectification',
        target: null,
        outcome: 'denied',
        detail: 'bulk:1',
      },
    ]);
  });

  it('checks the deadline and the count before touching any flag', async () => {
    const id = await seed({
      school: '1000000001',
      month: '2025-10',
      createdAt: '2025-10-10T02:00:00Z',
    });
    const early = await fx.run(VIEWERS.bureau, BULK, { ids: [id], deadline: '2025-10-14' });
    expect(early.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const many = Array.from({ length: 201 }, (_, i) => String(i + 1));
    const tooMany = await fx.run(VIEWERS.bureau, BULK, { ids: many });
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const none = await fx.run(VIEWERS.bureau, BULK, { ids: [] });
    expect(none.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await audits()).toEqual([]);
  });
});
