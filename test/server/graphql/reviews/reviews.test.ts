/**
 * 报表审核 through GraphQL: who sees which school-months, and submit → approve / return →
 * unlock with the exact statuses, events and audit rows each step leaves. The fixture
 * holds 8 school-months: 1000000001 2024-10; all four schools 2025-09; 1000000001,
 * 1000000002 and 1000000003 2025-10. 东城镇 = 1000000001, 1000000002.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Viewer } from '../../../../server/auth/viewer.ts';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../../helpers/api-fixture.ts';

const NOW = new Date('2025-11-20T04:00:00Z');
const SUBJECT = '1000000002';
const MONTH = '2025-10';

let fx: ApiFixture;
beforeAll(async () => {
  fx = await openApiFixture({ now: NOW });
});
afterAll(async () => {
  await fx.close();
});
beforeEach(async () => {
  await fx.writer.write(async ({ db }) => {
    await sql`DELETE FROM unit_review_events; DELETE FROM unit_reviews; DELETE FROM audit_log;`.execute(
      db,
    );
  });
});

const FIELDS = `schoolCode schoolName township month status statusLabel reasons hasData
  updatedBy allowedActions history { action actionLabel fromStatus toStatus note username }`;
const LIST = `query ($month: String, $status: ReviewStatus, $township: String) {
  unitReviews(month: $month, status: $status, township: $township, first: 200) {
    total items { ${FIELDS} } } }`;

type Unit = {
  schoolCode: string;
  month: string;
  status: string;
  statusLabel: string;
  reasons: string[];
  allowedActions: string[];
  history: { action: string; fromStatus: string; toStatus: string; note: string | null }[];
};

async function list(viewer: Viewer, vars: Record<string, unknown> = {}) {
  const { data, errors } = await fx.run(viewer, LIST, vars);
  const page = (data?.unitReviews ?? null) as { total: number; items: Unit[] } | null;
  return { page, code: errors?.[0]?.extensions?.code, errors };
}

const STEP = {
  submit: `mutation ($schoolCode: String!, $months: [String!]!) {
    submitUnits(schoolCode: $schoolCode, months: $months) { ${FIELDS} } }`,
  approve: `mutation ($units: [UnitKeyInput!]!) { approveUnits(units: $units) { ${FIELDS} } }`,
  return: `mutation ($units: [UnitKeyInput!]!, $reasons: [String!]!) {
    returnUnits(units: $units, reasons: $reasons) { ${FIELDS} } }`,
  unlock: `mutation ($unit: UnitKeyInput!, $reason: String!) {
    unlockUnit(unit: $unit, reason: $reason) { ${FIELDS} } }`,
} as const;

async function step(viewer: Viewer, which: keyof typeof STEP, vars: Record<string, unknown>) {
  const { data, errors } = await fx.run(viewer, STEP[which], vars);
  const value = data ? Object.values(data)[0] : null;
  return {
    units: (Array.isArray(value) ? value : value ? [value] : null) as Unit[] | null,
    code: errors?.[0]?.extensions?.code,
    message: errors?.[0]?.message,
  };
}

const unit = (schoolCode = SUBJECT, month = MONTH) => ({ schoolCode, month });
const codes = (items: Unit[]) => items.map((u) => `${u.schoolCode}@${u.month}`);

async function auditRows() {
  const r = await sql<{ action: string; target: string; outcome: string; detail: string }>`
    SELECT action, target, outcome, detail FROM audit_log ORDER BY audit_id`.execute(
    fx.warehouse.db,
  );
  return r.rows;
}

describe('the review queue', () => {
  it('lists every school-month with data for the bureau, newest month first, all drafts', async () => {
    const { page } = await list(VIEWERS.bureau);
    expect(page!.total).toBe(8);
    expect(codes(page!.items)).toEqual([
      '1000000001@2025-10',
      '1000000002@2025-10',
      '1000000003@2025-10',
      '1000000001@2025-09',
      '1000000002@2025-09',
      '1000000003@2025-09',
      '1000000004@2025-09',
      '1000000001@2024-10',
    ]);
    expect(page!.items.every((u) => u.status === 'DRAFT' && u.statusLabel === '草稿')).toBe(true);
    // The bureau may submit for a school; nothing is submitted yet to approve.
    expect(page!.items[0]!.allowedActions).toEqual(['SUBMIT']);
  });

  it('narrows to the township, the school and the 督学 schools; refuses leadership', async () => {
    expect(codes((await list(VIEWERS.township, { month: MONTH })).page!.items)).toEqual([
      '1000000001@2025-10',
      '1000000002@2025-10',
    ]);
    const school = (await list(VIEWERS.school)).page!;
    expect(codes(school.items)).toEqual(['1000000002@2025-10', '1000000002@2025-09']);
    expect(school.items[0]!.allowedActions).toEqual(['SUBMIT']);
    const dx01 = (await list(VIEWERS.dx01, { month: MONTH })).page!;
    expect(codes(dx01.items)).toEqual(['1000000001@2025-10']);
    expect(dx01.items[0]!.allowedActions).toEqual([]);
    expect((await list(VIEWERS.unlinked)).page!.total).toBe(0);
    expect((await list(VIEWERS.leader)).code).toBe('FORBIDDEN');
  });

  it('counts by status over the same units', async () => {
    await step(VIEWERS.school, 'submit', { schoolCode: SUBJECT, months: [MONTH, '2025-09'] });
    const { data } = await fx.run(
      VIEWERS.township,
      `{ unitReviewCounts(month: "2025-10") { status label count } }`,
    );
    expect(data!.unitReviewCounts).toEqual([
      { status: 'DRAFT', label: '草稿', count: 1 },
      { status: 'SUBMITTED', label: '已提交', count: 1 },
      { status: 'APPROVED', label: '已审核', count: 0 },
      { status: 'RETURNED', label: '退回', count: 0 },
    ]);
  });
});

describe('submit → review → lock', () => {
  it('walks a school-month through submit, return, submit, approve and unlock', async () => {
    const submitted = await step(VIEWERS.school, 'submit', {
      schoolCode: SUBJECT,
      months: [MONTH],
    });
    expect(submitted.units).toMatchObject([
      { schoolCode: SUBJECT, month: MONTH, status: 'SUBMITTED', allowedActions: [] },
    ]);
    // The township reviewer sees it waiting for them.
    const waiting = (await list(VIEWERS.township, { status: 'SUBMITTED' })).page!;
    expect(waiting.items).toMatchObject([
      { schoolCode: SUBJECT, allowedActions: ['APPROVE', 'RETURN'] },
    ]);

    const returned = await step(VIEWERS.township, 'return', {
      units: [unit()],
      reasons: ['参加人数与月报不一致', '  ', '最晚结束时间漏填'],
    });
    expect(returned.units).toMatchObject([
      {
        status: 'RETURNED',
        statusLabel: '退回',
        reasons: ['参加人数与月报不一致', '最晚结束时间漏填'],
      },
    ]);
    const again = await step(VIEWERS.school, 'submit', { schoolCode: SUBJECT, months: [MONTH] });
    expect(again.units).toMatchObject([{ status: 'SUBMITTED', reasons: [] }]);
    const approved = await step(VIEWERS.township, 'approve', { units: [unit()] });
    expect(approved.units).toMatchObject([{ status: 'APPROVED', statusLabel: '已审核' }]);
    // The township reviewer cannot unlock; the bureau can, with a reason.
    expect((await step(VIEWERS.township, 'unlock', { unit: unit(), reason: '更正' })).code).toBe(
      'FORBIDDEN',
    );
    expect(
      (await list(VIEWERS.bureau, { status: 'APPROVED' })).page!.items[0]!.allowedActions,
    ).toEqual(['UNLOCK']);
    const unlocked = await step(VIEWERS.bureau, 'unlock', {
      unit: unit(),
      reason: '学校申请更正参加人数',
    });
    expect(unlocked.units).toMatchObject([
      { status: 'RETURNED', reasons: ['学校申请更正参加人数'], allowedActions: ['SUBMIT'] },
    ]);
    expect(unlocked.units![0]!.history).toEqual([
      {
        action: 'SUBMIT',
        actionLabel: '提交',
        fromStatus: 'DRAFT',
        toStatus: 'SUBMITTED',
        note: null,
        username: 'school02',
      },
      {
        action: 'RETURN',
        actionLabel: '退回',
        fromStatus: 'SUBMITTED',
        toStatus: 'RETURNED',
        note: '参加人数与月报不一致\n最晚结束时间漏填',
        username: 'dongcheng',
      },
      {
        action: 'SUBMIT',
        actionLabel: '提交',
        fromStatus: 'RETURNED',
        toStatus: 'SUBMITTED',
        note: null,
        username: 'school02',
      },
      {
        action: 'APPROVE',
        actionLabel: '审核通过',
        fromStatus: 'SUBMITTED',
        toStatus: 'APPROVED',
        note: null,
        username: 'dongcheng',
      },
      {
        action: 'UNLOCK',
        actionLabel: '解锁',
        fromStatus: 'APPROVED',
        toStatus: 'RETURNED',
        note: '学校申请更正参加人数',
        username: 'bureau',
      },
    ]);
    expect(await auditRows()).toEqual([
      {
        action: 'reviews.submit',
        target: 'unit:1000000002:2025-10',
        outcome: 'ok',
        detail: 'DRAFT→SUBMITTED',
      },
      {
        action: 'reviews.return',
        target: 'unit:1000000002:2025-10',
        outcome: 'ok',
        detail: 'SUBMITTED→RETURNED',
      },
      {
        action: 'reviews.submit',
        target: 'unit:1000000002:2025-10',
        outcome: 'ok',
        detail: 'RETURNED→SUBMITTED',
      },
      {
        action: 'reviews.approve',
        target: 'unit:1000000002:2025-10',
        outcome: 'ok',
        detail: 'SUBMITTED→APPROVED',
      },
      {
        action: 'reviews.unlock',
        target: 'unit:1000000002:2025-10',
        outcome: 'denied',
        detail: 'role',
      },
      {
        action: 'reviews.unlock',
        target: 'unit:1000000002:2025-10',
        outcome: 'ok',
        detail: 'APPROVED→RETURNED',
      },
    ]);
  });

  it('takes a step on all units named or on none', async () => {
    await step(VIEWERS.bureau, 'submit', { schoolCode: '1000000001', months: [MONTH] });
    // 1000000002 is still a draft: approving both approves neither.
    const both = await step(VIEWERS.bureau, 'approve', {
      units: [unit('1000000001'), unit()],
    });
    expect(both.code).toBe('BAD_USER_INPUT');
    expect(both.message).toBe(
      '东城村小 2025-10 当前为「草稿」，审核通过只适用于：「已提交」 / 1000000002 2025-10 is DRAFT; APPROVE applies only to SUBMITTED',
    );
    const after = (await list(VIEWERS.bureau, { month: MONTH })).page!.items;
    expect(after.map((u) => u.status)).toEqual(['SUBMITTED', 'DRAFT', 'DRAFT']);
  });

  it('refuses out-of-remit units exactly like missing ones, and bad input bilingually', async () => {
    await step(VIEWERS.bureau, 'submit', { schoolCode: '1000000003', months: [MONTH] });
    const foreign = await step(VIEWERS.township, 'approve', { units: [unit('1000000003')] });
    const missing = await step(VIEWERS.township, 'approve', { units: [unit('1999999999')] });
    expect(foreign).toEqual({
      units: null,
      code: 'FORBIDDEN',
      message: '该校该月不在您的审核范围内 / that school-month is not within your remit',
    });
    expect(missing).toEqual(foreign);
    // A school reporter submits only their own school.
    expect(
      (await step(VIEWERS.otherSchool, 'submit', { schoolCode: SUBJECT, months: [MONTH] })).code,
    ).toBe('FORBIDDEN');
    // Submitting a month without any report.
    expect(
      await step(VIEWERS.school, 'submit', { schoolCode: SUBJECT, months: ['2025-11'] }),
    ).toMatchObject({
      code: 'NOT_FOUND',
      message: '该校该月尚无报表数据 / no report of that school-month',
    });
    // 督学 and leadership review nothing.
    expect((await step(VIEWERS.dx02, 'approve', { units: [unit()] })).code).toBe('FORBIDDEN');
    expect((await step(VIEWERS.leader, 'approve', { units: [unit()] })).code).toBe('FORBIDDEN');
    await step(VIEWERS.school, 'submit', { schoolCode: SUBJECT, months: [MONTH] });
    expect(await step(VIEWERS.bureau, 'return', { units: [unit()], reasons: [' '] })).toMatchObject(
      {
        code: 'BAD_USER_INPUT',
        message: '退回须填写至少一条原因 / a return needs at least one reason',
      },
    );
    expect(
      (await step(VIEWERS.bureau, 'approve', { units: [unit(SUBJECT, '2025-13')] })).code,
    ).toBe('BAD_USER_INPUT');
  });
});

describe('已审核 figures only (ScopeInput.approvedOnly)', () => {
  const OVERVIEW = `query ($scope: ScopeInput) { overview(month: "2025-10", scope: $scope) {
    schoolsInScope schoolsReporting schoolsOffering schoolsNotOffering } }`;

  it('counts only the approved school-months', async () => {
    // 2025-10: 1000000001 and 1000000002 offer service, 1000000003 reports none, 1000000004 no report.
    const all = await fx.run(VIEWERS.bureau, OVERVIEW, {});
    expect(all.data!.overview).toEqual({
      schoolsInScope: 4,
      schoolsReporting: 3,
      schoolsOffering: 2,
      schoolsNotOffering: 1,
    });
    const none = await fx.run(VIEWERS.bureau, OVERVIEW, { scope: { approvedOnly: true } });
    expect(none.data!.overview).toMatchObject({ schoolsInScope: 0, schoolsReporting: 0 });
    await step(VIEWERS.bureau, 'submit', { schoolCode: SUBJECT, months: [MONTH] });
    await step(VIEWERS.bureau, 'submit', { schoolCode: '1000000003', months: [MONTH] });
    await step(VIEWERS.bureau, 'approve', { units: [unit(), unit('1000000003')] });
    const approved = await fx.run(VIEWERS.bureau, OVERVIEW, { scope: { approvedOnly: true } });
    expect(approved.data!.overview).toEqual({
      schoolsInScope: 2,
      schoolsReporting: 2,
      schoolsOffering: 1,
      schoolsNotOffering: 1,
    });
    // false is the same as leaving it out.
    const off = await fx.run(VIEWERS.bureau, OVERVIEW, { scope: { approvedOnly: false } });
    expect(off.data!.overview).toEqual(all.data!.overview);
  });
});
