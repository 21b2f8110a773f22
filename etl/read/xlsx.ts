/**
 * Reads workbooks (.xlsx; .xls, .et and .ods through legacy-workbook.ts) as RawRows (cell texts as the clerk sees them, Excel row numbers),
 * streaming and within limits, in a worker thread.
 *
 * Why not exceljs any more: its `workbook.xlsx.load` holds the whole workbook as objects
 * (a 21.5 MB file of 7.9 million rows exhausted the server's heap), and its streaming
 * WorkbookReader ignores merged cells, reads inline rich text wrong, emits sheets in zip
 * order, spills sheets stored before the shared strings to temp files (a zip bomb would fill
 * the disk) and holds the shared strings unbounded. The reader is built instead on:
 * - yauzl: entries from the central directory, inflated size checked against the declared
 *   size while inflating (xlsx-zip.ts adds the size limits and the CRC check);
 * - saxes (the XML parser exceljs itself uses): workbook, styles, shared strings and the
 *   rows of each sheet as events (xlsx-parts.ts, xlsx-sheet.ts);
 * - node:worker_threads with a heap cap and a wall-clock limit (xlsx-host.ts).
 *
 * Behaviours kept from the exceljs reader (its tests still pass unchanged):
 * - Merged ranges propagate the master's text to every cell of the range (titles, group
 *   headers, 学校标识码 merged down a school's grade rows); rows that exist only through a
 *   merge are emitted. Merges are collected by a first pass over the sheet (xlsx-sheet.ts).
 * - A `<c r=".."/>` with neither value nor style is blank.
 * - Formulas give their cached result (0 and "" included; none → blank).
 * - Dates and times are the UTC wall-clock texts; 1904 workbooks; zh-CN built-in number
 *   formats 27-36/50-58 stored as bare numFmtId (xlsx-cells.ts).
 * - Rich text runs are concatenated (phonetic guides left out), _x000D_ escapes decoded,
 *   hyperlinks give their cell text, errors their code (#N/A), booleans TRUE/FALSE.
 * - Sheets in tab order, hidden and veryHidden flagged.
 * - Files that are no workbook (password-protected, HTML, other zips) get the same
 *   bilingual explanations.
 *
 * Excel 97-2003 .xls (also WPS .et) and OpenDocument .ods are recognised by their bytes and
 * read by SheetJS CE in the same worker, under the same limits, into the same rows
 * (legacy-workbook.ts): every function here takes them as well.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { RawRow } from './raw-row.ts';
import { xlsxLimits, type XlsxLimits } from './xlsx-limits.ts';
import { previewInWorker, rowsInWorker } from './xlsx-host.ts';
import type { SheetRequest } from './xlsx-reader.ts';

export { classifyNumberFormat, numberText, type NumberFormatKind } from './xlsx-cells.ts';
export { XlsxReadError, type XlsxErrorCode } from './xlsx-errors.ts';
export { XLSX_LIMITS, XLSX_LIMIT_ENV, xlsxLimits, type XlsxLimits } from './xlsx-limits.ts';
export type { SheetRequest } from './xlsx-reader.ts';

export interface XlsxSheet {
  name: string;
  /** true for hidden and veryHidden sheets */
  hidden: boolean;
  rows: RawRow[];
  /** `rows` is the whole sheet (a preview that reached its end). */
  complete?: boolean;
}

export interface XlsxReadOptions {
  /** Overrides of the limits in force (defaults, then KEHOU_XLSX_* environment variables). */
  limits?: Partial<XlsxLimits>;
}

/** A batch of rows of one sheet (by its index in the preview), in Excel row order. */
export interface XlsxRowBatch {
  sheet: number;
  rows: Array<{ row: number; cells: (string | null)[] }>;
}

/**
 * Every worksheet in tab order with its first `previewRows` rows. Checks the whole workbook
 * against the limits first. Throws an XlsxReadError with a bilingual message.
 */
export async function previewXlsx(
  path: string,
  previewRows: number,
  options: XlsxReadOptions = {},
): Promise<XlsxSheet[]> {
  const sheets = await previewInWorker(path, xlsxLimits(options.limits), previewRows);
  return sheets.map((s) => ({
    name: s.name,
    hidden: s.hidden,
    rows: s.rows.map((r) => ({ sheet: s.name, row: r.row, cells: r.cells })),
    complete: s.complete,
  }));
}

/**
 * Streams the rows after `afterRow` of the given sheets. Batches arrive as the consumer
 * takes them (the worker waits), so memory stays flat however large the sheet.
 */
export function xlsxRows(
  path: string,
  sheets: readonly SheetRequest[],
  options: XlsxReadOptions = {},
): AsyncGenerator<XlsxRowBatch, void, undefined> {
  return rowsInWorker(path, xlsxLimits(options.limits), sheets);
}

/**
 * Reads all worksheets whole, in workbook order: for tests and small tools. The loader
 * never holds a whole sheet: it previews, then streams (open-source.ts, load-file.ts).
 */
export async function readXlsxSheets(
  path: string,
  options: XlsxReadOptions = {},
): Promise<XlsxSheet[]> {
  const sheets = await previewXlsx(path, 0, options);
  const requests = sheets.map((_, sheet) => ({ sheet, afterRow: 0 }));
  if (requests.length === 0) return sheets;
  for await (const batch of xlsxRows(path, requests, options)) {
    const s = sheets[batch.sheet]!;
    for (const r of batch.rows) s.rows.push({ sheet: s.name, row: r.row, cells: r.cells });
  }
  return sheets;
}

/** sha256 of a file's bytes, read as a stream. */
export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
