/**
 * An older file must not silently undo a correction: a file loaded before whose units a
 * newer file replaced since is refused (naming the newer file and when it was loaded)
 * unless forced; every load lists the units it writes and the flags it opens and closes.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exitCode, loadPaths, type FileResult } from '../../../etl/index.ts';
import { query, useWarehouse } from '../../helpers/with-warehouse.ts';

const REGISTRY = fileURLToPath(new URL('../../fixtures/etl/学校名录.xlsx', import.meta.url));

const HEADER =
  '学校标识码,学校名称,填报月份,上学天数,开展天数,日均服务时长（分钟）,最晚结束时间,每日作业辅导课时,一二年级布置书面作业,收费标准（元/课时）,收费减免人数,减免对象仍收费人数,收费公示,参与教师数,教师课时补助（元/课时）,校外人员数,第三方机构数,其中未经审核机构数,最大班额,安全事故数,投诉数';
// Two primary schools (cap 18:00); only the end time differs between the versions.
const row = (code: string, end: string) =>
  `${code},某小学,2024-09,21,20,120,${end},1,否,3.5,12,0,是,10,50,2,1,0,45,0,1`;

const warehouse = useWarehouse();
let dir: string;
let original: string;
let corrected: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kehou-stale-'));
  original = join(dir, '月报-原始.csv');
  corrected = join(dir, '月报-更正.csv');
  // The original reports 3101010001 ending 18:40 (LATE_END); the correction fixes it to 18:00
  // and leaves 3101010002 as it was.
  await writeFile(
    original,
    [HEADER, row('3101010001', '18:40'), row('3101010002', '17:30')].join('\n'),
  );
  await writeFile(
    corrected,
    [HEADER, row('3101010001', '18:00'), row('3101010002', '17:30')].join('\n'),
  );
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function load(path: string, force = false): Promise<{ file: FileResult; exit: number }> {
  const summary = await loadPaths(warehouse(), [path], { user: 'test', force });
  return { file: summary.files.find((f) => f.kind === 'monthly')!, exit: exitCode(summary) };
}
const endTimes = () =>
  query(
    warehouse(),
    `SELECT school_code, latest_end_time FROM monthly_reports ORDER BY school_code`,
  );
const lateEnd = () =>
  query(
    warehouse(),
    `SELECT school_code, status FROM flags WHERE code = 'LATE_END' ORDER BY flag_id`,
  );

describe('an older file after its correction', () => {
  beforeEach(async () => {
    await loadPaths(warehouse(), [REGISTRY], { user: 'test' });
  });

  it('is refused, naming the newer file and its load time, and changes nothing', async () => {
    const first = await load(original);
    // The rows raise other flags too (the same for both versions): LATE_END is the one that moves.
    const opened = first.file.changes!.flags;
    expect(first.file.changes).toMatchObject({ unitsNew: 2, unitsReplaced: 0, flagsClosed: 0 });
    expect(first.file.changes!.flagsOpened).toBe(opened.length);
    expect(opened.filter((f) => f.code === 'LATE_END')).toMatchObject([
      { schoolCode: '3101010001', month: '2024-09', code: 'LATE_END', change: 'opened' },
    ]);

    const fix = await load(corrected);
    expect(fix.file.error).toBeUndefined();
    expect(fix.file.changes).toMatchObject({
      unitsNew: 0,
      unitsReplaced: 2,
      flagsOpened: 0,
      flagsClosed: 1,
    });
    expect(fix.file.changes!.units[0]).toMatchObject({
      schoolCode: '3101010001',
      month: '2024-09',
      previousFile: '月报-原始.csv',
    });
    expect(await lateEnd()).toEqual([{ school_code: '3101010001', status: 'CLOSED' }]);

    const [{ loaded_at: loadedAt }] = (await query(
      warehouse(),
      `SELECT strftime(timezone('Asia/Shanghai', loaded_at), '%Y-%m-%d %H:%M') AS loaded_at
       FROM load_batches WHERE file_name = '月报-更正.csv'`,
    )) as [{ loaded_at: string }];
    const again = await load(original);
    expect(again.exit).toBe(1);
    expect(again.file.unitsLoaded).toBe(0);
    expect(again.file.batchId).toBeUndefined();
    expect(again.file.conflict).toEqual({
      units: 2,
      newer: [{ fileName: '月报-更正.csv', batchId: fix.file.batchId, loadedAt, units: 2 }],
      sample: [
        { schoolCode: '3101010001', month: '2024-09', newerFile: '月报-更正.csv' },
        { schoolCode: '3101010002', month: '2024-09', newerFile: '月报-更正.csv' },
      ],
    });
    expect(again.file.error).toContain(`较新的文件“月报-更正.csv”（${loadedAt} 导入）`);
    expect(again.file.error).toContain(
      `newer file "月报-更正.csv" (loaded ${loadedAt} Asia/Shanghai)`,
    );
    expect(await endTimes()).toEqual([
      { school_code: '3101010001', latest_end_time: '18:00' },
      { school_code: '3101010002', latest_end_time: '17:30' },
    ]);
    expect(await lateEnd()).toEqual([{ school_code: '3101010001', status: 'CLOSED' }]);
  });

  it('loads when forced and lists the units and flags it changes', async () => {
    await load(original);
    await load(corrected);
    const forced = await load(original, true);
    expect(forced.exit).toBe(0);
    expect(forced.file.conflict).toBeUndefined();
    expect(forced.file.changes).toMatchObject({
      unitsNew: 0,
      unitsReplaced: 2,
      flagsOpened: 1,
      flagsClosed: 0,
      flags: [{ schoolCode: '3101010001', month: '2024-09', code: 'LATE_END', change: 'opened' }],
    });
    expect(forced.file.changes!.units.map((u) => u.previousFile)).toEqual([
      '月报-更正.csv',
      '月报-更正.csv',
    ]);
    expect(await lateEnd()).toEqual([{ school_code: '3101010001', status: 'OPEN' }]);

    // The correction is still the newer content: it loads again without a prompt.
    const fixAgain = await load(corrected);
    expect(fixAgain.file.error).toBeUndefined();
    expect(fixAgain.file.changes).toMatchObject({ unitsReplaced: 2, flagsClosed: 1 });
    expect(await lateEnd()).toEqual([{ school_code: '3101010001', status: 'CLOSED' }]);
  });

  it('an identical reload still answers unchanged, and a first correction needs no confirmation', async () => {
    await load(original);
    expect((await load(original)).file.unchanged).toBe(true);
    const fix = await load(corrected);
    expect([fix.file.error, fix.file.unitsLoaded]).toEqual([undefined, 2]);
    expect((await load(corrected)).file.unchanged).toBe(true);
  });
});
