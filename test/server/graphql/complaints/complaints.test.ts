/**
 * 投诉与举报 through GraphQL: scoping for every role (the complainant answered to the bureau
 * and the handler only), the deadline from policy, each step with its history and audit
 * rows, the flag a complaint raises, and the counts per school. The clock is 2025-10-15
 * noon in Shanghai: school 1000000003 moved from DX01 to DX02 in 2025-10.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Viewer } from '../../../../server/auth/viewer.ts';
import { complaintCountsBySchool } from '../../../../server/graphql/complaints/complaints.repository.ts';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../../helpers/api-fixture.ts';

const NOW = new Date('2025-10-15T04:00:00Z');
const { bureau, leader, dx01, dx02, unlinked } = VIEWERS;

let fx: ApiFixture;
beforeAll(async () => {
  fx = await openApiFixture({ now: NOW });
  await fx.writer.write(async ({ db }) => {
    await sql`DELETE FROM users;
      INSERT INTO users (user_id, username, display_name, role, inspector_id, password_hash)
      VALUES (1, 'bureau', '王科长', 'BUREAU_INSPECTOR', NULL, 'x'),
        (2, 'leader', '赵局长', 'LEADERSHIP', NULL, 'x'),
        (3, 'dx01', '张督学', 'SUPERVISING_INSPECTOR', 'DX01', 'x'),
        (4, 'dx02', '李督学', 'SUPERVISING_INSPECTOR', 'DX02', 'x')`.execute(db);
  });
});
afterAll(async () => {
  await fx.close();
});
beforeEach(async () => {
  fx.setNow(NOW);
  await fx.writer.write(async ({ db }) => {
    await sql`DELETE FROM complaint_events; DELETE FROM complaints; DELETE FROM flag_events;
      DELETE FROM flags WHERE source = 'inspection'; DELETE FROM visit_checks; DELETE FROM visits;
      DELETE FROM audit_log;`.execute(db);
  });
});

const FIELDS = `id schoolCode source sourceLabel category categoryLabel receivedOn month
  allegation complainant { name contact } status statusLabel handlerName deadline overdue
  finding substantiated allowedSteps flag { id code rule source status month detail }
  visit { id } events { action actionLabel status userName note }`;

const RECORD = `mutation ($input: ComplaintInput!) { recordComplaint(input: $input) { ${FIELDS} } }`;

interface Recorded {
  id: string;
  [key: string]: unknown;
}

async function record(viewer: Viewer, input: Record<string, unknown>) {
  const { data, errors } = await fx.run(viewer, RECORD, {
    input: {
      schoolCode: '1000000001',
      source: 'HOTLINE_12345',
      category: 'ILLEGAL_FEES',
      receivedOn: '2025-10-10',
      allegation: '家长反映课后服务另收教辅费每人200元',
      complainantName: '陈女士',
      complainantContact: '13800000000',
      ...input,
    },
  });
  return {
    complaint: (data?.recordComplaint ?? null) as Recorded | null,
    code: errors?.[0]?.extensions?.code,
    message: errors?.[0]?.message,
  };
}

async function ok(viewer: Viewer, input: Record<string, unknown> = {}): Promise<Recorded> {
  const result = await record(viewer, input);
  expect(result.message).toBeUndefined();
  return result.complaint as Recorded;
}

async function list(viewer: Viewer, args = '') {
  const { data, errors } = await fx.run(
    viewer,
    `{ complaints${args} { total items { id schoolCode complainant { name } } } }`,
  );
  return {
    page: (data?.complaints ?? null) as {
      total: number;
      items: { id: string; schoolCode: string; complainant: { name: string } | null }[];
    } | null,
    code: errors?.[0]?.extensions?.code,
  };
}

async function one(viewer: Viewer, id: string) {
  const { data, errors } = await fx.run(
    viewer,
    `query ($id: ID!) { complaint(id: $id) { ${FIELDS} } }`,
    {
      id,
    },
  );
  return {
    complaint: (data?.complaint ?? null) as Recorded | null,
    code: errors?.[0]?.extensions?.code,
  };
}

async function step(viewer: Viewer, mutation: string, vars: Record<string, unknown>) {
  const { data, errors } = await fx.run(viewer, mutation, vars);
  const value = data ? (Object.values(data)[0] as Recorded | null) : null;
  return { complaint: value, code: errors?.[0]?.extensions?.code, message: errors?.[0]?.message };
}

const ASSIGN = `mutation ($id: ID!, $h: ID!) { assignComplaint(id: $id, handlerUserId: $h) { ${FIELDS} } }`;
const RAISE = `mutation ($id: ID!, $d: String!) { raiseComplaintFlag(id: $id, detail: $d) { ${FIELDS} } }`;
const LINK = `mutation ($id: ID!, $v: ID!) { linkComplaintVisit(id: $id, visitId: $v) { ${FIELDS} } }`;
const CLOSE = `mutation ($id: ID!, $f: String!, $s: Boolean!) { closeComplaint(id: $id, finding: $f, substantiated: $s) { ${FIELDS} } }`;

async function audits() {
  const result = await sql<Record<string, unknown>>`SELECT username, action, target, outcome, detail
    FROM audit_log ORDER BY audit_id`.execute(fx.warehouse.db);
  return result.rows;
}

describe('recording a complaint', () => {
  it('keeps the complaint with its policy deadline (received + 15 days) and a RECEIVED event', async () => {
    const c = await ok(bureau);
    expect(c).toMatchObject({
      schoolCode: '1000000001',
      source: 'HOTLINE_12345',
      sourceLabel: '12345热线',
      category: 'ILLEGAL_FEES',
      categoryLabel: '违规收费',
      receivedOn: '2025-10-10',
      month: '2025-10',
      complainant: { name: '陈女士', contact: '13800000000' },
      status: 'RECEIVED',
      statusLabel: '待办理',
      handlerName: null,
      deadline: '2025-10-25',
      overdue: false,
      allowedSteps: ['ASSIGN', 'RAISE_FLAG', 'LINK_VISIT', 'CLOSE'],
      flag: null,
      events: [
        {
          action: 'RECEIVED',
          actionLabel: '登记',
          status: 'RECEIVED',
          userName: 'bureau',
          note: null,
        },
      ],
    });
    expect(await audits()).toEqual([
      {
        username: 'bureau',
        action: 'complaints.record',
        target: `complaint:${c.id}`,
        outcome: 'ok',
        detail: 'school=1000000001 category=ILLEGAL_FEES',
      },
    ]);
  });

  it('is overdue once its deadline has passed while open', async () => {
    const c = await ok(bureau, { receivedOn: '2025-09-20' });
    expect(c).toMatchObject({ deadline: '2025-10-05', overdue: true });
    expect((await list(bureau, '(overdue: true)')).page?.total).toBe(1);
    await ok(bureau);
    expect((await list(bureau, '(overdue: true)')).page?.total).toBe(1);
    expect((await list(bureau)).page?.total).toBe(2);
  });

  it('lets a 督学 record for their schools now (handling it themselves), not others', async () => {
    const c = await ok(dx01);
    expect(c).toMatchObject({ handlerName: '张督学', complainant: { name: '陈女士' } });
    expect(c.allowedSteps).toEqual(['RAISE_FLAG', 'LINK_VISIT', 'CLOSE']);
    // 1000000003 was DX01's in September but is DX02's now.
    const moved = await record(dx01, { schoolCode: '1000000003' });
    expect(moved.code).toBe('NOT_FOUND');
    expect((await record(dx01, { schoolCode: '1000000002' })).code).toBe('NOT_FOUND');
    expect((await record(leader, {})).code).toBe('FORBIDDEN');
    expect((await record(unlinked, {})).code).toBe('FORBIDDEN');
    expect((await record(dx01, { handlerUserId: '4' })).code).toBe('FORBIDDEN');
    const rows = await sql<{ n: number }>`SELECT count(*)::INTEGER AS n FROM complaints`.execute(
      fx.warehouse.db,
    );
    expect(rows.rows[0]?.n).toBe(1);
    expect((await audits()).map((a) => [a.username, a.outcome, a.detail])).toEqual([
      ['dx01', 'ok', 'school=1000000001 category=ILLEGAL_FEES'],
      ['dx01', 'denied', 'school'],
      ['dx01', 'denied', 'school'],
      ['leader', 'denied', 'role'],
      ['nobody', 'denied', 'role'],
    ]);
  });

  it('refuses a category outside the flag catalogue, a future date and a handler not of the school', async () => {
    expect((await record(bureau, { category: 'NOISE' })).code).toBe('BAD_USER_INPUT');
    expect((await record(bureau, { receivedOn: '2025-10-16' })).code).toBe('BAD_USER_INPUT');
    expect((await record(bureau, { allegation: '  ' })).code).toBe('BAD_USER_INPUT');
    // DX02 (user 4) does not look after 1000000001.
    expect((await record(bureau, { handlerUserId: '4' })).code).toBe('BAD_USER_INPUT');
    const c = await ok(bureau, { handlerUserId: '3' });
    expect(c.handlerName).toBe('张督学');
  });
});

describe('who sees complaints', () => {
  it('scopes lists and details per role and hides the complainant from the school side', async () => {
    const a = await ok(bureau, { schoolCode: '1000000001' });
    const b = await ok(bureau, { schoolCode: '1000000002' });
    // 1000000003 in September was DX01's; now DX02's: both see it.
    const c = await ok(bureau, { schoolCode: '1000000003', receivedOn: '2025-09-25' });

    const all = (await list(bureau)).page;
    expect(all?.total).toBe(3);
    expect(all?.items.every((i) => i.complainant?.name === '陈女士')).toBe(true);

    const mine1 = (await list(dx01)).page;
    expect(mine1?.items.map((i) => i.schoolCode).sort()).toEqual(['1000000001', '1000000003']);
    // Not their handler: no complainant.
    expect(mine1?.items.map((i) => i.complainant)).toEqual([null, null]);
    const mine2 = (await list(dx02)).page;
    expect(mine2?.items.map((i) => i.schoolCode).sort()).toEqual(['1000000002', '1000000003']);

    expect((await one(dx02, a.id)).complaint).toBeNull();
    expect((await one(dx01, b.id)).complaint).toBeNull();
    expect((await one(dx01, c.id)).complaint).toMatchObject({
      complainant: null,
      allowedSteps: [],
    });
    expect((await one(dx02, c.id)).complaint?.allowedSteps).toEqual([
      'RAISE_FLAG',
      'LINK_VISIT',
      'CLOSE',
    ]);

    expect((await list(leader)).code).toBe('FORBIDDEN');
    expect((await one(leader, a.id)).code).toBe('FORBIDDEN');
    expect((await list(unlinked)).page?.total).toBe(0);

    // Assigned as handler, the 督学 reads the complainant.
    await step(bureau, ASSIGN, { id: a.id, h: '3' });
    expect((await one(dx01, a.id)).complaint?.complainant).toEqual({
      name: '陈女士',
      contact: '13800000000',
    });
  });

  it('filters by month, status, source, category and school', async () => {
    await ok(bureau, { schoolCode: '1000000001', source: 'LETTER', category: 'LATE_END' });
    await ok(bureau, { schoolCode: '1000000002', receivedOn: '2025-09-25' });
    expect((await list(bureau, '(month: "2025-09")')).page?.total).toBe(1);
    expect((await list(bureau, '(source: LETTER)')).page?.total).toBe(1);
    expect((await list(bureau, '(category: "ILLEGAL_FEES")')).page?.total).toBe(1);
    expect((await list(bureau, '(schoolCode: "1000000002")')).page?.total).toBe(1);
    expect((await list(bureau, '(status: CLOSED)')).page?.total).toBe(0);
    expect((await list(bureau, '(scope: { township: "西山乡" })')).page?.total).toBe(0);
    expect((await list(bureau, '(category: "NOISE")')).code).toBe('BAD_USER_INPUT');
  });
});

describe('handling steps', () => {
  it('assigns, raises an INSPECTION flag <CODE>.complaint, links a visit and closes', async () => {
    const c = await ok(bureau);
    const assigned = (await step(bureau, ASSIGN, { id: c.id, h: '3' })).complaint;
    expect(assigned).toMatchObject({ status: 'INVESTIGATING', handlerName: '张督学' });
    expect((await step(dx01, ASSIGN, { id: c.id, h: '3' })).code).toBe('FORBIDDEN');

    const raised = (await step(dx01, RAISE, { id: c.id, d: '核实收取教辅费200元/人' })).complaint;
    expect(raised?.flag).toMatchObject({
      code: 'ILLEGAL_FEES',
      rule: 'ILLEGAL_FEES.complaint',
      source: 'INSPECTION',
      status: 'OPEN',
      month: '2025-10',
      detail: '核实收取教辅费200元/人',
    });
    expect(raised?.allowedSteps).toEqual(['LINK_VISIT', 'CLOSE']);
    expect((await step(dx01, RAISE, { id: c.id, d: '再次' })).code).toBe('BAD_USER_INPUT');
    const flagRows = await sql<{ n: number }>`SELECT count(*)::INTEGER AS n FROM flags
      WHERE rule = 'ILLEGAL_FEES.complaint'`.execute(fx.warehouse.db);
    expect(flagRows.rows[0]?.n).toBe(1);

    const visit = await fx.run(
      dx01,
      `mutation ($input: VisitInput!) { recordVisit(input: $input) { id } }`,
      {
        input: {
          schoolCode: '1000000001',
          date: '2025-10-14',
          kind: 'UNANNOUNCED',
          checklist: [],
          findings: '核查收费',
        },
      },
    );
    expect(visit.errors).toBeUndefined();
    const visitId = (visit.data?.recordVisit as { id: string }).id;
    const linked = (await step(dx01, LINK, { id: c.id, v: visitId })).complaint;
    expect(linked?.visit).toEqual({ id: visitId });

    const closed = (await step(dx01, CLOSE, { id: c.id, f: '情况属实，已责令退费', s: true }))
      .complaint;
    expect(closed).toMatchObject({
      status: 'CLOSED',
      statusLabel: '已办结',
      finding: '情况属实，已责令退费',
      substantiated: true,
      overdue: false,
      allowedSteps: [],
    });
    expect(closed?.events).toEqual([
      {
        action: 'RECEIVED',
        actionLabel: '登记',
        status: 'RECEIVED',
        userName: 'bureau',
        note: null,
      },
      {
        action: 'ASSIGNED',
        actionLabel: '指定承办人',
        status: 'INVESTIGATING',
        userName: 'bureau',
        note: null,
      },
      {
        action: 'FLAG_RAISED',
        actionLabel: '转为违规预警',
        status: 'INVESTIGATING',
        userName: 'dx01',
        note: '核实收取教辅费200元/人',
      },
      {
        action: 'VISIT_LINKED',
        actionLabel: '关联督导检查',
        status: 'INVESTIGATING',
        userName: 'dx01',
        note: `visit:${visitId}`,
      },
      {
        action: 'CLOSED',
        actionLabel: '办结',
        status: 'CLOSED',
        userName: 'dx01',
        note: '属实：情况属实，已责令退费',
      },
    ]);
    expect((await step(dx01, CLOSE, { id: c.id, f: '再次', s: false })).code).toBe(
      'BAD_USER_INPUT',
    );
    const actions = (await audits())
      .filter((a) => String(a.action).startsWith('complaints.'))
      .map((a) => [a.username, a.action, a.outcome]);
    expect(actions).toEqual([
      ['bureau', 'complaints.record', 'ok'],
      ['bureau', 'complaints.assign', 'ok'],
      ['dx01', 'complaints.assign', 'denied'],
      ['dx01', 'complaints.raise_flag', 'ok'],
      ['dx01', 'complaints.raise_flag', 'failed'],
      ['dx01', 'complaints.link_visit', 'ok'],
      ['dx01', 'complaints.close', 'ok'],
      ['dx01', 'complaints.close', 'failed'],
    ]);
  });

  it('refuses a flag for a report-only category, a visit to another school, and out-of-remit steps', async () => {
    const c = await ok(bureau, { category: 'EXCESS_DURATION' });
    expect(c.allowedSteps).toEqual(['ASSIGN', 'LINK_VISIT', 'CLOSE']);
    expect((await step(bureau, RAISE, { id: c.id, d: 'x' })).code).toBe('BAD_USER_INPUT');
    const other = await fx.run(
      dx02,
      `mutation ($input: VisitInput!) { recordVisit(input: $input) { id } }`,
      {
        input: {
          schoolCode: '1000000002',
          date: '2025-10-14',
          kind: 'ROUTINE',
          checklist: [],
          findings: '例行',
        },
      },
    );
    const otherId = (other.data?.recordVisit as { id: string }).id;
    expect((await step(bureau, LINK, { id: c.id, v: otherId })).code).toBe('BAD_USER_INPUT');
    // Out of remit reads as missing.
    expect((await step(dx02, CLOSE, { id: c.id, f: 'x', s: false })).code).toBe('NOT_FOUND');
    expect((await step(leader, CLOSE, { id: c.id, f: 'x', s: false })).code).toBe('FORBIDDEN');
    const row = await sql<{ status: string; visit_id: number | null }>`SELECT status,
      visit_id FROM complaints`.execute(fx.warehouse.db);
    expect(row.rows).toEqual([{ status: 'RECEIVED', visit_id: null }]);
  });
});

describe('complaintCountsBySchool', () => {
  it('counts complaints per school and category in the months, of the schools given', async () => {
    await ok(bureau, { schoolCode: '1000000001' });
    await ok(bureau, { schoolCode: '1000000001', category: 'LATE_END' });
    await ok(bureau, { schoolCode: '1000000001', receivedOn: '2025-10-01' });
    await ok(bureau, { schoolCode: '1000000002', receivedOn: '2025-09-30' });
    await ok(bureau, { schoolCode: '1000000004', receivedOn: '2025-08-30' });
    const db = fx.warehouse.db;
    expect(await complaintCountsBySchool(db, '2025-10', '2025-10')).toEqual([
      { schoolCode: '1000000001', category: 'ILLEGAL_FEES', count: 2 },
      { schoolCode: '1000000001', category: 'LATE_END', count: 1 },
    ]);
    expect(await complaintCountsBySchool(db, '2025-09', '2025-10', ['1000000002'])).toEqual([
      { schoolCode: '1000000002', category: 'ILLEGAL_FEES', count: 1 },
    ]);
    expect(await complaintCountsBySchool(db, '2025-08', '2025-10', [])).toEqual([]);
  });
});

describe('the monthly report', () => {
  const REPORT = `{ monthlyReport(month: "2025-10") { findings { code severity text schools { code } } } }`;
  const complaintFinding = async (viewer: Viewer) => {
    const { data, errors } = await fx.run(viewer, REPORT);
    expect(errors).toBeUndefined();
    const findings = (data?.monthlyReport as { findings: { code: string }[] }).findings;
    return findings.find((f) => f.code === 'COMPLAINTS.RECEIVED') ?? null;
  };

  it('counts the month’s complaints by category for the schools in scope, with no complainant', async () => {
    expect(await complaintFinding(bureau)).toBeNull();
    await ok(bureau, { schoolCode: '1000000001' });
    await ok(bureau, { schoolCode: '1000000001', receivedOn: '2025-10-02' });
    await ok(bureau, { schoolCode: '1000000004', category: 'LATE_END' });
    await ok(bureau, { schoolCode: '1000000002', receivedOn: '2025-09-30' });
    const district = {
      code: 'COMPLAINTS.RECEIVED',
      severity: 'WARNING',
      text: '本月收到投诉举报3件，涉及2所学校，其中违规收费2件、结束时间过晚1件。',
      schools: [{ code: '1000000001' }, { code: '1000000004' }],
    };
    expect(await complaintFinding(bureau)).toEqual(district);
    expect(await complaintFinding(leader)).toEqual(district);
    // DX01 has only 1000000001 in 2025-10.
    expect(await complaintFinding(dx01)).toEqual({
      code: 'COMPLAINTS.RECEIVED',
      severity: 'WARNING',
      text: '本月收到投诉举报2件，涉及1所学校，其中违规收费2件。',
      schools: [{ code: '1000000001' }],
    });
    const { data } = await fx.run(leader, REPORT);
    expect(JSON.stringify(data)).not.toContain('陈女士');
  });
});
