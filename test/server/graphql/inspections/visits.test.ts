/**
 * Supervision visits through GraphQL: recording one (checklist, inspection flags, history,
 * audit), who may record where and when, and listing what each role may see. School
 * 1000000003 is DX01's until 2025-09 and DX02's from 2025-10.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Viewer } from '../../../../server/auth/viewer.ts';
import { loadPolicy, policyFor } from '../../../../server/policy/policy.ts';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../../helpers/api-fixture.ts';

const NOW = new Date('2025-10-15T04:00:00Z');

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
    await sql`DELETE FROM flag_events; DELETE FROM flags; DELETE FROM visit_checks;
      DELETE FROM visits; DELETE FROM audit_log;`.execute(db);
  });
}

const RECORD = `mutation ($input: VisitInput!) {
  recordVisit(input: $input) {
    id schoolCode schoolName date kind inspectorName inspectorId findings evidence createdAt
    checklist { item result note }
    flags { code rule source status month detail policyVersion threshold observed raisedBy visitId schoolCode }
  }
}`;

function input(fields: Record<string, unknown> = {}) {
  return {
    schoolCode: '1000000001',
    date: '2025-10-14',
    kind: 'ROUTINE',
    checklist: [],
    findings: '服务按时开展',
    ...fields,
  };
}

async function record(viewer: Viewer, fields: Record<string, unknown> = {}) {
  const { data, errors } = await fx.run(viewer, RECORD, { input: input(fields) });
  return {
    visit: (data?.recordVisit ?? null) as Record<string, unknown> | null,
    code: errors?.[0]?.extensions?.code,
    message: errors?.[0]?.message,
  };
}

async function recorded(viewer: Viewer, fields: Record<string, unknown> = {}) {
  const result = await record(viewer, fields);
  expect(result.message).toBeUndefined();
  return result.visit as Record<string, unknown>;
}

async function count(table: 'visits' | 'visit_checks' | 'flags' | 'flag_events') {
  const row = await fx.warehouse.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('recordVisit', () => {
  beforeEach(reset);

  it('records a visit with its full checklist and raises an inspection flag', async () => {
    const zhang: Viewer = { ...VIEWERS.dx01, name: '张督学' };
    const visit = await recorded(zhang, {
      kind: 'UNANNOUNCED',
      checklist: [
        { item: 'CONTENT', result: 'PROBLEM', note: ' 五年级在讲数学新课 ' },
        { item: 'SERVICE_TIME', result: 'OK' },
      ],
      findings: ' 发现集体补课 ',
      evidence: '照片 3 张；课表',
      flags: [{ code: 'COLLECTIVE_TEACHING', detail: '五年级课后服务时段集体讲授数学新课' }],
    });
    const prohibition = '严禁利用课后服务时间组织学科类集体教学、集体补课、竞赛培训';
    expect(visit).toEqual({
      id: expect.stringMatching(/^\d+$/u),
      schoolCode: '1000000001',
      schoolName: '东城第一小学',
      date: '2025-10-14',
      kind: 'UNANNOUNCED',
      inspectorName: '张督学',
      inspectorId: 'DX01',
      findings: '发现集体补课',
      evidence: '照片 3 张；课表',
      createdAt: '2025-10-15T04:00:00.000Z',
      checklist: [
        { item: 'SERVICE_TIME', result: 'OK', note: null },
        { item: 'CONTENT', result: 'PROBLEM', note: '五年级在讲数学新课' },
        { item: 'SAFETY', result: 'NOT_CHECKED', note: null },
        { item: 'FEE_PUBLICITY', result: 'NOT_CHECKED', note: null },
        { item: 'ATTENDANCE_RECORDS', result: 'NOT_CHECKED', note: null },
        { item: 'HANDOVER_RECORDS', result: 'NOT_CHECKED', note: null },
      ],
      flags: [
        {
          code: 'COLLECTIVE_TEACHING',
          rule: 'COLLECTIVE_TEACHING.inspection',
          source: 'INSPECTION',
          status: 'OPEN',
          month: '2025-10',
          detail: '五年级课后服务时段集体讲授数学新课',
          policyVersion: policyFor(loadPolicy(), '2025-10').version,
          threshold: prohibition,
          observed: '五年级课后服务时段集体讲授数学新课',
          raisedBy: 'dx01',
          visitId: visit.id,
          schoolCode: '1000000001',
        },
      ],
    });
    const events = await sql<Record<string, unknown>>`
      SELECT action, from_status, to_status, user_id, username, user_name, note,
        visit_id::VARCHAR AS visit_id FROM flag_events`.execute(fx.warehouse.db);
    expect(events.rows).toEqual([
      {
        action: 'RAISED',
        from_status: null,
        to_status: 'OPEN',
        user_id: 3,
        username: 'dx01',
        user_name: '张督学',
        note: null,
        visit_id: visit.id,
      },
    ]);
    const audit = await fx.warehouse.db
      .selectFrom('audit_log')
      .select(['action', 'target', 'outcome', 'detail'])
      .execute();
    expect(audit).toEqual([
      {
        action: 'visits.record',
        target: `visit:${String(visit.id)}`,
        outcome: 'ok',
        detail: 'school=1000000001 flags=COLLECTIVE_TEACHING',
      },
    ]);
  });

  it.each([
    ['a report-only code', { flags: [{ code: 'MISSING_REPORT', detail: '未报送' }] }],
    ['an unknown code', { flags: [{ code: 'NOT_A_CODE', detail: 'x' }] }],
    [
      'a code twice',
      {
        flags: [
          { code: 'STAFF_ETHICS', detail: 'a' },
          { code: 'STAFF_ETHICS', detail: 'b' },
        ],
      },
    ],
    ['a flag without detail', { flags: [{ code: 'STAFF_ETHICS', detail: '  ' }] }],
    [
      'a checklist item twice',
      {
        checklist: [
          { item: 'SAFETY', result: 'OK' },
          { item: 'SAFETY', result: 'PROBLEM' },
        ],
      },
    ],
    ['no findings', { findings: '   ' }],
    ['a future date', { date: '2025-10-16' }],
    ['a date before 2000', { date: '1999-12-31' }],
    ['an impossible date', { date: '2025-09-31' }],
    ['a malformed school code', { schoolCode: '10000' }],
  ])('refuses %s and writes nothing', async (_what, fields) => {
    const result = await record(VIEWERS.bureau, fields);
    expect(result).toMatchObject({ visit: null, code: 'BAD_USER_INPUT' });
    for (const table of ['visits', 'visit_checks', 'flags', 'flag_events'] as const)
      expect(await count(table)).toBe(0);
  });

  it('names the codes a visit may raise when refusing one', async () => {
    const result = await record(VIEWERS.dx01, {
      flags: [{ code: 'MISSING_REPORT', detail: '未报送' }],
    });
    expect(result.message).toContain('MISSING_REPORT');
    expect(result.message).toContain('COLLECTIVE_TEACHING');
  });

  it.each([
    ['a bureau inspector, any school', VIEWERS.bureau, '1000000004', '2025-10-01', undefined],
    ['dx01 on its school', VIEWERS.dx01, '1000000001', '2025-09-01', undefined],
    ['dx02 on the school that moved to it', VIEWERS.dx02, '1000000003', '2025-10-01', undefined],
    ['dx02 on that school before it moved', VIEWERS.dx02, '1000000003', '2025-09-30', 'FORBIDDEN'],
    [
      'dx01 on that school when it was theirs',
      VIEWERS.dx01,
      '1000000003',
      '2025-09-30',
      'FORBIDDEN',
    ],
    ['dx01 on that school after it moved', VIEWERS.dx01, '1000000003', '2025-10-01', 'NOT_FOUND'],
    ['dx02 on a school never theirs', VIEWERS.dx02, '1000000001', '2025-10-01', 'NOT_FOUND'],
    [
      'anyone on a school that does not exist',
      VIEWERS.bureau,
      '1000000099',
      '2025-10-01',
      'NOT_FOUND',
    ],
    ['leadership', VIEWERS.leader, '1000000001', '2025-10-01', 'FORBIDDEN'],
    ['an inspector without an ID', VIEWERS.unlinked, '1000000001', '2025-10-01', 'FORBIDDEN'],
  ])('by %s', async (_who, viewer, schoolCode, date, code) => {
    const result = await record(viewer, { schoolCode, date });
    if (code === undefined) {
      expect(result.message).toBeUndefined();
      expect(result.visit).toMatchObject({ schoolCode, date });
      return;
    }
    expect(result).toMatchObject({ visit: null, code });
    expect(await count('visits')).toBe(0);
    const audit = await fx.warehouse.db.selectFrom('audit_log').selectAll().execute();
    expect(audit).toMatchObject([
      { user_id: viewer.userId, action: 'visits.record', outcome: 'denied' },
    ]);
  });

  it('judges "today" in Asia/Shanghai', async () => {
    fx.setNow(new Date('2025-10-15T16:30:00Z')); // 2025-10-16 00:30 in Shanghai
    expect((await record(VIEWERS.bureau, { date: '2025-10-16' })).message).toBeUndefined();
    expect((await record(VIEWERS.bureau, { date: '2025-10-17' })).code).toBe('BAD_USER_INPUT');
  });
});

const LIST = `query ($schoolCode: String, $inspectorId: String, $kind: VisitKind, $from: String,
  $to: String, $first: Int, $after: String, $scope: ScopeInput) {
  visits(schoolCode: $schoolCode, inspectorId: $inspectorId, kind: $kind, from: $from, to: $to,
    first: $first, after: $after, scope: $scope) {
    total endCursor items { id schoolCode date kind inspectorId findings flags { code } }
  }
}`;

interface Page {
  total: number;
  endCursor: string | null;
  items: {
    id: string;
    schoolCode: string;
    date: string;
    findings: string;
    flags: { code: string }[];
  }[];
}

async function list(viewer: Viewer, vars: Record<string, unknown> = {}) {
  const result = await fx.run(viewer, LIST, vars);
  expect(result.errors).toBeUndefined();
  return { ...(result.data?.visits as Page), queries: result.queries };
}

const findings = (page: Page) => page.items.map((v) => v.findings);

describe('visits', () => {
  beforeAll(async () => {
    await reset();
    // In September school 1000000003 is DX01's.
    fx.setNow(new Date('2025-09-25T04:00:00Z'));
    await recorded(VIEWERS.dx01, { schoolCode: '1000000003', date: '2025-09-20', findings: 'A' });
    await recorded(VIEWERS.dx01, { schoolCode: '1000000001', date: '2025-09-10', findings: 'B' });
    fx.setNow(NOW);
    await recorded(VIEWERS.dx02, {
      schoolCode: '1000000003',
      date: '2025-10-08',
      kind: 'UNANNOUNCED',
      findings: 'C',
      flags: [{ code: 'STAFF_ETHICS', detail: '有师德问题的教师参与服务' }],
    });
    await recorded(VIEWERS.dx02, { schoolCode: '1000000002', date: '2025-10-09', findings: 'D' });
    await recorded(VIEWERS.bureau, {
      schoolCode: '1000000001',
      date: '2025-10-12',
      kind: 'FOLLOW_UP',
      findings: 'E',
    });
  });

  it('lists every visit, newest first, for district-wide roles', async () => {
    for (const viewer of [VIEWERS.bureau, VIEWERS.leader]) {
      const page = await list(viewer);
      expect(page.total).toBe(5);
      expect(findings(page)).toEqual(['E', 'D', 'C', 'A', 'B']);
    }
  });

  it("shows an inspector the visits to schools theirs at the visit's date or now", async () => {
    // DX01 keeps the September visit to 1000000003 but not DX02's October one.
    expect(findings(await list(VIEWERS.dx01))).toEqual(['E', 'A', 'B']);
    // DX02 sees every visit to 1000000003, since it is theirs now.
    expect(findings(await list(VIEWERS.dx02))).toEqual(['D', 'C', 'A']);
    expect(await list(VIEWERS.unlinked)).toMatchObject({ total: 0, items: [] });
  });

  it('filters by school, inspector, kind and dates', async () => {
    expect(findings(await list(VIEWERS.bureau, { schoolCode: '1000000001' }))).toEqual(['E', 'B']);
    expect(findings(await list(VIEWERS.bureau, { inspectorId: 'DX02' }))).toEqual(['D', 'C']);
    expect(findings(await list(VIEWERS.bureau, { kind: 'FOLLOW_UP' }))).toEqual(['E']);
    expect(findings(await list(VIEWERS.bureau, { from: '2025-09-20', to: '2025-10-09' }))).toEqual([
      'D',
      'C',
      'A',
    ]);
    expect(findings(await list(VIEWERS.dx01, { from: '2025-10-01' }))).toEqual(['E']);
  });

  it('narrows by the scope filter', async () => {
    const west = { scope: { township: '西山乡' } };
    expect(findings(await list(VIEWERS.bureau, west))).toEqual(['C', 'A']);
    expect(findings(await list(VIEWERS.dx01, west))).toEqual(['A']);
  });

  it('pages with a cursor and keeps the real total past the end', async () => {
    const first = await list(VIEWERS.bureau, { first: 2 });
    expect(first).toMatchObject({ total: 5 });
    expect(findings(first)).toEqual(['E', 'D']);
    const second = await list(VIEWERS.bureau, { first: 2, after: first.endCursor });
    expect(findings(second)).toEqual(['C', 'A']);
    const third = await list(VIEWERS.bureau, { first: 2, after: second.endCursor });
    expect(findings(third)).toEqual(['B']);
    expect(third.endCursor).toBeNull();
    const past = await list(VIEWERS.bureau, { after: Buffer.from('o:40').toString('base64url') });
    expect(past).toMatchObject({ total: 5, items: [], endCursor: null });
  });

  it('loads the flags of a page in one query, whatever its size', async () => {
    const one = await list(VIEWERS.bureau, { first: 1 });
    const all = await list(VIEWERS.bureau);
    expect(all.items.find((v) => v.findings === 'C')?.flags).toEqual([{ code: 'STAFF_ETHICS' }]);
    expect(all.queries).toBe(one.queries);
  });

  it('shows a visit only the flags the viewer may see', async () => {
    const c = (await list(VIEWERS.dx02)).items.find((v) => v.findings === 'C');
    expect(c?.flags).toEqual([{ code: 'STAFF_ETHICS' }]);
    // DX01 cannot see the October visit at all.
    expect((await list(VIEWERS.dx01)).items.map((v) => v.flags)).toEqual([[], [], []]);
  });

  it('refuses malformed filters', async () => {
    for (const vars of [
      { from: '2025-10' },
      { from: '2025-10-09', to: '2025-10-01' },
      { first: 0 },
    ]) {
      const { errors } = await fx.run(VIEWERS.bureau, LIST, vars);
      expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('answers visit(id) with null when missing or out of remit', async () => {
    const c = (await list(VIEWERS.bureau)).items.find(
      (v) => v.findings === 'C',
    ) as Page['items'][0];
    const one = `query ($id: ID!) { visit(id: $id) { id findings kind checklist { item result } } }`;
    const seen = await fx.run(VIEWERS.dx02, one, { id: c.id });
    expect(seen.data?.visit).toMatchObject({ id: c.id, findings: 'C', kind: 'UNANNOUNCED' });
    expect((seen.data?.visit as { checklist: unknown[] }).checklist).toHaveLength(6);
    expect((await fx.run(VIEWERS.leader, one, { id: c.id })).data?.visit).toMatchObject({
      id: c.id,
    });
    for (const [viewer, id] of [
      [VIEWERS.dx01, c.id],
      [VIEWERS.bureau, '99999'],
      [VIEWERS.bureau, 'abc'],
    ] as const) {
      const result = await fx.run(viewer, one, { id });
      expect(result.errors).toBeUndefined();
      expect(result.data?.visit).toBeNull();
    }
  });
});
