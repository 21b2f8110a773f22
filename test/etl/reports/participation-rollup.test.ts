/**
 * participation_monthly stays equal to the sums of participation through loads,
 * replacements and rejected units, because the ETL rewrites it in the same transaction.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROLLUP_SELECT } from '../../../server/db/migrations/0003_participation_monthly.ts';
import { loadPaths } from '../../../etl/index.ts';
import { API_FIXTURES } from '../../helpers/api-fixture.ts';
import { query, useWarehouse } from '../../helpers/with-warehouse.ts';

const HEADER =
  '学校标识码,填报月份,年级,在校生数,申请人数,参加人数,留守儿童数,留守儿童参加数,随迁子女数,随迁子女参加数,残疾儿童数,残疾儿童参加数,困难家庭学生数,困难家庭学生参加数';

const warehouse = useWarehouse();
let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kehou-rollup-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function drift(): Promise<number> {
  const rows = await query(
    warehouse(),
    `SELECT count(*) AS n FROM (
       (SELECT * FROM participation_monthly EXCEPT ALL (${ROLLUP_SELECT} GROUP BY school_code, month))
       UNION ALL
       ((${ROLLUP_SELECT} GROUP BY school_code, month) EXCEPT ALL SELECT * FROM participation_monthly))`,
  );
  return rows[0]?.n as number;
}

async function school1October() {
  return query(
    warehouse(),
    `SELECT grades, enrolled, participants, five_day_participants, five_day_base
     FROM participation_monthly WHERE school_code = '1000000001' AND month = '2025-10'`,
  );
}

describe('participation_monthly', () => {
  it('sums each school-month as loaded, replaced and kept after a rejected unit', async () => {
    await loadPaths(warehouse(), [API_FIXTURES], { user: 'test' });
    expect(await drift()).toBe(0);
    expect(await school1October()).toEqual([
      {
        grades: 2,
        enrolled: 200,
        participants: 168,
        five_day_participants: 130,
        five_day_base: 168,
      },
    ]);
    // A corrected report for 2025-10 without the five-day column, one grade only.
    const fixed = join(dir, '更正.csv');
    writeFileSync(fixed, `${HEADER}\n1000000001,2025-10,1,100,80,79,10,6,20,15,2,1,5,5\n`);
    await loadPaths(warehouse(), [fixed], { user: 'test' });
    expect(await drift()).toBe(0);
    expect(await school1October()).toEqual([
      {
        grades: 1,
        enrolled: 100,
        participants: 79,
        five_day_participants: null,
        five_day_base: null,
      },
    ]);
    // participants > enrolled: the unit is rejected and the corrected version stays.
    const bad = join(dir, '错误.csv');
    writeFileSync(bad, `${HEADER}\n1000000001,2025-10,1,100,80,101,10,6,20,15,2,1,5,5\n`);
    const summary = await loadPaths(warehouse(), [bad], { user: 'test' });
    expect(summary.files[0]?.unitsRejected).toBe(1);
    expect(await drift()).toBe(0);
    expect((await school1October())[0]?.participants).toBe(79);
  });
});
