import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../../helpers/api-fixture.ts';

const QUERY = `query ($month: String!) { overview(month: $month) { openFlags overdueFlags } }`;

describe('Overview.overdueFlags', () => {
  let fx: ApiFixture;
  beforeAll(async () => {
    fx = await openApiFixture({ now: new Date('2025-11-10T04:00:00Z') });
    await fx.writer.write(async ({ conn }) => {
      await conn.run('DELETE FROM flag_events');
      await conn.run('DELETE FROM flags');
      const flag = (school: string, month: string, status: string, deadline: string | null) =>
        conn.run(
          `INSERT INTO flags (school_code, month, code, rule, source, status, detail, raised_by, rectify_deadline)
           VALUES ($1, $2, 'LATE_END', 'LATE_END.after_cap', 'report', $3, 'd', 'system', $4::DATE)`,
          [school, month, status, deadline],
        );
      await flag('1000000001', '2025-09', 'RECTIFYING', '2025-11-09'); // overdue by a day
      await flag('1000000002', '2025-09', 'RECTIFYING', '2025-11-10'); // due today: not overdue
      await flag('1000000003', '2025-10', 'RECTIFYING', '2025-10-31'); // overdue, later month
      await flag('1000000004', '2025-09', 'OPEN', null);
      await flag('1000000001', '2025-09', 'CLOSED', '2025-10-01'); // finished: never overdue
    });
  });
  afterAll(() => fx.close());

  it('counts rectifications past their deadline among the open flags, as of now in every month', async () => {
    // Open: the three RECTIFYING and the OPEN one; overdue: 1000000001's and 1000000003's.
    const sept = await fx.run(VIEWERS.bureau, QUERY, { month: '2025-09' });
    expect(sept.errors).toBeUndefined();
    expect(sept.data?.overview).toEqual({ openFlags: 4, overdueFlags: 2 });
    const oct = await fx.run(VIEWERS.bureau, QUERY, { month: '2025-10' });
    expect(oct.data?.overview).toEqual({ openFlags: 4, overdueFlags: 2 });
  });

  it('judges the deadline by the clock: the day after, the due-today flag is overdue', async () => {
    fx.setNow(new Date('2025-11-11T00:30:00+08:00'));
    const sept = await fx.run(VIEWERS.bureau, QUERY, { month: '2025-09' });
    expect(sept.data?.overview).toEqual({ openFlags: 4, overdueFlags: 3 });
  });

  it('counts only the schools in a supervising inspector’s remit', async () => {
    fx.setNow(new Date('2025-11-10T04:00:00Z'));
    // DX01 has 1000000001, and 1000000003 until it moves to DX02 in 2025-10.
    const sept = await fx.run(VIEWERS.dx01, QUERY, { month: '2025-09' });
    expect(sept.data?.overview).toEqual({ openFlags: 1, overdueFlags: 1 });
    const oct = await fx.run(VIEWERS.dx02, QUERY, { month: '2025-10' });
    expect(oct.data?.overview).toEqual({ openFlags: 3, overdueFlags: 1 });
  });
});
