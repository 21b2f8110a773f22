/**
 * Zip bombs: a workbook whose sheet XML inflates to 1.1 GB from about 8 MB of zip, with true
 * and with forged sizes in the zip headers. Both are refused at once, with a clear message,
 * without the process's memory growing.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewXlsx, readXlsxSheets, XlsxReadError } from '../../../etl/read/xlsx.ts';
import { repeatedRows, workbookParts, writeZip } from './zip-builder.ts';

const GIB = 2 ** 30;
const MIB = 2 ** 20;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xlsx-zip-test-'));
  // Start the reader's worker, so its start-up memory is not counted below.
  await expect(previewXlsx(join(dir, 'missing.xlsx'), 1)).rejects.toThrow();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function bomb(name: string, declaredSize?: number): Promise<string> {
  const path = join(dir, name);
  await writeZip(
    path,
    workbookParts([
      {
        name: 'Sheet1',
        body: repeatedRows(1.1 * GIB),
        ...(declaredSize === undefined ? {} : { declaredSize }),
      },
    ]),
  );
  expect((await stat(path)).size).toBeLessThan(16 * MIB);
  return path;
}

async function refusal(path: string): Promise<{ error: XlsxReadError; ms: number; grew: number }> {
  const rss = process.memoryUsage().rss;
  const started = performance.now();
  const error = await readXlsxSheets(path).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(XlsxReadError);
  return {
    error: error as XlsxReadError,
    ms: performance.now() - started,
    grew: process.memoryUsage().rss - rss,
  };
}

describe('zip bombs', () => {
  it('refuses a sheet whose header declares 1.1 GB before inflating it', async () => {
    const { error, ms, grew } = await refusal(await bomb('honest.xlsx'));
    expect(error.code).toBe('limit');
    expect(error.limit).toBe('maxInflatedMb');
    expect(error.message).toBe(
      '工作簿过大：解压后超过 512 MB 的上限，请拆分文件，或在Excel中另存为CSV后载入 / ' +
        'workbook too large: it unpacks to more than 512 MB; split the file, or save it as CSV in Excel and load that',
    );
    expect(ms).toBeLessThan(5_000);
    expect(grew).toBeLessThan(64 * MIB);
  });

  it('stops a sheet whose header understates its size as soon as it inflates past it', async () => {
    const { error, ms, grew } = await refusal(await bomb('forged.xlsx', 4096));
    expect(error.code).toBe('unreadable');
    expect(error.message).toMatch(/不是有效的\.xlsx.*not a readable \.xlsx workbook/);
    expect(error.message).toMatch(
      /压缩包已损坏或被篡改：xl\/worksheets\/sheet1\.xml 解压后的大小与声明不符 \/ the zip is damaged or forged/,
    );
    expect(ms).toBeLessThan(5_000);
    expect(grew).toBeLessThan(64 * MIB);
  });

  it('counts the declared sizes of all parts together', async () => {
    const path = join(dir, 'two-sheets.xlsx');
    // Two sheets of 300 MB each: each under the limit, together over it.
    await writeZip(
      path,
      workbookParts([
        { name: 'A', body: repeatedRows(300 * MIB) },
        { name: 'B', body: repeatedRows(300 * MIB) },
      ]),
    );
    const { error } = await refusal(path);
    expect(error.limit).toBe('maxInflatedMb');
  });
});
