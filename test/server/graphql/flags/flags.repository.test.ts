/**
 * The flag repository against the fixture warehouse: one statement per page with values
 * bound as parameters, the total past the last page, events by flag, and the school
 * page's cap.
 */
import { createQueryId, type CompiledQuery, type KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagView } from '../../../../server/graphql/flags/flag-row.ts';
import {
  ANY_FLAG,
  flagCounts,
  flagEvents,
  flagPage,
} from '../../../../server/graphql/flags/flags.repository.ts';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../../helpers/api-fixture.ts';

const NOW = new Date('2025-11-20T02:00:00Z');
let fx: ApiFixture;

beforeAll(async () => {
  fx = await openApiFixture({ now: NOW });
  await fx.writer.write(async ({ conn }) => {
    await conn.run('DELETE FROM flag_events');
    await conn.run('DELETE FROM flags');
    // 205 flags of 1000000004, one a minute from 2025-10-01 08:00 +08 (ids 1..205), and
    // one of 1000000001.
    await conn.run(`INSERT INTO flags (flag_id, school_code, month, code, rule, source, status,
        detail, raised_by, created_at)
      SELECT i, '1000000004', '2025-10', 'LATE_END', 'LATE_END.after_cap', 'report', 'OPEN',
        'd', 'system', TIMESTAMPTZ '2025-10-01 00:00:00+00' + to_minutes(i::BIGINT)
      FROM range(1, 206) t(i)`);
    await conn.run(`INSERT INTO flags (flag_id, school_code, month, code, rule, source, status,
        detail, raised_by, created_at)
      VALUES (300, '1000000001', '2025-09', 'ILLEGAL_FEES', 'ILLEGAL_FEES.per_period', 'report',
        'CLOSED', 'd', 'system', '2025-09-30T00:00:00Z')`);
    await conn.run(`INSERT INTO flag_events (event_id, flag_id, action, from_status, to_status,
        username, user_name) VALUES
      (3, 300, 'CLOSED', 'RECTIFIED', 'CLOSED', 'bureau', '区督导'),
      (2, 5, 'RAISED', NULL, 'OPEN', 'system', '系统'),
      (1, 300, 'RAISED', NULL, 'OPEN', 'system', '系统')`);
  });
});
afterAll(() => fx.close());

const bureau = () => flagView({ viewer: VIEWERS.bureau, now: () => NOW });

/** The fixture's read handle, recording every statement it compiles. */
function recording(): { db: ApiFixture['warehouse']['db']; statements: CompiledQuery[] } {
  const statements: CompiledQuery[] = [];
  const base = fx.warehouse.db;
  const plugin: KyselyPlugin = {
    transformQuery(args) {
      statements.push(base.getExecutor().compileQuery(args.node, createQueryId()));
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  return { db: base.withPlugin(plugin), statements };
}

describe('flagPage', () => {
  it('reads a page and its total in one statement, filter values bound', async () => {
    const { db, statements } = recording();
    const filter = { ...ANY_FLAG, codes: ['LATE_END'], scope: { township: '西山乡' } };
    const page = await flagPage(db, bureau(), filter, { limit: 2, offset: 0 });
    expect(page.total).toBe(205);
    expect(page.rows.map((r) => Number(r.flag_id))).toEqual([205, 204]);
    expect(statements).toHaveLength(1);
    const [statement] = statements;
    expect(statement?.sql).toMatch(/^WITH matched AS/u);
    expect(statement?.sql).toContain('(SELECT count(*) FROM matched)::INTEGER AS total');
    expect(statement?.sql).not.toContain('西山乡');
    expect(statement?.sql).not.toContain('LATE_END');
    expect(statement?.parameters).toEqual(expect.arrayContaining(['LATE_END', '西山乡', 2, 0]));
  });

  it('reports the total for a page past the end, and zero for no match', async () => {
    const past = await flagPage(fx.warehouse.db, bureau(), ANY_FLAG, { limit: 50, offset: 500 });
    expect(past).toEqual({ total: 206, rows: [] });
    const none = { ...ANY_FLAG, statuses: [] };
    expect(await flagPage(fx.warehouse.db, bureau(), none, { limit: 50, offset: 0 })).toEqual({
      total: 0,
      rows: [],
    });
  });

  it('maps the last partial page with every column', async () => {
    const page = await flagPage(fx.warehouse.db, bureau(), ANY_FLAG, { limit: 50, offset: 205 });
    expect(page.total).toBe(206);
    expect(page.rows).toHaveLength(1);
    expect(page.rows[0]).toMatchObject({
      school_code: '1000000001',
      school_name: '东城第一小学',
      township: '东城镇',
      status: 'CLOSED',
      acts_on_school: true,
      days_overdue: null,
    });
  });
});

describe('flagCounts', () => {
  it('counts only months within the bounds', async () => {
    const filter = { ...ANY_FLAG, from: '2025-09', to: '2025-09' };
    expect(await flagCounts(fx.warehouse.db, bureau(), filter)).toEqual([
      { month: '2025-09', code: 'ILLEGAL_FEES', status: 'CLOSED', count: 1 },
    ]);
    const both = { ...ANY_FLAG, from: '2025-09', to: '2025-10' };
    expect((await flagCounts(fx.warehouse.db, bureau(), both)).map((r) => r.count)).toEqual([
      1, 205,
    ]);
  });
});

describe('flagEvents', () => {
  it('returns the events of the given flags by flag, oldest first', async () => {
    const rows = await flagEvents(fx.warehouse.db, [300, 5, 7]);
    expect(rows.map((r) => [Number(r.flag_id), Number(r.event_id)])).toEqual([
      [5, 2],
      [300, 1],
      [300, 3],
    ]);
  });

  it('asks nothing for no flags', async () => {
    const { db, statements } = recording();
    expect(await flagEvents(db, [])).toEqual([]);
    expect(statements).toHaveLength(0);
  });
});

describe('SchoolDetail.flags', () => {
  it('shows the newest 200 of a school’s flags', async () => {
    const { data, errors } = await fx.run(
      VIEWERS.bureau,
      `{ school(code: "1000000004", month: "2025-10") { flags { id } } }`,
    );
    expect(errors).toBeUndefined();
    const ids = (data?.school as { flags: { id: string }[] }).flags.map((f) => Number(f.id));
    expect(ids).toHaveLength(200);
    expect(ids[0]).toBe(205);
    expect(ids.at(-1)).toBe(6);
  });
});
