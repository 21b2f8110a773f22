/**
 * A 学校填报员 in the rectification loop (issue 17): it sees its own school's flags, takes
 * exactly RECORD_RECTIFICATION on its own RECTIFYING flags and nothing else; another
 * school's flag reads as missing; a complaint's flag does not tell it who raised it from
 * which complaint. A 学区审核员 reads its township's flags and takes no step.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Viewer } from '../../../../server/auth/viewer.ts';
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
    await sql`DELETE FROM flag_events; DELETE FROM flags; DELETE FROM audit_log;`.execute(db);
  });
});

const seed = (school: string, status: FlagStatus): Promise<string> =>
  seedLateEndFlag(fx.writer, {
    school,
    month: '2025-09',
    status,
    createdAt: '2025-10-10T02:00:00Z',
  });

const LIST = `query ($status: FlagStatus) { flags(status: $status) { total items {
  id schoolCode status allowedSteps } } }`;

const RECORD = `mutation ($id: ID!) { recordRectification(flagId: $id,
  report: "已调整作息，17:30 前结束", note: "附照片") { id status rectificationReport allowedSteps } }`;

async function run(viewer: Viewer, query: string, vars: Record<string, unknown> = {}) {
  const { data, errors } = await fx.run(viewer, query, vars);
  return { data, code: errors?.[0]?.extensions?.code, message: errors?.[0]?.message };
}

async function events(flagId: string) {
  const result = await sql<{ action: string; username: string; note: string | null }>`
    SELECT action, username, note FROM flag_events WHERE flag_id = ${Number(flagId)}
    ORDER BY event_id`.execute(fx.warehouse.db);
  return result.rows;
}

async function auditRows() {
  const result = await sql<{ action: string; username: string; outcome: string; detail: string }>`
    SELECT action, username, outcome, detail FROM audit_log ORDER BY audit_id`.execute(
    fx.warehouse.db,
  );
  return result.rows;
}

describe('a school reporter in the rectification loop', () => {
  it('lists its own school only, with RECORD_RECTIFICATION offered on RECTIFYING flags alone', async () => {
    const mine = await seed('1000000002', 'RECTIFYING');
    const open = await seed('1000000002', 'OPEN');
    await seed('1000000003', 'RECTIFYING');
    await seed('1000000001', 'RECTIFYING');
    const { data } = await run(VIEWERS.school, LIST);
    const flags = (data as { flags: { total: number; items: Record<string, unknown>[] } }).flags;
    expect(flags.total).toBe(2);
    expect(new Map(flags.items.map((f) => [f.id, f.allowedSteps]))).toEqual(
      new Map([
        [mine, ['RECORD_RECTIFICATION']],
        [open, []],
      ]),
    );
    expect(flags.items.every((f) => f.schoolCode === '1000000002')).toBe(true);
  });

  it('records its rectification on its own flag: RECTIFIED, one history row and one audit row', async () => {
    const id = await seed('1000000002', 'RECTIFYING');
    const { data, message } = await run(VIEWERS.school, RECORD, { id });
    expect(message).toBeUndefined();
    expect(data).toEqual({
      recordRectification: {
        id,
        status: 'RECTIFIED',
        rectificationReport: '已调整作息，17:30 前结束',
        allowedSteps: [],
      },
    });
    expect(await events(id)).toEqual([
      { action: 'RECTIFIED', username: 'school02', note: '已调整作息，17:30 前结束\n备注：附照片' },
    ]);
    expect(await auditRows()).toEqual([
      {
        action: 'flags.record_rectification',
        username: 'school02',
        outcome: 'ok',
        detail: 'RECTIFYING→RECTIFIED',
      },
    ]);
  });

  it("finds another school's flag missing, and changes nothing", async () => {
    const theirs = await seed('1000000003', 'RECTIFYING');
    const { data, code, message } = await run(VIEWERS.school, RECORD, { id: theirs });
    expect(data).toBeNull();
    expect([code, message]).toEqual(['NOT_FOUND', '违规预警不存在 / flag not found']);
    expect(await events(theirs)).toEqual([]);
    const flag = await run(VIEWERS.school, `query ($id: ID!) { flag(id: $id) { id } }`, {
      id: theirs,
    });
    expect(flag.data).toEqual({ flag: null });
  });

  it('may not request, close or dismiss, even on its own school', async () => {
    const open = await seed('1000000002', 'OPEN');
    const rectified = await seed('1000000002', 'RECTIFIED');
    const refused =
      "学校填报员只能登记本校的整改结果 / a school reporter may only record its own school's rectification";
    const attempts = [
      `mutation { requestRectification(flagId: "${open}", deadline: "2025-10-31", request: "整改") { id } }`,
      `mutation { closeFlag(flagId: "${rectified}", note: "已核实") { id } }`,
      `mutation { dismissFlag(flagId: "${open}", reason: "误报") { id } }`,
      `mutation { requestRectifications(flagIds: ["${open}"], deadline: "2025-10-31", request: "整改") { requested { id } } }`,
    ];
    for (const query of attempts) {
      const { code, message } = await run(VIEWERS.school, query);
      expect([code, message]).toEqual(['FORBIDDEN', refused]);
    }
    const statuses = await sql<{
      status: string;
    }>`SELECT status FROM flags ORDER BY flag_id`.execute(fx.warehouse.db);
    expect(statuses.rows.map((r) => r.status)).toEqual(['OPEN', 'RECTIFIED']);
    expect((await auditRows()).map((r) => [r.action, r.outcome, r.detail])).toEqual([
      ['flags.request_rectification', 'denied', 'role'],
      ['flags.close', 'denied', 'role'],
      ['flags.dismiss', 'denied', 'role'],
      ['flags.request_rectification', 'denied', 'bulk:1'],
    ]);
  });

  it("reads a complaint's flag as raised by the bureau, its raising step without person or complaint", async () => {
    const id = await seed('1000000002', 'RECTIFYING');
    await fx.writer.write(async ({ db }) => {
      await sql`UPDATE flags SET rule = 'LATE_END.complaint', raised_by = 'dx01', source = 'inspection'
        WHERE flag_id = ${Number(id)}`.execute(db);
      await sql`INSERT INTO flag_events (flag_id, action, from_status, to_status, user_id, username,
          user_name, occurred_at, note, deadline, batch_id, visit_id)
        VALUES (${Number(id)}, 'RAISED', NULL, 'OPEN', 3, 'dx01', '张督学',
          CAST('2025-10-10T02:00:00Z' AS TIMESTAMPTZ), '投诉举报 #7', NULL, NULL, NULL)`.execute(
        db,
      );
    });
    const query = `query ($id: ID!) { flag(id: $id) { raisedBy history { action userName username note } } }`;
    const school = await run(VIEWERS.school, query, { id });
    expect(school.data).toEqual({
      flag: {
        raisedBy: '教育局',
        history: [{ action: 'RAISED', userName: '教育局', username: '', note: null }],
      },
    });
    const bureau = await run(VIEWERS.bureau, query, { id });
    expect(bureau.data).toEqual({
      flag: {
        raisedBy: 'dx01',
        history: [{ action: 'RAISED', userName: '张督学', username: 'dx01', note: '投诉举报 #7' }],
      },
    });
  });
});

describe('a township reviewer and flags', () => {
  it("reads its township's flags and takes no step", async () => {
    const dongcheng = await seed('1000000001', 'RECTIFYING');
    await seed('1000000003', 'RECTIFYING');
    const { data } = await run(VIEWERS.township, LIST);
    expect(data).toEqual({
      flags: {
        total: 1,
        items: [
          { id: dongcheng, schoolCode: '1000000001', status: 'RECTIFYING', allowedSteps: [] },
        ],
      },
    });
    const { code, message } = await run(VIEWERS.township, RECORD, { id: dongcheng });
    expect([code, message]).toEqual([
      'FORBIDDEN',
      '学区审核员只能查看违规预警，不能处理 / a township reviewer may read flags but not act on them',
    ]);
  });
});
