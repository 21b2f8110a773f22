/**
 * Opens a report file: recognises a workbook (.xlsx, .xls / WPS .et, .ods) or CSV, detects the CSV encoding (transcoding
 * GBK/GB18030 and UTF-16 to a UTF-8 temp file for DuckDB), hashes the original bytes and
 * previews the first rows of every sheet for header detection.
 *
 * DuckDB reads a CSV only from a copy in the warehouse's temp folder, under a name of
 * ours: its sandbox allows no other folder, and it would read a name with `*`, `?` or
 * `[…]` as a glob (a file named `*.csv` read two other files).
 */
import { createHash } from 'node:crypto';
import { copyFile, link, open, readFile, rm, mkdtemp } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { scanCsv, parseCsvPreview, type CsvScan } from '../read/csv-scan.ts';
import {
  decodeText,
  detectEncoding,
  transcodeToUtf8File,
  type TextEncoding,
} from '../read/encoding.ts';
import type { RawRow } from '../read/raw-row.ts';
import {
  fileSha256,
  previewXlsx,
  xlsxRows,
  XlsxReadError,
  type SheetRequest,
  type XlsxRowBatch,
} from '../read/xlsx.ts';

const PREVIEW_BYTES = 256 * 1024;
export const PREVIEW_RECORDS = 60;

export interface XlsxSource {
  format: 'xlsx';
  path: string;
  sha256: string;
  /** Every worksheet in tab order with its first PREVIEW_RECORDS rows (for header detection). */
  sheets: Array<{ name: string; hidden: boolean; rows: RawRow[]; complete?: boolean }>;
  /**
   * Streams the rows after each chosen sheet's header, read afresh by the reader's worker;
   * a read that fails (a limit, the worker's death) throws a SourceError.
   */
  rows(sheets: readonly SheetRequest[]): AsyncIterable<XlsxRowBatch>;
  dispose(): Promise<void>;
}

export interface CsvSource {
  format: 'csv';
  path: string;
  sha256: string;
  encoding: TextEncoding;
  /** UTF-8 file DuckDB reads (the original, or a transcoded temp copy). */
  utf8Path: string;
  scan: CsvScan;
  delimiter: string;
  sheetName: string;
  preview: RawRow[];
  dispose(): Promise<void>;
}

export type Source = XlsxSource | CsvSource;

export class SourceError extends Error {
  constructor(zh: string, en: string) {
    super(`${zh} / ${en}`);
    this.name = 'SourceError';
  }
}

/** Unreadable files keep the message they always had; limits and worker deaths say zh / en. */
function xlsxSourceError(error: unknown): SourceError {
  if (error instanceof XlsxReadError && error.code !== 'unreadable') {
    return new SourceError(error.zh, error.en);
  }
  return new SourceError(String((error as Error).message), 'unreadable workbook');
}

async function* xlsxSourceRows(
  path: string,
  requests: readonly SheetRequest[],
): AsyncGenerator<XlsxRowBatch, void, undefined> {
  try {
    yield* xlsxRows(path, requests);
  } catch (error) {
    throw xlsxSourceError(error);
  }
}

async function head(path: string, bytes: number): Promise<{ buf: Buffer; complete: boolean }> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const buf = Buffer.alloc(Math.min(bytes, size));
    await handle.read(buf, 0, buf.length, 0);
    return { buf, complete: buf.length === size };
  } finally {
    await handle.close();
  }
}

function isZip(buf: Buffer): boolean {
  return (
    buf.length >= 4 && buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04
  );
}

/** An OLE compound file: Excel 97-2003 .xls, WPS .et (or an .xlsx with a password). */
function isOle(buf: Buffer): boolean {
  return buf.length >= 8 && buf.subarray(0, 8).equals(OLE_MAGIC);
}

const OLE_MAGIC = Buffer.from('d0cf11e0a1b11ae1', 'hex');

/** Names the workbook reader takes whatever their bytes (it explains what they really are). */
const WORKBOOK_EXTENSIONS = new Set(['.xlsx', '.xls', '.et', '.ods']);

export interface OpenOptions {
  /** Where the source's temp copy is made: the warehouse's temp folder, which DuckDB may read. */
  tempDir: string;
}

/** A hard link when the file system allows it (instant), else a copy. */
async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch {
    await copyFile(from, to);
  }
}

export async function openSource(path: string, options: OpenOptions): Promise<Source> {
  let start: { buf: Buffer; complete: boolean };
  try {
    start = await head(path, PREVIEW_BYTES);
  } catch (error) {
    throw new SourceError(
      `无法读取文件：${(error as Error).message}`,
      `cannot read the file: ${(error as Error).message}`,
    );
  }
  const ext = extname(path).toLowerCase();
  if (isZip(start.buf) || isOle(start.buf) || WORKBOOK_EXTENSIONS.has(ext)) {
    try {
      // The hash streams beside the worker's read; neither holds the file in memory.
      const [sha256, sheets] = await Promise.all([
        fileSha256(path),
        previewXlsx(path, PREVIEW_RECORDS),
      ]);
      return {
        format: 'xlsx',
        path,
        sha256,
        sheets,
        rows: (requests) => xlsxSourceRows(path, requests),
        dispose: async () => undefined,
      };
    } catch (error) {
      throw xlsxSourceError(error);
    }
  }
  const encoding = detectEncoding(start.buf, start.complete);
  const tempDir = await mkdtemp(join(options.tempDir, 'csv-'));
  const utf8Path = join(tempDir, 'utf8.csv');
  const transcoded = encoding !== 'utf8' && encoding !== 'utf8-bom';
  const dispose = async () => {
    await rm(tempDir, { recursive: true, force: true });
  };
  try {
    if (transcoded) await transcodeToUtf8File(path, encoding, utf8Path);
    else await linkOrCopy(path, utf8Path);
    const scan = await scanCsv(utf8Path);
    const sha256 = !transcoded
      ? scan.sha256
      : createHash('sha256')
          .update(await readFile(path))
          .digest('hex');
    let text = decodeText(start.buf, encoding);
    if (!start.complete) text = text.slice(0, Math.max(0, text.lastIndexOf('\n') + 1));
    // Excel's "CSV" on Chinese Windows is comma separated whatever the encoding.
    const delimiter = ',';
    const records = parseCsvPreview(text, PREVIEW_RECORDS);
    const sheetName = basename(path, extname(path));
    const preview = records.map((cells, i) => ({
      sheet: sheetName,
      row: i + 1,
      cells: cells.map((c) => (c === '' ? null : c)),
    }));
    return {
      format: 'csv',
      path,
      sha256,
      encoding,
      utf8Path,
      scan,
      delimiter,
      sheetName,
      preview,
      dispose,
    };
  } catch (error) {
    await dispose();
    if (error instanceof SourceError) throw error;
    throw new SourceError(
      `无法读取CSV文件：${(error as Error).message}`,
      `cannot read the CSV file: ${(error as Error).message}`,
    );
  }
}
