/**
 * Workbooks through loadPaths with the streaming reader: a workbook over a limit or one
 * that exhausts the reader's memory is one file's error, loads nothing and leaves the
 * warehouse as it was, and the loader goes on working; rows below the preview may be wider
 * than it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCode, loadPaths, type FileResult } from '../../../etl/index.ts';
import { query, snapshot, useWarehouse } from '../../helpers/with-warehouse.ts';
import { REGISTRY_HEADERS } from '../../../etl/demo/contract-headers.ts';
import { workbookParts, writeZip } from '../read/zip-builder.ts';

const REGISTRY = fileURLToPath(new URL('../../fixtures/etl/学校名录.xlsx', import.meta.url));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'load-file-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const warehouse = useWarehouse();

/** A registry workbook of `schools` rows under a title and the header (exceljs' streaming writer). */
async function registryWorkbook(
  name: string,
  schools: number,
  row: (i: number) => (string | number)[] = (i) => [
    String(3102000000 + i),
    `第${i}小学`,
    '城关镇',
    '小学',
    '城区',
    '公办',
    '否',
    40,
  ],
): Promise<string> {
  const path = join(dir, name);
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true });
  const ws = wb.addWorksheet('学校名录');
  ws.addRow(REGISTRY_HEADERS).commit();
  for (let i = 0; i < schools; i++) ws.addRow(row(i)).commit();
  ws.commit();
  await wb.commit();
  return path;
}

async function withEnv<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.keys(env).map((k) => [k, process.env[k]] as const);
  Object.assign(process.env, env);
  try {
    return await fn();
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const only = (files: FileResult[]): FileResult => {
  expect(files).toHaveLength(1);
  return files[0]!;
};

describe('loadPaths: workbooks beyond the reader’s limits', () => {
  it('refuses a workbook one row over the row limit: nothing loaded, the warehouse unchanged', async () => {
    const w = warehouse();
    await loadPaths(w, [REGISTRY], { user: 'test' });
    const before = await snapshot(w);
    // The header and 5,000 schools: 5,001 rows against a limit of 5,000.
    const big = await registryWorkbook('over-limit.xlsx', 5_000);
    const summary = await withEnv({ KEHOU_XLSX_MAX_ROWS: '5000' }, () =>
      loadPaths(w, [big], { user: 'test' }),
    );
    const r = only(summary.files);
    expect(r.error).toBe(
      '工作簿过大：超过 5,000 行的上限，请拆分文件，或在Excel中另存为CSV后载入 / ' +
        'workbook too large: more than 5,000 rows; split the file, or save it as CSV in Excel and load that',
    );
    expect([r.kind, r.rowsRead, r.rowsLoaded, r.batchId]).toEqual([null, 0, 0, undefined]);
    expect(exitCode(summary)).toBe(1);
    expect(await snapshot(w)).toEqual(before);
    // Within the limit the same file loads.
    const loaded = only(
      await withEnv({ KEHOU_XLSX_MAX_ROWS: '5001' }, () =>
        loadPaths(w, [big], { user: 'test' }),
      ).then((s) => s.files),
    );
    expect([loaded.error, loaded.rowsLoaded]).toEqual([undefined, 5_000]);
  });

  it('reports a reader that ran out of memory for that file, and the next load works', async () => {
    const w = warehouse();
    const hungry = join(dir, 'hungry.xlsx');
    await writeZip(
      hungry,
      workbookParts(
        [{ name: 'S', body: '<sheetData/>' }],
        Array.from(
          { length: 600_000 },
          (_, i) => `课后服务参与情况统计表课后服务参与情况统计表${i}`,
        ),
      ),
    );
    const summary = await withEnv({ KEHOU_XLSX_WORKER_HEAP_MB: '32' }, () =>
      loadPaths(w, [hungry], { user: 'test' }),
    );
    const r = only(summary.files);
    expect(r.error).toMatch(
      /^工作簿过大：读取所需内存超过 32 MB 的上限，已中止.* \/ workbook too large: reading it needs more than 32 MB of memory; stopped/,
    );
    expect(exitCode(summary)).toBe(1);
    const next = only((await loadPaths(w, [REGISTRY], { user: 'test' })).files);
    expect(next.error).toBeUndefined();
    expect(next.rowsLoaded).toBeGreaterThan(0);
  });
});

describe('loadPaths: streamed workbook rows', () => {
  it('stages rows below the preview that are wider than it, with their Excel row numbers', async () => {
    const w = warehouse();
    const path = await registryWorkbook('wide.xlsx', 200, (i) => {
      const row: (string | number)[] = [
        String(3102000000 + i),
        `第${i}小学`,
        '城关镇',
        i === 150 ? '大学' : '小学',
        '城区',
        '公办',
        '否',
        40,
      ];
      // A note far to the right, long after the first 60 rows.
      if (i === 120) row[29] = '备注：已撤并';
      return row;
    });
    const r = only((await loadPaths(w, [path], { user: 'test' })).files);
    expect([r.error, r.rowsLoaded, r.rowsRejected]).toEqual([undefined, 199, 1]);
    // Header on row 1: school i is on row i + 2.
    expect(r.rejects.map((x) => [x.row, x.column, x.value])).toEqual([[152, '学段', '大学']]);
    expect(
      await query(w, `SELECT source_row FROM schools WHERE school_code = '3102000120'`),
    ).toEqual([{ source_row: 122 }]);
  });
});
