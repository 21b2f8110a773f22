/**
 * The rectification loop through GraphQL: each step by each role, the exact history rows
 * it leaves, and that a refused step changes nothing. The clock is 2025-10-15 noon in
 * Shanghai: school 1000000003 moved from DX01 to DX02 in 2025-10.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Viewer } from '../../../../server/auth/viewer.ts';
import type { FlagStatus } from '../../../../server/db/tables/flags.table.ts';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../../helpers/api-fixture.ts';
import { seedLateEndFlag } from '../../../helpers/seed-flag.ts';

const NOW = new Date('2025-10-15T04:00:00Z');
const ZHANG: Viewer = { ...VIEWERS.dx01, name: '张督学' };

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

const seedFlag = (school: string, month: string, status: FlagStatus = 'OPEN'): Promise<string> =>
  seedLateEndFlag(fx.writer, { school, month, status, createdAt: '2025-10-10T02:00:00Z' });

const FIELDS = `id status rectificationDeadline rectificationRequest rectificationReport
  resolution updatedAt overdue`;

const MUTATIONS = {
  REQUEST_RECTIFICATION: `mutation ($id: ID!, $deadline: String = "2025-10-31", $text: String = "限期整改，停止超时服务") {
    requestRectification(flagId: $id, deadline: $deadline, request: $text) { ${FIELDS} } }`,
  RECORD_RECTIFICATION: `mutation ($id: ID!, $text: String = "已调整作息，18:00 前结束", $note: String) {
    recordRectification(flagId: $id, report: $text, note: $note) { ${FIELDS} } }`,
  CLOSE: `mutation ($id: ID!, $text: String = "回访核实已整改", $visitId: ID) {
    closeFlag(flagId: $id, note: $text, visitId: $visitId) { ${FIELDS} } }`,
  DISMISS: `mutation ($id: ID!, $text: String = "系误报：当日为校运会") {
    dismissFlag(flagId: $id, reason: $text) { ${FIELDS} } }`,
} as const;
type Step = keyof typeof MUTATIONS;
const FIELD: Record<Step, string> = {
  REQUEST_RECTIFICATION: 'requestRectification',
  RECORD_RECTIFICATION: 'recordRectification',
  CLOSE: 'closeFlag',
  DISMISS: 'dismissFlag',
};

async function step(viewer: Viewer, name: Step, vars: Record<string, unknown>) {
  const { data, errors } = await fx.run(viewer, MUTATIONS[name], vars);
  return {
    flag: (data?.[FIELD[name]] ?? null) as Record<string, unknown> | null,
    code: errors?.[0]?.extensions?.code,
    message: errors?.[0]?.message,
  };
}

async function ok(viewer: Viewer, name: Step, vars: Record<string, unknown>) {
  const result = await step(viewer, name, vars);
  expect(result.message).toBeUndefined();
  return result.flag as Record<string, unknown>;
}

async function history(flagId: string) {
  const result = await sql<Record<string, unknown>>`
    SELECT action, from_status, to_status, user_id, username, user_name, note,
      strftime(deadline, '%Y-%m-%d') AS deadline, visit_id::INTEGER AS visit_id,
      strftime(occurred_at, '%Y-%m-%dT%H:%M:%SZ') AS occurred_at
    FROM flag_events WHERE flag_id = ${Number(flagId)} ORDER BY event_id`.execute(fx.warehouse.db);
  return result.rows;
}

async function flagRow(flagId: string) {
  const result = await sql<Record<string, unknown>>`
    SELECT status, strftime(rectify_deadline, '%Y-%m-%d') AS deadline, rectify_request,
      rectify_report, resolution, strftime(updated_at, '%Y-%m-%dT%H:%M:%SZ') AS updated_at
    FROM flags WHERE flag_id = ${Number(flagId)}`.execute(fx.warehouse.db);
  return result.rows[0];
}

async function audits() {
  const result = await sql<Record<string, unknown>>`
    SELECT user_id, username, action, target, outcome, detail FROM audit_log
    ORDER BY audit_id`.execute(fx.warehouse.db);
  return result.rows;
}

/** A FOLLOW_UP visit recorded by `viewer` to `school` on `date`; returns its id. */
async function followUp(viewer: Viewer, school: string, date: string, kind = 'FOLLOW_UP') {
  const { data, errors } = await fx.run(
    viewer,
    `mutation ($input: VisitInput!) { recordVisit(input: $input) { id } }`,
    { input: { schoolCode: school, date, kind, checklist: [], findings: '回访：已按时结束' } },
  );
  expect(errors).toBeUndefined();
  return (data?.recordVisit as { id: string }).id;
}

const event = (fields: Record<string, unknown>) => ({
  user_id: 3,
  username: 'dx01',
  user_name: '张督学',
  deadline: null,
  visit_id: null,
  occurred_at: '2025-10-15T04:00:00Z',
  ...fields,
});

describe('the rectification loop', () => {
  it('takes a flag OPEN → RECTIFYING → RECTIFIED → CLOSED with one history row a step', async () => {
    const id = await seedFlag('1000000001', '2025-10');
    const requested = await ok(ZHANG, 'REQUEST_RECTIFICATION', { id, text: '  限期整改  ' });
    expect(requested).toEqual({
      id,
      status: 'RECTIFYING',
      rectificationDeadline: '2025-10-31',
      rectificationRequest: '限期整改',
      rectificationReport: null,
      resolution: null,
      updatedAt: '2025-10-15T04:00:00.000Z',
      overdue: false,
    });

    fx.setNow(new Date('2025-11-03T02:00:00Z'));
    const rectified = await ok(ZHANG, 'RECORD_RECTIFICATION', { id, note: '附作息表' });
    expect(rectified).toMatchObject({
      status: 'RECTIFIED',
      rectificationDeadline: '2025-10-31',
      rectificationReport: '已调整作息，18:00 前结束',
      overdue: false,
    });

    fx.setNow(new Date('2025-11-05T02:00:00Z'));
    const visitId = await followUp(ZHANG, '1000000001', '2025-11-04');
    const closed = await ok(ZHANG, 'CLOSE', { id, visitId });
    expect(closed).toMatchObject({ status: 'CLOSED', resolution: 'CLOSED' });
    expect(await flagRow(id)).toEqual({
      status: 'CLOSED',
      deadline: '2025-10-31',
      rectify_request: '限期整改',
      rectify_report: '已调整作息，18:00 前结束',
      resolution: 'closed',
      updated_at: '2025-11-05T02:00:00Z',
    });
    expect(await history(id)).toEqual([
      event({
        action: 'RECTIFICATION_REQUESTED',
        from_status: 'OPEN',
        to_status: 'RECTIFYING',
        note: '限期整改',
        deadline: '2025-10-31',
      }),
      event({
        action: 'RECTIFIED',
        from_status: 'RECTIFYING',
        to_status: 'RECTIFIED',
        note: '已调整作息，18:00 前结束\n备注：附作息表',
        occurred_at: '2025-11-03T02:00:00Z',
      }),
      event({
        action: 'CLOSED',
        from_status: 'RECTIFIED',
        to_status: 'CLOSED',
        note: '回访核实已整改',
        visit_id: Number(visitId),
        occurred_at: '2025-11-05T02:00:00Z',
      }),
    ]);
    expect((await audits()).filter((a) => String(a.action).startsWith('flags.'))).toEqual(
      [
        ['flags.request_rectification', 'OPEN→RECTIFYING'],
        ['flags.record_rectification', 'RECTIFYING→RECTIFIED'],
        ['flags.close', 'RECTIFIED→CLOSED'],
      ].map(([action, detail]) => ({
        user_id: 3,
        username: 'dx01',
        action,
        target: `flag:${id}`,
        outcome: 'ok',
        detail,
      })),
    );
  });

  it('dismisses a flag under rectification with a reason', async () => {
    const id = await seedFlag('1000000002', '2025-10');
    await ok(VIEWERS.bureau, 'REQUEST_RECTIFICATION', { id });
    const dismissed = await ok(VIEWERS.bureau, 'DISMISS', { id });
    expect(dismissed).toMatchObject({ status: 'DISMISSED', resolution: 'DISMISSED' });
    const bureau = { user_id: 1, username: 'bureau', user_name: 'bureau' };
    expect(await history(id)).toEqual([
      event({
        ...bureau,
        action: 'RECTIFICATION_REQUESTED',
        from_status: 'OPEN',
        to_status: 'RECTIFYING',
        note: '限期整改，停止超时服务',
        deadline: '2025-10-31',
      }),
      event({
        ...bureau,
        action: 'DISMISSED',
        from_status: 'RECTIFYING',
        to_status: 'DISMISSED',
        note: '系误报：当日为校运会',
      }),
    ]);
  });

  it('sends a RECTIFIED flag back to RECTIFYING when the rectification fell short', async () => {
    const id = await seedFlag('1000000001', '2025-10', 'RECTIFYING');
    await ok(ZHANG, 'RECORD_RECTIFICATION', { id });
    const again = await ok(ZHANG, 'REQUEST_RECTIFICATION', {
      id,
      deadline: '2025-11-15',
      text: '整改不到位，重新整改',
    });
    expect(again).toMatchObject({
      status: 'RECTIFYING',
      rectificationDeadline: '2025-11-15',
      rectificationRequest: '整改不到位，重新整改',
      rectificationReport: null,
    });
    expect((await history(id)).map((e) => [e.action, e.from_status, e.to_status, e.note])).toEqual([
      ['RECTIFIED', 'RECTIFYING', 'RECTIFIED', '已调整作息，18:00 前结束'],
      ['RECTIFICATION_REQUESTED', 'RECTIFIED', 'RECTIFYING', '整改不到位，重新整改'],
    ]);
  });
});

/** The status each step applies to, for the role matrix. */
const FROM: Record<Step, FlagStatus> = {
  REQUEST_RECTIFICATION: 'OPEN',
  RECORD_RECTIFICATION: 'RECTIFYING',
  CLOSE: 'RECTIFIED',
  DISMISS: 'RECTIFIED',
};
const TO: Record<Step, FlagStatus> = {
  REQUEST_RECTIFICATION: 'RECTIFYING',
  RECORD_RECTIFICATION: 'RECTIFIED',
  CLOSE: 'CLOSED',
  DISMISS: 'DISMISSED',
};

/** Who acts on which flag, and what they get. */
const CASES: { who: string; viewer: Viewer; school: string; month: string; code?: string }[] = [
  {
    who: 'a bureau inspector on any school',
    viewer: VIEWERS.bureau,
    school: '1000000004',
    month: '2025-10',
  },
  {
    who: 'a supervising inspector on their school',
    viewer: VIEWERS.dx01,
    school: '1000000001',
    month: '2025-10',
  },
  {
    who: 'the new inspector on a school that moved to them',
    viewer: VIEWERS.dx02,
    school: '1000000003',
    month: '2025-09',
  },
  {
    who: 'the former inspector on a school that moved away',
    viewer: VIEWERS.dx01,
    school: '1000000003',
    month: '2025-09',
    code: 'FORBIDDEN',
  },
  {
    who: 'an inspector on a school never theirs',
    viewer: VIEWERS.dx02,
    school: '1000000001',
    month: '2025-10',
    code: 'NOT_FOUND',
  },
  {
    who: 'leadership',
    viewer: VIEWERS.leader,
    school: '1000000001',
    month: '2025-10',
    code: 'FORBIDDEN',
  },
  {
    who: 'an inspector without an inspector ID',
    viewer: VIEWERS.unlinked,
    school: '1000000001',
    month: '2025-10',
    code: 'FORBIDDEN',
  },
];

describe.each(Object.keys(MUTATIONS) as Step[])('%s', (name) => {
  it.each(CASES)('by $who', async ({ viewer, school, month, code }) => {
    const id = await seedFlag(school, month, FROM[name]);
    const before = [await flagRow(id), await history(id)];
    const result = await step(viewer, name, { id });
    if (code === undefined) {
      expect(result.message).toBeUndefined();
      expect(result.flag).toMatchObject({ id, status: TO[name] });
      expect(await history(id)).toHaveLength(1);
      return;
    }
    expect(result).toMatchObject({ flag: null, code });
    expect([await flagRow(id), await history(id)]).toEqual(before);
    expect(await audits()).toEqual([
      expect.objectContaining({ user_id: viewer.userId, target: `flag:${id}`, outcome: 'denied' }),
    ]);
  });
});

describe('refusals', () => {
  it('answers an out-of-remit flag exactly like a missing one', async () => {
    const id = await seedFlag('1000000001', '2025-10');
    const hidden = await step(VIEWERS.dx02, 'DISMISS', { id });
    const missing = await step(VIEWERS.dx02, 'DISMISS', { id: '987654' });
    const garbage = await step(VIEWERS.dx02, 'DISMISS', { id: 'abc' });
    expect(hidden).toEqual(missing);
    expect(garbage).toEqual(missing);
    expect(missing).toMatchObject({ code: 'NOT_FOUND' });
    const bureauMissing = await step(VIEWERS.bureau, 'DISMISS', { id: '987654' });
    expect(bureauMissing).toEqual(missing);
  });

  it('tells the former inspector, who still sees the flag, that they may no longer act', async () => {
    const id = await seedFlag('1000000003', '2025-09');
    const result = await step(VIEWERS.dx01, 'REQUEST_RECTIFICATION', { id });
    expect(result).toMatchObject({ code: 'FORBIDDEN' });
    expect(result.message).toContain('not in your remit now');
    // A flag of 2025-10 at the same school was never theirs to see.
    const later = await seedFlag('1000000003', '2025-10');
    expect(await step(VIEWERS.dx01, 'REQUEST_RECTIFICATION', { id: later })).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it.each([
    ['CLOSE', 'OPEN', ['OPEN', 'RECTIFIED']],
    ['RECORD_RECTIFICATION', 'OPEN', ['OPEN', 'RECTIFYING']],
    ['REQUEST_RECTIFICATION', 'RECTIFYING', ['RECTIFYING', 'OPEN', 'RECTIFIED']],
    ['REQUEST_RECTIFICATION', 'CLOSED', ['CLOSED', 'OPEN']],
    ['DISMISS', 'DISMISSED', ['DISMISSED', 'OPEN', 'RECTIFYING', 'RECTIFIED']],
    ['DISMISS', 'CLOSED', ['CLOSED', 'OPEN']],
  ] as const)('refuses %s on a %s flag, naming both statuses', async (name, status, named) => {
    const id = await seedFlag('1000000001', '2025-10', status);
    const before = [await flagRow(id), await history(id)];
    const result = await step(VIEWERS.bureau, name, { id });
    expect(result.code).toBe('BAD_USER_INPUT');
    for (const s of named) expect(result.message).toContain(s);
    expect(result.message).toMatch(/该违规预警当前状态为/u);
    expect([await flagRow(id), await history(id)]).toEqual(before);
    expect(await audits()).toEqual([
      expect.objectContaining({ outcome: 'failed', detail: `status:${status}` }),
    ]);
  });

  it.each([
    ['2025-10-14', 'before today'],
    ['2025-02-30', 'not a real date'],
    ['2025/10/31', 'not YYYY-MM-DD'],
    ['2026-10-16', 'more than a year ahead'],
  ])('refuses the deadline %s (%s)', async (deadline) => {
    const id = await seedFlag('1000000001', '2025-10');
    const result = await step(VIEWERS.bureau, 'REQUEST_RECTIFICATION', { id, deadline });
    expect(result.code).toBe('BAD_USER_INPUT');
    expect(await flagRow(id)).toMatchObject({ status: 'OPEN', deadline: null });
    expect(await history(id)).toEqual([]);
  });

  it('accepts today and one year ahead as deadlines', async () => {
    const a = await seedFlag('1000000001', '2025-10');
    const b = await seedFlag('1000000001', '2025-10');
    await ok(VIEWERS.bureau, 'REQUEST_RECTIFICATION', { id: a, deadline: '2025-10-15' });
    await ok(VIEWERS.bureau, 'REQUEST_RECTIFICATION', { id: b, deadline: '2026-10-15' });
  });

  it('judges "today" in Asia/Shanghai', async () => {
    fx.setNow(new Date('2025-10-15T17:00:00Z')); // 2025-10-16 01:00 in Shanghai
    const id = await seedFlag('1000000001', '2025-10');
    const result = await step(VIEWERS.bureau, 'REQUEST_RECTIFICATION', {
      id,
      deadline: '2025-10-15',
    });
    expect(result.code).toBe('BAD_USER_INPUT');
    expect(result.message).toContain('2025-10-16');
  });

  it.each([
    ['REQUEST_RECTIFICATION', 'OPEN', '   '],
    ['RECORD_RECTIFICATION', 'RECTIFYING', ''],
    ['CLOSE', 'RECTIFIED', ' \n '],
    ['DISMISS', 'OPEN', ''],
    ['DISMISS', 'OPEN', '理'.repeat(2001)],
  ] as const)(
    'refuses %s on a %s flag with a blank or overlong text',
    async (name, status, text) => {
      const id = await seedFlag('1000000001', '2025-10', status);
      expect(await step(VIEWERS.bureau, name, { id, text })).toMatchObject({
        code: 'BAD_USER_INPUT',
      });
      expect(await history(id)).toEqual([]);
    },
  );
});

describe('closeFlag with a follow-up visit', () => {
  async function rectifiedOn(date: Date) {
    fx.setNow(date);
    const id = await seedFlag('1000000001', '2025-10', 'RECTIFYING');
    await ok(VIEWERS.dx01, 'RECORD_RECTIFICATION', { id });
    fx.setNow(new Date('2025-10-20T04:00:00Z'));
    return id;
  }

  it('accepts a FOLLOW_UP visit of the school on the day of the rectification', async () => {
    const id = await rectifiedOn(new Date('2025-10-15T17:30:00Z')); // 10-16 in Shanghai
    const visitId = await followUp(VIEWERS.dx01, '1000000001', '2025-10-16');
    await ok(VIEWERS.dx01, 'CLOSE', { id, visitId });
    expect((await history(id)).at(-1)).toMatchObject({
      action: 'CLOSED',
      visit_id: Number(visitId),
    });
  });

  it.each([
    ['dated before the rectification', '1000000001', '2025-10-15', 'FOLLOW_UP'],
    ['of another school', '1000000004', '2025-10-18', 'FOLLOW_UP'],
    ['that is not a follow-up', '1000000001', '2025-10-18', 'ROUTINE'],
  ])('refuses a visit %s', async (_what, school, date, kind) => {
    const id = await rectifiedOn(new Date('2025-10-15T17:30:00Z'));
    const visitId = await followUp(VIEWERS.bureau, school, date, kind);
    const before = [await flagRow(id), await history(id)];
    const result = await step(VIEWERS.dx01, 'CLOSE', { id, visitId });
    expect(result.code).toBe('BAD_USER_INPUT');
    // What users read is the Chinese half: plain words and the rectification day, no codes.
    const zh = String(result.message).split(' / ')[0];
    expect(zh).toBe(
      '所选复查记录不能用于这次销号：须为本校在整改完成（2025-10-16）当天或之后的整改复查记录',
    );
    expect(zh).not.toMatch(/[A-Za-z]/);
    expect([await flagRow(id), await history(id)]).toEqual(before);
  });

  const CLOSING = `query ($id: ID!) { flag(id: $id) { rectifiedOn closingVisitsHint
    closingVisits { id date kind } closingVisit { id date inspectorName } } }`;
  const closing = async (viewer: Viewer, id: string) =>
    (await fx.run(viewer, CLOSING, { id })).data?.flag as {
      rectifiedOn: string | null;
      closingVisitsHint: string | null;
      closingVisits: { id: string; date: string; kind: string }[];
      closingVisit: { id: string; date: string; inspectorName: string } | null;
    };

  it('offers exactly the visits the CLOSE step accepts, judged by the day in Shanghai', async () => {
    // Recorded 2025-10-15T17:30Z: 10-16 01:30 in Shanghai, still 10-15 in UTC.
    const id = await rectifiedOn(new Date('2025-10-15T17:30:00Z'));
    const dayBefore = await followUp(VIEWERS.dx01, '1000000001', '2025-10-15');
    const sameDay = await followUp(VIEWERS.dx01, '1000000001', '2025-10-16');
    const later = await followUp(VIEWERS.dx01, '1000000001', '2025-10-18');
    await followUp(VIEWERS.bureau, '1000000001', '2025-10-19', 'ROUTINE');
    await followUp(VIEWERS.bureau, '1000000004', '2025-10-19');
    const offered = await closing(VIEWERS.dx01, id);
    expect(offered).toEqual({
      rectifiedOn: '2025-10-16',
      closingVisitsHint: null,
      closingVisits: [
        { id: later, date: '2025-10-18', kind: 'FOLLOW_UP' },
        { id: sameDay, date: '2025-10-16', kind: 'FOLLOW_UP' },
      ],
      closingVisit: null,
    });
    // Leadership may not close: nothing offered, no hint.
    expect(await closing(VIEWERS.leader, id)).toMatchObject({
      closingVisits: [],
      closingVisitsHint: null,
    });
    expect((await step(VIEWERS.dx01, 'CLOSE', { id, visitId: dayBefore })).code).toBe(
      'BAD_USER_INPUT',
    );
    await ok(VIEWERS.dx01, 'CLOSE', { id, visitId: sameDay });
    expect(await closing(VIEWERS.dx01, id)).toEqual({
      rectifiedOn: '2025-10-16',
      closingVisitsHint: null,
      closingVisits: [],
      closingVisit: { id: sameDay, date: '2025-10-16', inspectorName: 'dx01' },
    });
  });

  it('says in plain Chinese why no visit can be linked', async () => {
    const id = await rectifiedOn(new Date('2025-10-15T17:30:00Z'));
    expect((await closing(VIEWERS.dx01, id)).closingVisitsHint).toBe(
      '该校还没有整改复查记录，暂无可关联的复查。可在2025年10月16日（整改完成当天）或之后到校复查并登记“整改复查”，也可以不关联复查记录直接核查销号。',
    );
    await followUp(VIEWERS.dx01, '1000000001', '2025-10-15');
    const { closingVisits, closingVisitsHint } = await closing(VIEWERS.dx01, id);
    expect(closingVisits).toEqual([]);
    expect(closingVisitsHint).toBe(
      '该校已有的整改复查都早于整改完成日期（2025年10月16日），不能用来核查这次整改。可在2025年10月16日（整改完成当天）或之后到校复查并登记“整改复查”，也可以不关联复查记录直接核查销号。',
    );
  });

  it('refuses a visit id that does not exist or is not an id', async () => {
    const id = await rectifiedOn(NOW);
    expect(await step(VIEWERS.dx01, 'CLOSE', { id, visitId: '424242' })).toMatchObject({
      code: 'BAD_USER_INPUT',
    });
    expect(await step(VIEWERS.dx01, 'CLOSE', { id, visitId: 'x1' })).toMatchObject({
      code: 'BAD_USER_INPUT',
    });
    expect((await flagRow(id))?.status).toBe('RECTIFIED');
  });
});
