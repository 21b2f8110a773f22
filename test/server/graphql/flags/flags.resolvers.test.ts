/**
 * The flags query side through GraphQL, on eight hand-placed flags of the fixture district.
 * "Now" is 2025-11-20 10:00 in Asia/Shanghai: 1000000001 is DX01's, 1000000002-4 DX02's
 * (1000000003 was DX01's in 2025-09 and moved to DX02 in 2025-10).
 *
 * | id | school | month   | code                | source     | status     | deadline   | created (UTC)    |
 * |----|--------|---------|---------------------|------------|------------|------------|------------------|
 * | 1  | …01    | 2025-09 | LATE_END            | report     | CLOSED     |            | 10-06 02:00      |
 * | 2  | …03    | 2025-09 | SAFETY_INCIDENT     | report     | RECTIFYING | 2025-10-20 | 10-06 02:00 (tie)|
 * | 3  | …02    | 2025-10 | ILLEGAL_FEES        | report     | OPEN       |            | 11-06 02:00      |
 * | 4  | …03    | 2025-10 | NOT_OFFERED         | report     | RECTIFYING | 2025-11-19 | 11-06 03:00      |
 * | 5  | …04    | 2025-10 | COLLECTIVE_TEACHING | inspection | DISMISSED  |            | 10-15 02:00      |
 * | 6  | …01    | 2025-10 | COLLECTIVE_TEACHING | inspection | RECTIFIED  |            | 10-16 02:00      |
 * | 7  | …02    | (none)  | STAFF_ETHICS        | inspection | OPEN       |            | 11-10 02:00      |
 * | 8  | …02    | 2025-10 | ILLEGAL_FEES        | report     | OPEN       |            | 11-06 02:30      |
 *
 * Newest first: 7, 4, 8, 3, 6, 5, 2, 1 (the tie of 2 and 1 broken by the higher id).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../../../server/graphql/metrics/cursor.ts';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../../helpers/api-fixture.ts';

const NOW = new Date('2025-11-20T02:00:00Z');
let fx: ApiFixture;
let monthlyBatch: number;

beforeAll(async () => {
  fx = await openApiFixture({ now: NOW });
  const batch = await fx.warehouse.db
    .selectFrom('load_batches')
    .select('batch_id')
    .where('file_name', '=', '月报.csv')
    .executeTakeFirstOrThrow();
  monthlyBatch = batch.batch_id;
  await fx.writer.write(async ({ conn }) => {
    await conn.run('DELETE FROM flag_events');
    await conn.run('DELETE FROM flags');
    await conn.run(`INSERT INTO flags (flag_id, school_code, month, code, rule, source, status,
        detail, policy_version, threshold, observed, evidence_batch_id, visit_id, raised_by,
        rectify_deadline, rectify_request, rectify_report, resolution, created_at, updated_at)
      VALUES
      (1, '1000000001', '2025-09', 'LATE_END', 'LATE_END.after_cap', 'report', 'CLOSED',
        '最晚结束时间 18:20，超过规定 18:00（小学）', '2021.1', '18:00（小学）', '18:20', ${monthlyBatch}, NULL,
        'system', NULL, NULL, NULL, 'closed', '2025-10-06T02:00:00Z', '2025-10-30T02:00:00Z'),
      (2, '1000000003', '2025-09', 'SAFETY_INCIDENT', 'SAFETY_INCIDENT.incidents', 'report',
        'RECTIFYING', '报告安全事故 1 起', '2021.1', '0', '1', ${monthlyBatch}, NULL, 'system',
        '2025-10-20', '提交事故处置报告', NULL, NULL, '2025-10-06T02:00:00Z', '2025-10-07T02:00:00Z'),
      (3, '1000000002', '2025-10', 'ILLEGAL_FEES', 'ILLEGAL_FEES.per_period', 'report', 'OPEN',
        '每课时收费 3 元，超过上限 0 元', '2021.1', '0', '3', ${monthlyBatch}, NULL, 'system',
        NULL, NULL, NULL, NULL, '2025-11-06T02:00:00Z', '2025-11-06T02:00:00Z'),
      (4, '1000000003', '2025-10', 'NOT_OFFERED', 'NOT_OFFERED.no_service', 'report',
        'RECTIFYING', '本月开展天数 0', '2021.1', '≥ 1 天', '0', ${monthlyBatch}, NULL, 'system',
        '2025-11-19', '请恢复课后服务', NULL, NULL, '2025-11-06T03:00:00Z', '2025-11-07T01:00:00Z'),
      (5, '1000000004', '2025-10', 'COLLECTIVE_TEACHING', 'COLLECTIVE_TEACHING.inspection',
        'inspection', 'DISMISSED', '督导发现集体授新课', NULL, NULL, NULL, NULL, 7, 'dx02',
        NULL, NULL, NULL, 'dismissed', '2025-10-15T02:00:00Z', '2025-10-20T02:00:00Z'),
      (6, '1000000001', '2025-10', 'COLLECTIVE_TEACHING', 'COLLECTIVE_TEACHING.inspection',
        'inspection', 'RECTIFIED', '督导发现集体补课', NULL, NULL, NULL, NULL, 8, 'dx01',
        '2025-11-01', '停止集体补课', '已停止', NULL, '2025-10-16T02:00:00Z', '2025-10-30T02:00:00Z'),
      (7, '1000000002', NULL, 'STAFF_ETHICS', 'STAFF_ETHICS.inspection', 'inspection', 'OPEN',
        '有师德问题的教师参与课后服务', NULL, NULL, NULL, NULL, 9, 'dx02',
        NULL, NULL, NULL, NULL, '2025-11-10T02:00:00Z', '2025-11-10T02:00:00Z'),
      (8, '1000000002', '2025-10', 'ILLEGAL_FEES', 'ILLEGAL_FEES.unpublished', 'report', 'OPEN',
        '收费未公示', '2021.1', '公示', '未公示', ${monthlyBatch}, NULL, 'system',
        NULL, NULL, NULL, NULL, '2025-11-06T02:30:00Z', '2025-11-06T02:30:00Z')`);
    // Inserted out of order: history must follow event_id, not insertion.
    await conn.run(`INSERT INTO flag_events (event_id, flag_id, action, from_status, to_status,
        user_id, username, user_name, occurred_at, note, deadline, batch_id, visit_id)
      VALUES
      (12, 4, 'RECTIFICATION_REQUESTED', 'OPEN', 'RECTIFYING', 1, 'bureau', '区督导',
        '2025-11-07T01:00:00Z', '请恢复课后服务', '2025-11-19', NULL, NULL),
      (13, 2, 'RAISED', NULL, 'OPEN', NULL, 'system', '系统', '2025-10-06T02:00:00Z', NULL, NULL,
        ${monthlyBatch}, NULL),
      (11, 4, 'RAISED', NULL, 'OPEN', NULL, 'system', '系统', '2025-11-06T03:00:00Z', NULL, NULL,
        ${monthlyBatch}, NULL)`);
  });
});
afterAll(() => fx.close());
beforeEach(() => fx.setNow(NOW));

type Viewer = (typeof VIEWERS)[keyof typeof VIEWERS];
interface Page {
  total: number;
  endCursor: string | null;
  items: { id: string }[];
}

const LIST = `query ($month: String, $schoolCode: String, $status: FlagStatus, $first: Int,
    $after: String, $scope: ScopeInput, $code: String, $codes: [String!], $statuses: [FlagStatus!],
    $source: FlagSource, $overdue: Boolean, $from: String, $to: String) {
  flags(month: $month, schoolCode: $schoolCode, status: $status, first: $first, after: $after,
    scope: $scope, code: $code, codes: $codes, statuses: $statuses, source: $source,
    overdue: $overdue, from: $from, to: $to) { total endCursor items { id } }
}`;

async function page(viewer: Viewer, vars: Record<string, unknown> = {}): Promise<Page> {
  const { data, errors, queries } = await fx.run(viewer, LIST, vars);
  expect(errors).toBeUndefined();
  expect(queries).toBe(1);
  return data?.flags as Page;
}

/** IDs of the matching flags, newest first; also checks total is the whole match. */
async function ids(viewer: Viewer, vars: Record<string, unknown> = {}): Promise<number[]> {
  const p = await page(viewer, vars);
  expect(p.total).toBe(p.items.length);
  return p.items.map((i) => Number(i.id));
}

async function errorCode(viewer: Viewer, query: string, vars: Record<string, unknown>) {
  const { data, errors } = await fx.run(viewer, query, vars);
  expect(data).toBeNull();
  return errors?.[0]?.extensions?.code;
}

describe('Query.flags', () => {
  it('lists every flag newest first, ties by the higher id', async () => {
    expect(await ids(VIEWERS.bureau)).toEqual([7, 4, 8, 3, 6, 5, 2, 1]);
  });

  it('filters by code, codes, or both (both must hold)', async () => {
    expect(await ids(VIEWERS.bureau, { code: 'LATE_END' })).toEqual([1]);
    const codes = ['COLLECTIVE_TEACHING', 'ILLEGAL_FEES'];
    expect(await ids(VIEWERS.bureau, { codes })).toEqual([8, 3, 6, 5]);
    expect(
      await ids(VIEWERS.bureau, { code: 'ILLEGAL_FEES', codes: ['ILLEGAL_FEES', 'LATE_END'] }),
    ).toEqual([8, 3]);
    expect(await ids(VIEWERS.bureau, { code: 'LATE_END', codes: ['ILLEGAL_FEES'] })).toEqual([]);
    expect(await ids(VIEWERS.bureau, { codes: [] })).toEqual([]);
    expect(await ids(VIEWERS.bureau, { codes: ["x') OR TRUE --"] })).toEqual([]);
  });

  it('filters by status, statuses, or both', async () => {
    expect(await ids(VIEWERS.bureau, { status: 'OPEN' })).toEqual([7, 8, 3]);
    expect(await ids(VIEWERS.bureau, { statuses: ['RECTIFYING', 'RECTIFIED'] })).toEqual([4, 6, 2]);
    expect(await ids(VIEWERS.bureau, { status: 'OPEN', statuses: ['OPEN', 'CLOSED'] })).toEqual([
      7, 8, 3,
    ]);
    expect(await ids(VIEWERS.bureau, { status: 'OPEN', statuses: ['CLOSED'] })).toEqual([]);
    expect(await ids(VIEWERS.bureau, { statuses: ['DISMISSED', 'CLOSED'] })).toEqual([5, 1]);
  });

  it('filters by source', async () => {
    expect(await ids(VIEWERS.bureau, { source: 'INSPECTION' })).toEqual([7, 6, 5]);
    expect(await ids(VIEWERS.bureau, { source: 'REPORT' })).toEqual([4, 8, 3, 2, 1]);
  });

  it('filters by overdue, both ways', async () => {
    expect(await ids(VIEWERS.bureau, { overdue: true })).toEqual([4, 2]);
    expect(await ids(VIEWERS.bureau, { overdue: false })).toEqual([7, 8, 3, 6, 5, 1]);
  });

  it('filters by one month, or a range bounded on either side; no month never matches', async () => {
    expect(await ids(VIEWERS.bureau, { month: '2025-09' })).toEqual([2, 1]);
    expect(await ids(VIEWERS.bureau, { month: '2025-10' })).toEqual([4, 8, 3, 6, 5]);
    expect(await ids(VIEWERS.bureau, { from: '2025-10' })).toEqual([4, 8, 3, 6, 5]);
    expect(await ids(VIEWERS.bureau, { to: '2025-09' })).toEqual([2, 1]);
    expect(await ids(VIEWERS.bureau, { from: '2025-09', to: '2025-10' })).toEqual([
      4, 8, 3, 6, 5, 2, 1,
    ]);
    expect(await ids(VIEWERS.bureau, { from: '2025-10', to: '2025-10' })).toEqual([4, 8, 3, 6, 5]);
    expect(await ids(VIEWERS.bureau, { from: '2025-11' })).toEqual([]);
  });

  it('filters by school code', async () => {
    expect(await ids(VIEWERS.bureau, { schoolCode: '1000000001' })).toEqual([6, 1]);
    expect(await ids(VIEWERS.bureau, { schoolCode: '9999999999' })).toEqual([]);
  });

  it('filters by the school’s registry township, stage, locality and codes', async () => {
    expect(await ids(VIEWERS.bureau, { scope: { township: '西山乡' } })).toEqual([4, 5, 2]);
    expect(await ids(VIEWERS.bureau, { scope: { stage: 'PRIMARY' } })).toEqual([7, 8, 3, 6, 1]);
    expect(await ids(VIEWERS.bureau, { scope: { stage: 'JUNIOR' } })).toEqual([4, 2]);
    expect(await ids(VIEWERS.bureau, { scope: { stage: 'NINE_YEAR' } })).toEqual([5]);
    expect(await ids(VIEWERS.bureau, { scope: { locality: 'RURAL' } })).toEqual([7, 8, 3, 5]);
    expect(await ids(VIEWERS.bureau, { scope: { locality: 'TOWN' } })).toEqual([4, 2]);
    const codes = ['1000000004', '1000000002'];
    expect(await ids(VIEWERS.bureau, { scope: { schoolCodes: codes } })).toEqual([7, 8, 3, 5]);
    expect(await ids(VIEWERS.bureau, { scope: { schoolCodes: [] } })).toEqual([]);
  });

  it('combines filters: every one must hold', async () => {
    expect(
      await ids(VIEWERS.bureau, {
        statuses: ['OPEN', 'RECTIFYING'],
        scope: { township: '西山乡' },
        source: 'REPORT',
      }),
    ).toEqual([4, 2]);
    expect(await ids(VIEWERS.bureau, { overdue: true, month: '2025-10' })).toEqual([4]);
    expect(
      await ids(VIEWERS.bureau, { schoolCode: '1000000001', scope: { township: '西山乡' } }),
    ).toEqual([]);
    expect(
      await ids(VIEWERS.bureau, {
        code: 'ILLEGAL_FEES',
        status: 'OPEN',
        month: '2025-10',
        scope: { locality: 'RURAL', stage: 'PRIMARY' },
      }),
    ).toEqual([8, 3]);
    expect(
      await ids(VIEWERS.bureau, { source: 'INSPECTION', from: '2025-10', overdue: false }),
    ).toEqual([6, 5]);
  });

  it('pages with opaque cursors and reports the real total on every page', async () => {
    const first = await page(VIEWERS.bureau, { first: 3 });
    expect(first).toMatchObject({ total: 8, items: [{ id: '7' }, { id: '4' }, { id: '8' }] });
    expect(first.endCursor).toEqual(expect.any(String));
    const second = await page(VIEWERS.bureau, { first: 3, after: first.endCursor });
    expect(second).toMatchObject({ total: 8, items: [{ id: '3' }, { id: '6' }, { id: '5' }] });
    const last = await page(VIEWERS.bureau, { first: 3, after: second.endCursor });
    expect(last).toEqual({ total: 8, endCursor: null, items: [{ id: '2' }, { id: '1' }] });
    for (const offset of [8, 50])
      expect(await page(VIEWERS.bureau, { first: 3, after: encodeCursor(offset) })).toEqual({
        total: 8,
        endCursor: null,
        items: [],
      });
    // A page boundary between the tied flags 2 and 1: the higher id comes first.
    const seven = await page(VIEWERS.bureau, { first: 7 });
    expect(seven.items.at(-1)).toEqual({ id: '2' });
    expect(await page(VIEWERS.bureau, { first: 7, after: seven.endCursor })).toEqual({
      total: 8,
      endCursor: null,
      items: [{ id: '1' }],
    });
    const open = await page(VIEWERS.bureau, { status: 'OPEN', first: 2 });
    expect(open).toMatchObject({ total: 3, items: [{ id: '7' }, { id: '8' }] });
    const openPast = await page(VIEWERS.bureau, { status: 'OPEN', after: encodeCursor(3) });
    expect(openPast).toEqual({ total: 3, endCursor: null, items: [] });
    const none = await page(VIEWERS.bureau, { code: 'NONE', after: encodeCursor(5) });
    expect(none).toEqual({ total: 0, endCursor: null, items: [] });
  });

  it('refuses malformed arguments with BAD_USER_INPUT', async () => {
    for (const vars of [
      { month: '2025-13' },
      { from: '2025/10' },
      { month: '2025-10', from: '2025-09' },
      { from: '2025-10', to: '2025-09' },
      { codes: Array.from({ length: 101 }, (_, i) => `C${i}`) },
      { first: 0 },
      { first: 501 },
      { after: 'not-a-cursor' },
      { scope: { schoolCodes: Array.from({ length: 2001 }, (_, i) => String(i)) } },
    ])
      expect(await errorCode(VIEWERS.bureau, LIST, vars)).toBe('BAD_USER_INPUT');
  });
});

describe('visibility', () => {
  it('shows district-wide roles every flag', async () => {
    expect(await ids(VIEWERS.leader)).toEqual([7, 4, 8, 3, 6, 5, 2, 1]);
  });

  it('shows an inspector the flags of schools theirs in the flag’s month or now', async () => {
    // DX01: 1000000001 (flags 6, 1) and 1000000003's 2025-09 flag 2, not its 2025-10 flag 4.
    expect(await ids(VIEWERS.dx01)).toEqual([6, 2, 1]);
    // DX02: 1000000002 (7, whose missing month counts as now; 8; 3), 1000000004 (5), and
    // both of 1000000003's, the 2025-09 one because the school is theirs now.
    expect(await ids(VIEWERS.dx02)).toEqual([7, 4, 8, 3, 5, 2]);
    expect(await ids(VIEWERS.dx01, { schoolCode: '1000000003' })).toEqual([2]);
    expect(await ids(VIEWERS.dx02, { schoolCode: '1000000003' })).toEqual([4, 2]);
  });

  it('never widens through filters', async () => {
    expect(await ids(VIEWERS.dx01, { scope: { schoolCodes: ['1000000002'] } })).toEqual([]);
    expect(await ids(VIEWERS.dx01, { schoolCode: '1000000004' })).toEqual([]);
    expect(await ids(VIEWERS.dx01, { overdue: true })).toEqual([2]);
  });

  it('shows an inspector without an inspector ID nothing', async () => {
    expect(await page(VIEWERS.unlinked)).toEqual({ total: 0, endCursor: null, items: [] });
  });

  it('agrees with the overview’s and the schools list’s open-flag counts now', async () => {
    const q = `{ overview(month: "2025-11") { openFlags }
      schools(month: "2025-11") { items { openFlags } }
      flags(statuses: [OPEN, RECTIFYING, RECTIFIED]) { total } }`;
    for (const [viewer, open] of [
      [VIEWERS.bureau, 6],
      [VIEWERS.leader, 6],
      [VIEWERS.dx02, 5],
    ] as const) {
      const { data } = await fx.run(viewer, q);
      const listed = (data?.schools as { items: { openFlags: number }[] }).items;
      expect(data?.overview).toEqual({ openFlags: open });
      expect(listed.reduce((sum, s) => sum + s.openFlags, 0)).toBe(open);
      expect(data?.flags).toEqual({ total: open });
    }
  });
});

const ONE = `query ($id: ID!) { flag(id: $id) {
  id schoolCode schoolName township month code codeLabel rule ruleLabel source status detail
  policyVersion threshold observed evidenceBatchId evidenceFile visitId raisedBy
  rectificationDeadline rectificationRequest rectificationReport overdue daysOverdue resolution
  createdAt updatedAt } }`;

describe('Query.flag', () => {
  it('returns every field of a visible flag', async () => {
    const { data, errors } = await fx.run(VIEWERS.bureau, ONE, { id: '4' });
    expect(errors).toBeUndefined();
    expect(data?.flag).toEqual({
      id: '4',
      schoolCode: '1000000003',
      schoolName: '西山中学',
      township: '西山乡',
      month: '2025-10',
      code: 'NOT_OFFERED',
      codeLabel: '未开展服务或未满足需求',
      rule: 'NOT_OFFERED.no_service',
      ruleLabel: '本月未开展课后服务',
      source: 'REPORT',
      status: 'RECTIFYING',
      detail: '本月开展天数 0',
      policyVersion: '2021.1',
      threshold: '≥ 1 天',
      observed: '0',
      evidenceBatchId: String(monthlyBatch),
      evidenceFile: '月报.csv',
      visitId: null,
      raisedBy: 'system',
      rectificationDeadline: '2025-11-19',
      rectificationRequest: '请恢复课后服务',
      rectificationReport: null,
      overdue: true,
      daysOverdue: 1,
      resolution: null,
      createdAt: '2025-11-06T03:00:00.000Z',
      updatedAt: '2025-11-07T01:00:00.000Z',
    });
    const dismissed = await fx.run(VIEWERS.bureau, ONE, { id: '5' });
    expect(dismissed.data?.flag).toMatchObject({
      source: 'INSPECTION',
      visitId: '7',
      resolution: 'DISMISSED',
      evidenceFile: null,
      overdue: false,
      daysOverdue: null,
    });
  });

  it('returns null, with no error, outside the remit, for missing and malformed IDs', async () => {
    for (const [viewer, id] of [
      [VIEWERS.dx01, '4'],
      [VIEWERS.dx01, '3'],
      [VIEWERS.unlinked, '1'],
      [VIEWERS.bureau, '999'],
      [VIEWERS.bureau, 'abc'],
      [VIEWERS.bureau, '-1'],
      [VIEWERS.bureau, '1.5'],
      [VIEWERS.bureau, '99999999999999999999'],
    ] as const)
      expect(await fx.run(viewer, ONE, { id })).toMatchObject({
        data: { flag: null },
        errors: undefined,
      });
  });

  it('follows the reassigned school: DX01 keeps its 2025-09 flag, DX02 sees both', async () => {
    const q = `query ($id: ID!) { flag(id: $id) { id } }`;
    expect((await fx.run(VIEWERS.dx01, q, { id: '2' })).data?.flag).toEqual({ id: '2' });
    expect((await fx.run(VIEWERS.dx02, q, { id: '2' })).data?.flag).toEqual({ id: '2' });
    expect((await fx.run(VIEWERS.dx02, q, { id: '4' })).data?.flag).toEqual({ id: '4' });
  });
});

describe('overdue', () => {
  const q = `{ flag(id: "4") { overdue daysOverdue } flags(overdue: true) { items { id daysOverdue } } }`;

  it('is not overdue on the deadline day in Shanghai, even at 23:59:59', async () => {
    fx.setNow(new Date('2025-11-19T15:59:59Z')); // 2025-11-19 23:59:59 +08
    const { data } = await fx.run(VIEWERS.bureau, q);
    expect(data?.flag).toEqual({ overdue: false, daysOverdue: null });
    expect(data?.flags).toEqual({ items: [{ id: '2', daysOverdue: 30 }] });
  });

  it('is one day overdue from midnight after the deadline in Shanghai', async () => {
    fx.setNow(new Date('2025-11-19T16:00:00Z')); // 2025-11-20 00:00 +08
    const { data } = await fx.run(VIEWERS.bureau, q);
    expect(data?.flag).toEqual({ overdue: true, daysOverdue: 1 });
    expect(data?.flags).toEqual({
      items: [
        { id: '4', daysOverdue: 1 },
        { id: '2', daysOverdue: 31 },
      ],
    });
  });
});

describe('Flag.history', () => {
  it('lists the flag’s events oldest first, mapped to FlagEvent', async () => {
    const { data } = await fx.run(
      VIEWERS.bureau,
      `{ flag(id: "4") { history { id action fromStatus toStatus userName username at note deadline batchId visitId } } }`,
    );
    expect(data?.flag).toEqual({
      history: [
        {
          id: '11',
          action: 'RAISED',
          fromStatus: null,
          toStatus: 'OPEN',
          userName: '系统',
          username: 'system',
          at: '2025-11-06T03:00:00.000Z',
          note: null,
          deadline: null,
          batchId: String(monthlyBatch),
          visitId: null,
        },
        {
          id: '12',
          action: 'RECTIFICATION_REQUESTED',
          fromStatus: 'OPEN',
          toStatus: 'RECTIFYING',
          userName: '区督导',
          username: 'bureau',
          at: '2025-11-07T01:00:00.000Z',
          note: '请恢复课后服务',
          deadline: '2025-11-19',
          batchId: null,
          visitId: null,
        },
      ],
    });
  });

  it('loads the histories of a whole page in one query', async () => {
    const { data, queries } = await fx.run(
      VIEWERS.bureau,
      `{ flags { items { id history { id } } } }`,
    );
    const items = (data?.flags as { items: { id: string; history: { id: string }[] }[] }).items;
    expect(Object.fromEntries(items.map((i) => [i.id, i.history.map((e) => e.id)]))).toEqual({
      '1': [],
      '2': ['13'],
      '3': [],
      '4': ['11', '12'],
      '5': [],
      '6': [],
      '7': [],
      '8': [],
    });
    expect(queries).toBe(2);
  });
});

describe('Flag.allowedSteps', () => {
  const q = `{ flags { items { id allowedSteps } } }`;
  const steps = async (viewer: Viewer) => {
    const { data } = await fx.run(viewer, q);
    const items = (data?.flags as { items: { id: string; allowedSteps: string[] }[] }).items;
    return Object.fromEntries(items.map((i) => [i.id, i.allowedSteps]));
  };
  const OPEN = ['REQUEST_RECTIFICATION', 'DISMISS'];
  const RECTIFYING = ['RECORD_RECTIFICATION', 'DISMISS'];
  const RECTIFIED = ['REQUEST_RECTIFICATION', 'CLOSE', 'DISMISS'];

  it('offers a bureau inspector every step the status allows', async () => {
    expect(await steps(VIEWERS.bureau)).toEqual({
      '7': OPEN,
      '4': RECTIFYING,
      '8': OPEN,
      '3': OPEN,
      '6': RECTIFIED,
      '5': [],
      '2': RECTIFYING,
      '1': [],
    });
  });

  it('offers leadership nothing', async () => {
    expect(Object.values(await steps(VIEWERS.leader)).flat()).toEqual([]);
  });

  it('offers an inspector steps only on the schools theirs now', async () => {
    // 1000000003 moved to DX02: DX01 still sees flag 2 but may not act on it.
    expect(await steps(VIEWERS.dx01)).toEqual({ '6': RECTIFIED, '2': [], '1': [] });
    expect(await steps(VIEWERS.dx02)).toEqual({
      '7': OPEN,
      '4': RECTIFYING,
      '8': OPEN,
      '3': OPEN,
      '5': [],
      '2': RECTIFYING,
    });
  });
});

const COUNTS = `query ($from: String!, $to: String!, $scope: ScopeInput, $source: FlagSource) {
  flagCounts(from: $from, to: $to, scope: $scope, source: $source) { month code status count } }`;

async function counts(viewer: Viewer, vars: Record<string, unknown>) {
  const { data, errors } = await fx.run(viewer, COUNTS, vars);
  expect(errors).toBeUndefined();
  return (data?.flagCounts as { month: string; code: string; status: string; count: number }[]).map(
    (c) => `${c.month} ${c.code} ${c.status} ${c.count}`,
  );
}

describe('Query.flagCounts', () => {
  const range = { from: '2025-09', to: '2025-10' };

  it('counts visible flags by month, code and status, in that order', async () => {
    expect(await counts(VIEWERS.bureau, range)).toEqual([
      '2025-09 LATE_END CLOSED 1',
      '2025-09 SAFETY_INCIDENT RECTIFYING 1',
      '2025-10 COLLECTIVE_TEACHING RECTIFIED 1',
      '2025-10 COLLECTIVE_TEACHING DISMISSED 1',
      '2025-10 ILLEGAL_FEES OPEN 2',
      '2025-10 NOT_OFFERED RECTIFYING 1',
    ]);
    expect(await counts(VIEWERS.bureau, { from: '2025-10', to: '2025-10' })).toEqual([
      '2025-10 COLLECTIVE_TEACHING RECTIFIED 1',
      '2025-10 COLLECTIVE_TEACHING DISMISSED 1',
      '2025-10 ILLEGAL_FEES OPEN 2',
      '2025-10 NOT_OFFERED RECTIFYING 1',
    ]);
    // Flag 7 has no month: it is never counted.
    expect(await counts(VIEWERS.bureau, { from: '2025-11', to: '2025-12' })).toEqual([]);
  });

  it('counts what the viewer sees', async () => {
    expect(await counts(VIEWERS.dx01, range)).toEqual([
      '2025-09 LATE_END CLOSED 1',
      '2025-09 SAFETY_INCIDENT RECTIFYING 1',
      '2025-10 COLLECTIVE_TEACHING RECTIFIED 1',
    ]);
    expect(await counts(VIEWERS.dx02, range)).toEqual([
      '2025-09 SAFETY_INCIDENT RECTIFYING 1',
      '2025-10 COLLECTIVE_TEACHING DISMISSED 1',
      '2025-10 ILLEGAL_FEES OPEN 2',
      '2025-10 NOT_OFFERED RECTIFYING 1',
    ]);
    expect(await counts(VIEWERS.unlinked, range)).toEqual([]);
  });

  it('narrows by source and scope', async () => {
    expect(await counts(VIEWERS.bureau, { ...range, source: 'INSPECTION' })).toEqual([
      '2025-10 COLLECTIVE_TEACHING RECTIFIED 1',
      '2025-10 COLLECTIVE_TEACHING DISMISSED 1',
    ]);
    expect(await counts(VIEWERS.bureau, { ...range, scope: { township: '东城镇' } })).toEqual([
      '2025-09 LATE_END CLOSED 1',
      '2025-10 COLLECTIVE_TEACHING RECTIFIED 1',
      '2025-10 ILLEGAL_FEES OPEN 2',
    ]);
  });

  it('adds up to the list’s total for the same months', async () => {
    const { data } = await fx.run(VIEWERS.bureau, `${COUNTS.replace('query', 'query Q')}`, range);
    const sum = (data?.flagCounts as { count: number }[]).reduce((s, c) => s + c.count, 0);
    expect(sum).toBe((await page(VIEWERS.bureau, range)).total);
    expect(sum).toBe(7);
  });

  it('accepts at most 60 months and refuses bad ranges', async () => {
    expect(await counts(VIEWERS.bureau, { from: '2021-02', to: '2026-01' })).toHaveLength(6);
    for (const vars of [
      { from: '2021-01', to: '2026-01' },
      { from: '2025-10', to: '2025-09' },
      { from: '2025-9', to: '2025-10' },
    ])
      expect(await errorCode(VIEWERS.bureau, COUNTS, vars)).toBe('BAD_USER_INPUT');
  });
});

describe('SchoolDetail.flags', () => {
  const q = `query ($code: String!, $month: String) { school(code: $code, month: $month) { flags { id allowedSteps } } }`;
  const schoolFlags = async (viewer: Viewer, code: string, month: string) => {
    const { data, errors } = await fx.run(viewer, q, { code, month });
    expect(errors).toBeUndefined();
    return (data?.school as { flags: { id: string }[] }).flags.map((f) => Number(f.id));
  };

  it('lists the school’s visible flags of every month, newest first', async () => {
    expect(await schoolFlags(VIEWERS.bureau, '1000000002', '2025-09')).toEqual([7, 8, 3]);
    expect(await schoolFlags(VIEWERS.dx01, '1000000003', '2025-09')).toEqual([2]);
    expect(await schoolFlags(VIEWERS.dx02, '1000000003', '2025-10')).toEqual([4, 2]);
  });
});

describe('Query.flagCodes', () => {
  it('lists the catalogue, every code of the domain guide included, in order', async () => {
    const { data } = await fx.run(
      VIEWERS.leader,
      `{ flagCodes { code label labelEn prohibition sources fromReports fromInspections rules { id label } } }`,
    );
    type Info = { code: string; fromReports: boolean; rules: { id: string }[] };
    const infos = data?.flagCodes as Info[];
    const domainCodes = [
      'FORCED_PARTICIPATION',
      'COLLECTIVE_TEACHING',
      'EXCESS_HOMEWORK',
      'ILLEGAL_FEES',
      'ILLEGAL_ALLOWANCES',
      'STAFF_ETHICS',
      'BAD_RECORD_PROVIDER',
      'UNAPPROVED_PROVIDER',
      'COMMERCIAL_ACTIVITY',
      'PREMISES_TO_TRAINING',
      'LATE_END',
      'SHORT_SERVICE',
      'NOT_OFFERED',
      'PRIORITY_GAP',
      'OVERSIZED_GROUP',
      'SAFETY_INCIDENT',
      'MISSING_REPORT',
    ];
    const codes = infos.map((i) => i.code);
    expect(codes).toEqual(expect.arrayContaining(domainCodes));
    // The catalogue's order: the domain guide's, with EXCESS_DURATION after SHORT_SERVICE.
    expect(codes.filter((c) => domainCodes.includes(c))).toEqual(domainCodes);
    expect(infos.find((i) => i.code === 'ILLEGAL_FEES')).toMatchObject({
      label: '违规收费',
      labelEn: 'Illegal fees',
      prohibition: expect.stringContaining('严禁违规收费'),
      sources: [
        '市级课后服务工作"十严禁"（两地市实施方案）',
        '教育部办公厅关于规范中小学课后服务的通知（2023年12月）',
      ],
      fromReports: true,
      fromInspections: true,
    });
    expect(infos.find((i) => i.code === 'ILLEGAL_FEES')?.rules[0]).toEqual({
      id: 'ILLEGAL_FEES.per_period',
      label: '每课时收费超过上限',
    });
    expect(infos.find((i) => i.code === 'COLLECTIVE_TEACHING')).toMatchObject({
      fromReports: false,
      fromInspections: true,
      rules: [],
    });
  });
});

describe('Query.policyVersions', () => {
  it('returns the fixture district’s policy version with its parameters as JSON', async () => {
    const { data, errors } = await fx.run(
      VIEWERS.bureau,
      `{ policyVersions { district version effectiveFrom source note parameters } }`,
    );
    expect(errors).toBeUndefined();
    const versions = data?.policyVersions as { parameters: string }[];
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({
      district: '测试区县 (national defaults, 愿留尽留 relaxed to 95%)',
      version: '2021.1',
      effectiveFrom: '2021-09',
      source: expect.stringContaining('教基厅函〔2021〕1号'),
      note: null,
    });
    const parameters = JSON.parse(versions[0]?.parameters ?? '{}') as Record<string, unknown>;
    expect(parameters).toMatchObject({
      service: { days_per_week: 5, min_daily_minutes: 120 },
      end_time: { latest: { primary: '18:00', junior: '18:30' } },
      reports: { deadline_day: 5 },
    });
    expect(Object.keys(parameters)).not.toContain('version');
    expect(Object.keys(parameters)).not.toContain('effective_from');
  });
});
