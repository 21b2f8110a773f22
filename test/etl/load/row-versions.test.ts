/**
 * Lineage on the ETL side: a load that replaces a unit keeps the rows it deletes in
 * row_versions (whole, with their own file, sheet and row, and the batch replacing them),
 * and every loaded file's original is kept byte for byte in the originals store.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPaths } from '../../../etl/index.ts';
import { originalPath } from '../../../server/db/originals.ts';
import { query, useWarehouse } from '../../helpers/with-warehouse.ts';

const REGISTRY = fileURLToPath(new URL('../../fixtures/etl/学校名录.xlsx', import.meta.url));

const HEADER =
  '学校标识码,学校名称,填报月份,上学天数,开展天数,日均服务时长（分钟）,最晚结束时间,每日作业辅导课时,一二年级布置书面作业,收费标准（元/课时）,收费减免人数,减免对象仍收费人数,收费公示,参与教师数,教师课时补助（元/课时）,校外人员数,第三方机构数,其中未经审核机构数,最大班额,安全事故数,投诉数';
const row = (code: string, month: string, end: string, teachers: number) =>
  `${code},某小学,${month},21,20,120,${end},1,否,3.5,12,0,是,${teachers},50,2,1,0,45,0,1`;

const warehouse = useWarehouse();
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kehou-versions-'));
  await loadPaths(warehouse(), [REGISTRY], { user: 'test' });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, lines: string[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, [HEADER, ...lines].join('\n'));
  return path;
}

async function batchOf(path: string): Promise<number> {
  const summary = await loadPaths(warehouse(), [path], { user: 'clerk' });
  const file = summary.files.find((f) => f.kind === 'monthly')!;
  expect(file.error).toBeUndefined();
  return file.batchId!;
}

describe('a load replacing units', () => {
  it('keeps each replaced row as it was, with its provenance and the replacing batch', async () => {
    const first = await batchOf(
      await write('月报-9月.csv', [
        row('3101010001', '2024-09', '18:40', 10),
        row('3101010002', '2024-09', '17:30', 8),
      ]),
    );
    // The correction changes 3101010001 only; 3101010002's unit is replaced all the same.
    const second = await batchOf(
      await write('月报-9月-更正.csv', [
        row('3101010001', '2024-09', '18:00', 12),
        row('3101010002', '2024-09', '17:30', 8),
      ]),
    );
    // A third file for another month replaces nothing.
    await batchOf(await write('月报-10月.csv', [row('3101010001', '2024-10', '17:00', 9)]));

    const versions = await query(
      warehouse(),
      `SELECT table_name, school_code, month, batch_id, source_sheet, source_row, superseded_by,
         row_json->>'latest_end_time' AS end_time, (row_json->>'teachers_serving')::INTEGER AS teachers,
         (row_json->>'batch_id')::INTEGER AS json_batch, (row_json->>'source_row')::INTEGER AS json_row
       FROM row_versions ORDER BY school_code, month`,
    );
    // CSV rows: the header is row 1, so the schools sit on rows 2 and 3.
    expect(versions).toEqual([
      {
        table_name: 'monthly_reports',
        school_code: '3101010001',
        month: '2024-09',
        batch_id: first,
        source_sheet: versions[0]!.source_sheet,
        source_row: 2,
        superseded_by: second,
        end_time: '18:40',
        teachers: 10,
        json_batch: first,
        json_row: 2,
      },
      {
        table_name: 'monthly_reports',
        school_code: '3101010002',
        month: '2024-09',
        batch_id: first,
        source_sheet: versions[0]!.source_sheet,
        source_row: 3,
        superseded_by: second,
        end_time: '17:30',
        teachers: 8,
        json_batch: first,
        json_row: 3,
      },
    ]);
    // The current rows are the correction's.
    expect(
      await query(
        warehouse(),
        `SELECT school_code, month, teachers_serving, batch_id FROM monthly_reports ORDER BY school_code, month`,
      ),
    ).toEqual([
      { school_code: '3101010001', month: '2024-09', teachers_serving: 12, batch_id: second },
      {
        school_code: '3101010001',
        month: '2024-10',
        teachers_serving: 9,
        batch_id: expect.any(Number),
      },
      { school_code: '3101010002', month: '2024-09', teachers_serving: 8, batch_id: second },
    ]);
  });
});

describe('files loaded together in one run', () => {
  it('keep versions as if loaded in turn: each file holding a unit replaces the one before', async () => {
    const base = await batchOf(
      await write('月报-原始.csv', [row('3101010001', '2024-09', '18:40', 10)]),
    );
    const first = await write('月报-更正1.csv', [
      row('3101010001', '2024-09', '18:20', 11),
      row('3101010002', '2024-09', '17:30', 8),
    ]);
    const second = await write('月报-更正2.csv', [row('3101010001', '2024-09', '18:00', 12)]);
    // One transaction for both: the group's path, not a file-by-file fallback after an error.
    let commits = 0;
    const summary = await loadPaths(warehouse(), [first, second], {
      user: 'clerk',
      beforeCommit: () => {
        commits += 1;
      },
    });
    expect(commits).toBe(1);
    const batch = (path: string) => summary.files.find((f) => f.path === path)!.batchId!;
    expect(summary.files.map((f) => f.error)).toEqual([undefined, undefined]);

    expect(
      await query(
        warehouse(),
        `SELECT school_code, batch_id, source_row, superseded_by,
           (row_json->>'teachers_serving')::INTEGER AS teachers, row_json->>'latest_end_time' AS end_time,
           (row_json->>'batch_id')::INTEGER AS json_batch, (row_json->>'source_row')::INTEGER AS json_row
         FROM row_versions ORDER BY superseded_by`,
      ),
    ).toEqual([
      {
        school_code: '3101010001',
        batch_id: base,
        source_row: 2,
        superseded_by: batch(first),
        teachers: 10,
        end_time: '18:40',
        json_batch: base,
        json_row: 2,
      },
      {
        school_code: '3101010001',
        batch_id: batch(first),
        source_row: 2,
        superseded_by: batch(second),
        teachers: 11,
        end_time: '18:20',
        json_batch: batch(first),
        json_row: 2,
      },
    ]);
    expect(
      await query(
        warehouse(),
        `SELECT school_code, teachers_serving, batch_id FROM monthly_reports ORDER BY school_code`,
      ),
    ).toEqual([
      { school_code: '3101010001', teachers_serving: 12, batch_id: batch(second) },
      { school_code: '3101010002', teachers_serving: 8, batch_id: batch(first) },
    ]);
  });
});

describe('the originals of loaded files', () => {
  it('are kept byte-identical, once per content, with their size on every batch', async () => {
    const lines = [row('3101010001', '2024-09', '18:00', 10)];
    const path = await write('月报.csv', lines);
    const batch = await batchOf(path);
    const [loaded] = await query(
      warehouse(),
      `SELECT sha256, original_bytes FROM load_batches WHERE batch_id = ${batch}`,
    );
    const bytes = await readFile(path);
    expect(loaded!.original_bytes).toBe(bytes.length);
    const kept = await originalPath(warehouse(), String(loaded!.sha256));
    expect(kept).not.toBeNull();
    expect((await readFile(kept!)).equals(bytes)).toBe(true);

    // The same bytes under another name: recorded as unchanged, its batch shows the kept size.
    const again = await write('月报-再次上传.csv', lines);
    await loadPaths(warehouse(), [again], { user: 'test' });
    expect(
      await query(
        warehouse(),
        `SELECT status, original_bytes FROM load_batches WHERE sha256 = '${String(loaded!.sha256)}' ORDER BY batch_id`,
      ),
    ).toEqual([
      { status: 'loaded', original_bytes: bytes.length },
      { status: 'unchanged', original_bytes: bytes.length },
    ]);
  });

  it('are not kept on a dry run', async () => {
    const path = await write('月报.csv', [row('3101010001', '2024-09', '18:00', 10)]);
    await loadPaths(warehouse(), [path], { user: 'test', dryRun: true });
    expect(
      await query(warehouse(), `SELECT count(*) AS n FROM load_batches WHERE kind = 'monthly'`),
    ).toEqual([{ n: 0 }]);
    const sha = createHash('sha256')
      .update(await readFile(path))
      .digest('hex');
    expect(await originalPath(warehouse(), sha)).toBeNull();
  });
});
