/**
 * Loading the same bytes again changes nothing and answers "unchanged", even when the file
 * had rejects, as long as nothing its rejects were judged against changed since: a
 * registry or assignments file loaded after it (before it in the same run) or a new policy
 * makes it load again, so units rejected for an unknown school can load now.
 */
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPaths, type FileResult } from '../../../etl/index.ts';
import { defaultPolicyFile, storePolicyFileOn } from '../../../server/policy/policy-store.ts';
import { query, useWarehouse } from '../../helpers/with-warehouse.ts';

const fixture = (name: string) =>
  fileURLToPath(new URL(`../../fixtures/etl/${name}`, import.meta.url));
const REGISTRY = fixture('学校名录.xlsx');
// Adds 3101010005 (鹿鸣镇塘坳小学) to the registry.
const REGISTRY_MORE = fixture('学校名录-补充.csv');

const HEADER =
  '学校标识码,学校名称,填报月份,上学天数,开展天数,日均服务时长（分钟）,最晚结束时间,每日作业辅导课时,一二年级布置书面作业,收费标准（元/课时）,收费减免人数,减免对象仍收费人数,收费公示,参与教师数,教师课时补助（元/课时）,校外人员数,第三方机构数,其中未经审核机构数,最大班额,安全事故数,投诉数';
// 10 teachers serving: within both schools' registered teachers.
const row = (code: string) =>
  `${code},某小学,2024-09,21,20,120,18:00,1,否,3.5,12,0,是,10,50,2,1,0,45,0,1`;

const warehouse = useWarehouse();
let dir: string;
let monthly: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kehou-unchanged-'));
  monthly = join(dir, '月报.csv');
  // Row 3's school is not in the first registry: one unit rejected, one loaded.
  await writeFile(monthly, [HEADER, row('3101010001'), row('3101010005')].join('\n') + '\n');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function load(...paths: string[]): Promise<FileResult[]> {
  return (await loadPaths(warehouse(), paths, { user: 'test' })).files;
}
const monthlyOf = (files: readonly FileResult[]) => files.find((f) => f.path === monthly)!;
const figures = (f: FileResult) => [f.unchanged, f.rowsLoaded, f.rowsRejected, f.rejects.length];
const reports = () =>
  query(warehouse(), `SELECT school_code, batch_id FROM monthly_reports ORDER BY school_code`);

describe('loading a file with rejects again', () => {
  it('answers unchanged and writes no data while nothing it depends on changed', async () => {
    await load(REGISTRY);
    expect(figures(monthlyOf(await load(monthly)))).toEqual([false, 1, 1, 1]);
    const before = await reports();
    expect(figures(monthlyOf(await load(monthly)))).toEqual([true, 0, 0, 0]);
    expect(await reports()).toEqual(before);
    expect(
      await query(
        warehouse(),
        `SELECT status, rows_loaded FROM load_batches WHERE kind = 'monthly' ORDER BY batch_id`,
      ),
    ).toEqual([
      { status: 'loaded', rows_loaded: 1 },
      { status: 'unchanged', rows_loaded: 0 },
    ]);
  });

  it('loads again after a registry loaded since, and the rejected unit loads now', async () => {
    await load(REGISTRY);
    await load(monthly);
    await load(REGISTRY_MORE);
    expect(figures(monthlyOf(await load(monthly)))).toEqual([false, 2, 0, 0]);
    expect((await reports()).map((r) => r.school_code)).toEqual(['3101010001', '3101010005']);
  });

  it('loads again when a registry comes before it in the same run', async () => {
    await load(REGISTRY);
    await load(monthly);
    expect(figures(monthlyOf(await load(REGISTRY_MORE, monthly)))).toEqual([false, 2, 0, 0]);
  });

  it('stays unchanged when only a registry after it in the run is new', async () => {
    await load(REGISTRY);
    await load(monthly);
    // Given in this order, the monthly file is judged before the new registry, as before.
    expect(figures(monthlyOf(await load(monthly, REGISTRY_MORE)))).toEqual([true, 0, 0, 0]);
  });

  it('loads again after a new policy was stored', async () => {
    await load(REGISTRY);
    await load(monthly);
    const conn = await warehouse().connect();
    try {
      const { stored } = await storePolicyFileOn(conn, {
        text: `${defaultPolicyFile().text}\n# 修订\n`,
        fileName: 'policy-revised.yaml',
        loadedBy: 'test',
      });
      expect(stored).toBe(true);
    } finally {
      conn.closeSync();
    }
    expect(figures(monthlyOf(await load(monthly)))).toEqual([false, 1, 1, 1]);
  });

  it('stays unchanged when the file had no rejects, whatever was loaded since', async () => {
    await writeFile(monthly, [HEADER, row('3101010001')].join('\n') + '\n');
    await load(REGISTRY);
    await load(monthly);
    await load(REGISTRY_MORE);
    expect(figures(monthlyOf(await load(monthly)))).toEqual([true, 0, 0, 0]);
  });
});
