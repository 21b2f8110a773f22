/**
 * The review of school-months in the loader (issue 17): an approved (locked) unit's rows
 * are refused with their position and a LOCKED_LOAD_REFUSED event while the file's other
 * units load; a load puts a submitted or returned unit back to draft; after an unlock the
 * same file loads; a school's own upload (onlySchool) rejects only other schools' rows.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPaths, type FileResult } from '../../../etl/index.ts';
import { query, useWarehouse } from '../../helpers/with-warehouse.ts';

const REGISTRY = fileURLToPath(new URL('../../fixtures/etl/学校名录.xlsx', import.meta.url));

const HEADER =
  '学校标识码,学校名称,填报月份,上学天数,开展天数,日均服务时长（分钟）,最晚结束时间,每日作业辅导课时,一二年级布置书面作业,收费标准（元/课时）,收费减免人数,减免对象仍收费人数,收费公示,参与教师数,教师课时补助（元/课时）,校外人员数,第三方机构数,其中未经审核机构数,最大班额,安全事故数,投诉数';
const row = (code: string, end: string) =>
  `${code},某小学,2024-09,21,20,120,${end},1,否,3.5,12,0,是,10,50,2,1,0,45,0,1`;

const warehouse = useWarehouse();
let dir: string;
let original: string;
let corrected: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kehou-lock-'));
  original = join(dir, '月报-原始.csv');
  corrected = join(dir, '月报-更正.csv');
  await writeFile(
    original,
    [HEADER, row('3101010001', '18:40'), row('3101010002', '17:30')].join('\n'),
  );
  await writeFile(
    corrected,
    [HEADER, row('3101010001', '18:00'), row('3101010002', '17:20')].join('\n'),
  );
  await loadPaths(warehouse(), [REGISTRY], { user: 'test' });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function load(path: string, onlySchool?: string): Promise<FileResult> {
  const summary = await loadPaths(warehouse(), [path], {
    user: 'school01',
    ...(onlySchool ? { onlySchool } : {}),
  });
  return summary.files.find((f) => f.kind === 'monthly')!;
}
const endTimes = () =>
  query(
    warehouse(),
    `SELECT school_code, latest_end_time FROM monthly_reports ORDER BY school_code`,
  );
const reviews = () =>
  query(warehouse(), `SELECT school_code, status FROM unit_reviews ORDER BY school_code`);
const run = (sql: string) => query(warehouse(), sql).then(() => undefined);

describe('a unit approved in review', () => {
  beforeEach(async () => {
    await load(original);
    await run(`INSERT INTO unit_reviews (school_code, month, status) VALUES
      ('3101010001', '2024-09', 'APPROVED'), ('3101010002', '2024-09', 'SUBMITTED')`);
  });

  it('is refused with its position and logged; the other unit loads and goes back to draft', async () => {
    const file = await load(corrected);
    expect(file.error).toBeUndefined();
    expect(file.unitsLoaded).toBe(1);
    expect(file.unitsRejected).toBe(1);
    expect(file.rejects).toEqual([
      {
        sheet: expect.any(String) as string,
        row: 2,
        column: '填报月份',
        value: '2024-09',
        reason: '该校该月数据已审核锁定，须先解锁 / locked after review; unlock first',
        reasonZh: '该校该月数据已审核锁定，须先解锁',
        reasonEn: 'locked after review; unlock first',
        code: 'LOCKED',
        schoolCode: '3101010001',
        schoolName: expect.any(String) as string,
      },
    ]);
    // The locked unit keeps its approved figures; the submitted one takes the new file's.
    expect(await endTimes()).toEqual([
      { school_code: '3101010001', latest_end_time: '18:40' },
      { school_code: '3101010002', latest_end_time: '17:20' },
    ]);
    expect(await reviews()).toEqual([
      { school_code: '3101010001', status: 'APPROVED' },
      { school_code: '3101010002', status: 'DRAFT' },
    ]);
    expect(
      await query(
        warehouse(),
        `SELECT school_code, month, action, from_status, to_status, note, batch_id, username
        FROM unit_review_events`,
      ),
    ).toEqual([
      {
        school_code: '3101010001',
        month: '2024-09',
        action: 'LOCKED_LOAD_REFUSED',
        from_status: 'APPROVED',
        to_status: 'APPROVED',
        note: '月报-更正.csv',
        batch_id: String(file.batchId),
        username: 'school01',
      },
    ]);
  });

  it('loads from the same file once unlocked', async () => {
    await load(corrected);
    await run(`UPDATE unit_reviews SET status = 'RETURNED' WHERE school_code = '3101010001';
      INSERT INTO unit_review_events (school_code, month, action, from_status, to_status, note)
      VALUES ('3101010001', '2024-09', 'UNLOCK', 'APPROVED', 'RETURNED', '更正')`);
    const again = await load(corrected);
    expect(again.unchanged).toBe(false);
    expect(again.rejects).toEqual([]);
    expect(await endTimes()).toEqual([
      { school_code: '3101010001', latest_end_time: '18:00' },
      { school_code: '3101010002', latest_end_time: '17:20' },
    ]);
    expect(await reviews()).toEqual([
      { school_code: '3101010001', status: 'DRAFT' },
      { school_code: '3101010002', status: 'DRAFT' },
    ]);
  });
});

describe("a school's own upload (onlySchool)", () => {
  it("rejects only another school's rows, naming the school, and loads the rest", async () => {
    const file = await load(original, '3101010002');
    expect(file.unitsLoaded).toBe(1);
    expect(file.rejects.map((r) => [r.row, r.column, r.value, r.code, r.reason])).toEqual([
      [
        2,
        '学校标识码',
        '3101010001',
        'OTHER_SCHOOL',
        "文件中含其他学校的数据（学校标识码 3101010001），已拒绝该行 / the file holds another school's rows (school 3101010001); rejected",
      ],
    ]);
    expect(await endTimes()).toEqual([{ school_code: '3101010002', latest_end_time: '17:30' }]);
  });
});
