/**
 * 数据疑点 through GraphQL: who sees which doubts (bureau all, a 督学 their schools in the
 * doubt's month, leadership refused), the filters, and the two review steps with the exact
 * event and audit rows they leave. The clock is 2025-11-20 noon in Shanghai; school
 * 1000000003 was DX01's in 2025-09 and is DX02's from 2025-10.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Viewer } from '../../../../server/auth/viewer.ts';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../../helpers/api-fixture.ts';
import { seedDoubt } from '../../../helpers/seed-doubt.ts';

const NOW = new Date('2025-11-20T04:00:00Z');
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
    await sql`DELETE FROM data_doubt_events; DELETE FROM data_doubts; DELETE FROM audit_log;`.execute(
      db,
    );
  });
});

const LIST = `query ($month: String, $period: String, $status: DoubtStatus, $rule: String,
    $schoolCode: String, $scope: ScopeInput, $first: Int, $after: String) {
  dataDoubts(month: $month, period: $period, status: $status, rule: $rule,
    schoolCode: $schoolCode, scope: $scope, first: $first, after: $after) {
    total endCursor items { id schoolCode schoolName township month rule status statusLabel }
  } }`;

async function list(viewer: Viewer, vars: Record<string, unknown> = {}) {
  const { data, errors } = await fx.run(viewer, LIST, vars);
  return {
    page: (data?.dataDoubts ?? null) as {
      total: number;
      endCursor: string | null;
      items: Record<string, string>[];
    } | null,
    code: errors?.[0]?.extensions?.code,
  };
}

const REVIEW = {
  verify: `mutation ($id: ID!, $note: String!) { verifyDoubt(doubtId: $id, note: $note) {
    id status statusLabel reviewNote reviewedBy reviewedAt updatedAt } }`,
  correct: `mutation ($id: ID!, $note: String!) { requestDoubtCorrection(doubtId: $id, note: $note) {
    id status statusLabel reviewNote reviewedBy reviewedAt updatedAt } }`,
} as const;

async function review(viewer: Viewer, step: keyof typeof REVIEW, id: string, note = '已电话核实') {
  const { data, errors } = await fx.run(viewer, REVIEW[step], { id, note });
  const field = step === 'verify' ? 'verifyDoubt' : 'requestDoubtCorrection';
  return {
    doubt: (data?.[field] ?? null) as Record<string, unknown> | null,
    code: errors?.[0]?.extensions?.code,
    message: errors?.[0]?.message,
  };
}

async function rows(query: ReturnType<typeof sql>) {
  return (await query.execute(fx.warehouse.db)).rows as Record<string, unknown>[];
}

const doubtState = (id: string) =>
  rows(sql`SELECT status, review_note, reviewed_by,
      strftime(reviewed_at, '%Y-%m-%dT%H:%M:%SZ') AS reviewed_at
    FROM data_doubts WHERE doubt_id = ${Number(id)}`);
const events = () =>
  rows(sql`SELECT doubt_id::INTEGER AS doubt_id, action, from_status, to_status, user_id,
      username, note, batch_id, strftime(occurred_at, '%Y-%m-%dT%H:%M:%SZ') AS occurred_at
    FROM data_doubt_events ORDER BY event_id`);
const audits = () =>
  rows(sql`SELECT user_id, username, action, target, outcome, detail FROM audit_log
    ORDER BY audit_id`);

describe('Query.dataDoubts', () => {
  async function seedAll() {
    return {
      a10: await seedDoubt(fx.writer, { school: '1000000001', month: '2025-10' }),
      b10: await seedDoubt(fx.writer, { school: '1000000002', month: '2025-10' }),
      c09: await seedDoubt(fx.writer, { school: '1000000003', month: '2025-09' }),
      c10: await seedDoubt(fx.writer, {
        school: '1000000003',
        month: '2025-10',
        rule: 'ROUND_NUMBERS.report_counts',
        status: 'VERIFIED',
      }),
    };
  }

  it('gives the bureau every doubt, newest month first, with labels', async () => {
    const ids = await seedAll();
    const { page } = await list(VIEWERS.bureau);
    expect(page?.total).toBe(4);
    expect(page?.items.map((d) => d.id)).toEqual([ids.a10, ids.b10, ids.c10, ids.c09]);
    expect(page?.items[0]).toEqual({
      id: ids.a10,
      schoolCode: '1000000001',
      schoolName: '东城第一小学',
      township: '东城镇',
      month: '2025-10',
      rule: 'MONTH_JUMP.participants',
      status: 'OPEN',
      statusLabel: '待核实',
    });
    expect(page?.items[2]?.statusLabel).toBe('核实无误');
  });

  it("gives a 督学 their schools' doubts in the doubt's month only", async () => {
    const ids = await seedAll();
    // 1000000003 was DX01's in 2025-09 and is DX02's from 2025-10.
    expect((await list(VIEWERS.dx01)).page?.items.map((d) => d.id)).toEqual([ids.a10, ids.c09]);
    expect((await list(VIEWERS.dx02)).page?.items.map((d) => d.id)).toEqual([ids.b10, ids.c10]);
    // Naming a foreign school narrows to nothing, never widens.
    expect((await list(VIEWERS.dx01, { schoolCode: '1000000002' })).page?.total).toBe(0);
    expect((await list(VIEWERS.unlinked)).page).toEqual({ total: 0, endCursor: null, items: [] });
  });

  it('refuses leadership whatever the arguments', async () => {
    await seedAll();
    expect(await list(VIEWERS.leader)).toEqual({ page: null, code: 'FORBIDDEN' });
    expect(await list(VIEWERS.leader, { schoolCode: '1999999999' })).toEqual({
      page: null,
      code: 'FORBIDDEN',
    });
  });

  it('filters by month, period, status, rule, school and township, and pages', async () => {
    const ids = await seedAll();
    const idsOf = async (vars: Record<string, unknown>) =>
      (await list(VIEWERS.bureau, vars)).page?.items.map((d) => d.id);
    expect(await idsOf({ month: '2025-09' })).toEqual([ids.c09]);
    expect(await idsOf({ period: '2025-2026-1' })).toHaveLength(4);
    expect(await idsOf({ status: 'VERIFIED' })).toEqual([ids.c10]);
    expect(await idsOf({ rule: 'ROUND_NUMBERS.report_counts' })).toEqual([ids.c10]);
    expect(await idsOf({ schoolCode: '1000000003' })).toEqual([ids.c10, ids.c09]);
    expect(await idsOf({ scope: { township: '东城镇' } })).toEqual([ids.a10, ids.b10]);
    const first = (await list(VIEWERS.bureau, { first: 3 })).page;
    expect(first?.items).toHaveLength(3);
    const rest = (await list(VIEWERS.bureau, { first: 3, after: first?.endCursor })).page;
    expect(rest?.items.map((d) => d.id)).toEqual([ids.c09]);
    expect(rest?.endCursor).toBeNull();
    expect((await list(VIEWERS.bureau, { first: 201 })).code).toBe('BAD_USER_INPUT');
    expect((await list(VIEWERS.bureau, { month: '2025-13' })).code).toBe('BAD_USER_INPUT');
    expect((await list(VIEWERS.bureau, { month: '2025-10', period: '2025-10' })).code).toBe(
      'BAD_USER_INPUT',
    );
  });
});

describe('reviewing a doubt', () => {
  it('verifies, then requests a correction, with one event and one audit row a step', async () => {
    const id = await seedDoubt(fx.writer, { school: '1000000001', month: '2025-10' });
    const verified = await review(ZHANG, 'verify', id, '  已电话核实：当月新增社团  ');
    expect(verified.message).toBeUndefined();
    expect(verified.doubt).toEqual({
      id,
      status: 'VERIFIED',
      statusLabel: '核实无误',
      reviewNote: '已电话核实：当月新增社团',
      reviewedBy: '张督学',
      reviewedAt: '2025-11-20T12:00:00+08:00',
      updatedAt: '2025-11-20T12:00:00+08:00',
    });

    fx.setNow(new Date('2025-11-21T02:00:00Z'));
    const sent = await review(VIEWERS.bureau, 'correct', id, '名单与人数不符，请重报');
    expect(sent.doubt).toMatchObject({
      status: 'CORRECTION_REQUESTED',
      statusLabel: '要求更正',
      reviewNote: '名单与人数不符，请重报',
      reviewedBy: 'bureau',
      reviewedAt: '2025-11-21T10:00:00+08:00',
    });
    expect(await events()).toEqual([
      {
        doubt_id: Number(id),
        action: 'VERIFIED',
        from_status: 'OPEN',
        to_status: 'VERIFIED',
        user_id: 3,
        username: 'dx01',
        note: '已电话核实：当月新增社团',
        batch_id: null,
        occurred_at: '2025-11-20T04:00:00Z',
      },
      {
        doubt_id: Number(id),
        action: 'CORRECTION_REQUESTED',
        from_status: 'VERIFIED',
        to_status: 'CORRECTION_REQUESTED',
        user_id: 1,
        username: 'bureau',
        note: '名单与人数不符，请重报',
        batch_id: null,
        occurred_at: '2025-11-21T02:00:00Z',
      },
    ]);
    expect(await audits()).toEqual([
      {
        user_id: 3,
        username: 'dx01',
        action: 'DOUBT_VERIFIED',
        target: `doubt:${id}`,
        outcome: 'ok',
        detail: 'OPEN→VERIFIED',
      },
      {
        user_id: 1,
        username: 'bureau',
        action: 'DOUBT_CORRECTION_REQUESTED',
        target: `doubt:${id}`,
        outcome: 'ok',
        detail: 'VERIFIED→CORRECTION_REQUESTED',
      },
    ]);
  });

  it('refuses a step from a status it does not apply to, and a cleared doubt', async () => {
    const id = await seedDoubt(fx.writer, {
      school: '1000000001',
      month: '2025-10',
      status: 'CLEARED',
    });
    const result = await review(ZHANG, 'verify', id);
    expect(result.code).toBe('BAD_USER_INPUT');
    expect(result.message).toContain('「已更正」');
    const again = await seedDoubt(fx.writer, {
      school: '1000000002',
      month: '2025-10',
      status: 'CORRECTION_REQUESTED',
    });
    expect((await review(VIEWERS.bureau, 'correct', again)).code).toBe('BAD_USER_INPUT');
    expect(await doubtState(id)).toEqual([
      { status: 'CLEARED', review_note: null, reviewed_by: null, reviewed_at: null },
    ]);
    expect(await events()).toEqual([]);
    expect((await audits()).map((a) => [a.action, a.outcome, a.detail])).toEqual([
      ['DOUBT_VERIFIED', 'failed', 'status:CLEARED'],
      ['DOUBT_CORRECTION_REQUESTED', 'failed', 'status:CORRECTION_REQUESTED'],
    ]);
  });

  it('answers a foreign doubt exactly like a missing one, and refuses leadership', async () => {
    const foreign = await seedDoubt(fx.writer, { school: '1000000002', month: '2025-10' });
    // 1000000003's 2025-10 doubt: DX01 had the school in 2025-09, not in the doubt's month.
    const moved = await seedDoubt(fx.writer, { school: '1000000003', month: '2025-10' });
    const missing = await review(ZHANG, 'verify', '99999999');
    expect(missing.code).toBe('NOT_FOUND');
    expect(await review(ZHANG, 'verify', foreign)).toEqual(missing);
    expect(await review(ZHANG, 'correct', moved)).toEqual({ ...missing });
    expect(await review(ZHANG, 'verify', 'not-an-id')).toEqual(missing);
    const leader = await review(VIEWERS.leader, 'verify', foreign);
    expect(leader.code).toBe('FORBIDDEN');
    expect(await review(VIEWERS.leader, 'verify', '99999999')).toEqual(leader);
    expect((await review(VIEWERS.unlinked, 'verify', foreign)).code).toBe('FORBIDDEN');
    for (const id of [foreign, moved])
      expect((await doubtState(id))[0]).toMatchObject({ status: 'OPEN', review_note: null });
    expect(await events()).toEqual([]);
    expect((await audits()).map((a) => [a.username, a.action, a.outcome, a.detail])).toEqual([
      ['dx01', 'DOUBT_VERIFIED', 'denied', 'not_found'],
      ['dx01', 'DOUBT_VERIFIED', 'denied', 'not_found'],
      ['dx01', 'DOUBT_CORRECTION_REQUESTED', 'denied', 'not_found'],
      ['dx01', 'DOUBT_VERIFIED', 'denied', 'not_found'],
      ['leader', 'DOUBT_VERIFIED', 'denied', 'role'],
      ['leader', 'DOUBT_VERIFIED', 'denied', 'role'],
      ['nobody', 'DOUBT_VERIFIED', 'denied', 'role'],
    ]);
  });

  it('requires a note', async () => {
    const id = await seedDoubt(fx.writer, { school: '1000000001', month: '2025-10' });
    expect((await review(ZHANG, 'verify', id, '   ')).code).toBe('BAD_USER_INPUT');
    expect((await doubtState(id))[0]?.status).toBe('OPEN');
  });
});

describe('the doubt vocabulary', () => {
  it('lists the statuses with labels and the catalogue, to every role', async () => {
    const document = `{ doubtStatuses { status label open }
      doubtRules { rule label measure measureLabel } }`;
    const bureau = await fx.run(VIEWERS.bureau, document);
    expect(bureau.errors).toBeUndefined();
    expect(bureau.data?.doubtStatuses).toEqual([
      { status: 'OPEN', label: '待核实', open: true },
      { status: 'VERIFIED', label: '核实无误', open: false },
      { status: 'CORRECTION_REQUESTED', label: '要求更正', open: true },
      { status: 'CLEARED', label: '已更正', open: false },
    ]);
    expect((bureau.data?.doubtRules as unknown[])[0]).toEqual({
      rule: 'MONTH_JUMP.participants',
      label: '参与人数环比突变',
      measure: 'participants',
      measureLabel: '参与人数',
    });
    expect((await fx.run(VIEWERS.leader, document)).data).toEqual(bureau.data);
  });

  it('offers the review steps a status allows, with the catalogue labels', async () => {
    for (const status of ['OPEN', 'VERIFIED', 'CORRECTION_REQUESTED', 'CLEARED'] as const)
      await seedDoubt(fx.writer, { school: '1000000001', month: '2025-10', rule: `R.${status}` });
    await fx.writer.write(({ db }) =>
      sql`UPDATE data_doubts SET status = split_part(rule, '.', 2)`.execute(db),
    );
    await seedDoubt(fx.writer, { school: '1000000001', month: '2025-09' });
    const { data } = await fx.run(
      VIEWERS.dx01,
      `{ dataDoubts { items { rule ruleLabel measureLabel status allowedReviews } } }`,
    );
    expect((data?.dataDoubts as { items: unknown[] }).items).toEqual([
      {
        rule: 'R.CLEARED',
        ruleLabel: 'R.CLEARED',
        measureLabel: '参与人数',
        status: 'CLEARED',
        allowedReviews: [],
      },
      {
        rule: 'R.CORRECTION_REQUESTED',
        ruleLabel: 'R.CORRECTION_REQUESTED',
        measureLabel: '参与人数',
        status: 'CORRECTION_REQUESTED',
        allowedReviews: ['VERIFY'],
      },
      {
        rule: 'R.OPEN',
        ruleLabel: 'R.OPEN',
        measureLabel: '参与人数',
        status: 'OPEN',
        allowedReviews: ['VERIFY', 'REQUEST_CORRECTION'],
      },
      {
        rule: 'R.VERIFIED',
        ruleLabel: 'R.VERIFIED',
        measureLabel: '参与人数',
        status: 'VERIFIED',
        allowedReviews: ['REQUEST_CORRECTION'],
      },
      {
        rule: 'MONTH_JUMP.participants',
        ruleLabel: '参与人数环比突变',
        measureLabel: '参与人数',
        status: 'OPEN',
        allowedReviews: ['VERIFY', 'REQUEST_CORRECTION'],
      },
    ]);
  });
});
