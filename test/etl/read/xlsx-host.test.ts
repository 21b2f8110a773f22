/**
 * The reader's worker thread: a thread that runs out of memory or time is ended and
 * reported for that file, and the next read works; jobs queue; a consumer that stops early
 * frees the thread.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewXlsx, readXlsxSheets, xlsxRows } from '../../../etl/read/xlsx.ts';
import { sheetRows, workbookParts, writeZip } from './zip-builder.ts';
import { failure } from './read-failure.ts';

const MERGED = fileURLToPath(new URL('../../fixtures/read/merged-title.xlsx', import.meta.url));

let dir: string;
let hungry: string;
let long: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xlsx-host-test-'));
  // 600,000 distinct texts of about 40 characters: ~50 MB of shared strings once read, within
  // the default limits but not within a 32 MB heap.
  hungry = join(dir, 'hungry.xlsx');
  const text = '课后服务参与情况统计表'.repeat(3);
  await writeZip(
    hungry,
    workbookParts(
      [{ name: 'S', body: '<sheetData/>' }],
      Array.from({ length: 600_000 }, (_, i) => `${text}${i}`),
    ),
  );
  long = join(dir, 'long.xlsx');
  await writeZip(long, workbookParts([{ name: 'S', body: sheetRows(100_000, 4) }]));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the reader thread', () => {
  it('ends a thread that runs out of memory, reports it, and reads the next file', async () => {
    // 32 MB is enough for the thread and a small workbook, not for 600,000 texts.
    expect((await readXlsxSheets(MERGED, { limits: { workerHeapMb: 32 } })).length).toBe(7);
    const error = await failure(previewXlsx(hungry, 60, { limits: { workerHeapMb: 32 } }));
    expect([error.code, error.limit]).toEqual(['limit', 'workerHeapMb']);
    expect(error.message).toBe(
      '工作簿过大：读取所需内存超过 32 MB 的上限，已中止，请拆分文件，或在Excel中另存为CSV后载入 / ' +
        'workbook too large: reading it needs more than 32 MB of memory; stopped; split the file, or save it as CSV in Excel and load that',
    );
    // The next file reads normally, in a new thread.
    expect((await readXlsxSheets(MERGED)).length).toBe(7);
  });

  it('ends a read that overruns its time, and reads the next file', async () => {
    const error = await failure(readXlsxSheets(long, { limits: { timeoutSeconds: 0.05 } }));
    expect([error.code, error.limit]).toEqual(['limit', 'timeoutSeconds']);
    expect(error.message).toMatch(
      /读取工作簿超过 0\.05 秒的时限，已中止.*took more than 0\.05 seconds/,
    );
    expect((await readXlsxSheets(MERGED)).length).toBe(7);
  });

  it('queues concurrent reads on the one thread', async () => {
    const reads = await Promise.all([
      readXlsxSheets(MERGED),
      previewXlsx(long, 3),
      readXlsxSheets(MERGED),
    ]);
    expect(reads[0]).toEqual(reads[2]);
    expect(reads[1][0]?.rows.map((r) => r.row)).toEqual([1, 2, 3]);
  });

  it('frees the thread when the consumer stops early', async () => {
    let seen = 0;
    for await (const batch of xlsxRows(long, [{ sheet: 0, afterRow: 0 }])) {
      seen += batch.rows.length;
      break;
    }
    expect(seen).toBeGreaterThan(0);
    expect(seen).toBeLessThan(100_000);
    const all = await readXlsxSheets(long);
    expect(all[0]?.rows.length).toBe(100_000);
  });
});
