/**
 * Reads the workbook formats the .xlsx reader does not: Excel 97-2003 `.xls` (BIFF8, also
 * what WPS saves as `.et`) and OpenDocument `.ods`, through SheetJS CE (`@e965/xlsx`, the
 * build published with its security fixes). Many school offices still save .xls.
 *
 * It runs inside the reader's worker thread (xlsx-reader.ts dispatches on the file's magic
 * bytes), so the heap cap and the wall-clock limit of xlsx-host.ts bound it like an .xlsx.
 * SheetJS parses a whole file at once, hence the extra checks before it does:
 * - the file's size against `maxInflatedMb` (an .xls is not compressed: its size is what
 *   gets parsed; an .ods's zip is checked for declared sizes and entries like an .xlsx);
 * - the sheet count from a sheet-names-only parse, before any sheet is parsed.
 * After the parse, the same row, cell, column and merge limits as the .xlsx reader count the
 * cells really present (never the DIMENSION record, which a hostile file can inflate).
 *
 * The rows are those the .xlsx reader gives (xlsx-sheet.ts): the same cell texts (the same
 * xlsx-cells.ts conversions of numbers, dates, booleans and error codes; formulas give their
 * cached result, never the formula), merged ranges copied to every cell and rows that exist
 * only through a merge emitted, blank rows skipped, trailing blanks trimmed, Excel's row
 * numbers. So the loader's rejects name the same sheet, row and column letter for an .xls
 * or .ods as for its .xlsx twin.
 */
import { readFile, stat } from 'node:fs/promises';
import * as XLSX from '@e965/xlsx';
import { numericCellText } from './xlsx-cells.ts';
import { errorText, limitError, unreadable, XlsxReadError } from './xlsx-errors.ts';
import type { XlsxLimits } from './xlsx-limits.ts';
import type { RowBatch, SheetPreviewData, SheetRequest } from './xlsx-reader.ts';
import type { Counter, ParsedRow } from './xlsx-sheet.ts';
import { Zip } from './xlsx-zip.ts';
import { parseXml } from './xlsx-parts.ts';
import type yauzl from 'yauzl';

export type LegacyFormat = 'xls' | 'ods';

const MIB = 1024 * 1024;

/** Options of every SheetJS parse: values only, no formulas, styles or HTML. */
const PARSE: XLSX.ParsingOptions = {
  type: 'buffer',
  dense: true,
  cellNF: true,
  cellFormula: false,
  cellHTML: false,
  cellStyles: false,
  cellDates: false,
  bookVBA: false,
  WTF: false,
};

/** Reads the file once, within the size limit and (for .ods) the zip checks. */
async function load(path: string, format: LegacyFormat, limits: XlsxLimits): Promise<Buffer> {
  const { size } = await stat(path).catch((err: unknown) => {
    throw unreadable(path, undefined, errorText(err));
  });
  if (size > limits.maxInflatedMb * MIB) throw limitError('maxInflatedMb', limits);
  if (format === 'ods') {
    // The declared sizes and entry count of the zip, as for an .xlsx; SheetJS inflates the
    // parts itself, under the worker's heap cap should a zip lie about its sizes.
    const zip = await Zip.open(path, limits);
    try {
      const parts = ['content.xml', 'styles.xml']
        .map((p) => zip.find(p))
        .filter((e) => e !== undefined);
      const content = zip.find('content.xml');
      if (content === undefined) throw unreadable(path, DAMAGED.ods, 'no content.xml');
      zip.checkDeclared(parts);
      await scanOds(zip, content, limits);
    } finally {
      zip.close();
    }
  }
  return readFile(path);
}

/**
 * Counts an .ods's sheets, rows and cells as its content.xml declares them, repeats included,
 * before SheetJS expands them: a row of values repeated a million times is a few bytes on
 * disk and a million rows in memory. Rows and cells without a value do not count (LibreOffice
 * writes the empty rest of a sheet as one row repeated a million times).
 */
async function scanOds(zip: Zip, content: yauzl.Entry, limits: XlsxLimits): Promise<void> {
  let tables = 0;
  let sheet = '';
  let rows = 0;
  let cells = 0;
  let rowRepeat = 1;
  let column = 0;
  let valued = 0;
  let lastValued = -1;
  const repeat = (value: string | undefined): number => {
    const n = value === undefined ? 1 : Number.parseInt(value, 10);
    return Number.isFinite(n) && n > 0 ? n : 1;
  };
  await parseXml(zip.read(content), (p) => {
    p.on('opentag', (tag) => {
      switch (tag.name) {
        case 'table:table':
          tables++;
          sheet = String(tag.attributes['table:name'] ?? '');
          if (tables > limits.maxSheets) throw limitError('maxSheets', limits);
          break;
        case 'table:table-row':
          rowRepeat = repeat(tag.attributes['table:number-rows-repeated']);
          column = 0;
          valued = 0;
          lastValued = -1;
          break;
        case 'table:table-cell':
        case 'table:covered-table-cell': {
          const n = repeat(tag.attributes['table:number-columns-repeated']);
          if (tag.attributes['office:value-type'] !== undefined) {
            valued += n;
            lastValued = column + n - 1;
          }
          column += n;
          break;
        }
        default:
          break;
      }
    });
    p.on('closetag', (tag) => {
      if (tag.name !== 'table:table-row' || valued === 0) return;
      if (lastValued >= limits.maxColumns) throw limitError('maxColumns', limits, sheet);
      rows += rowRepeat;
      cells += valued * rowRepeat;
      if (rows > limits.maxRows) throw limitError('maxRows', limits);
      if (cells > limits.maxCells) throw limitError('maxCells', limits);
    });
  });
}

/** Parses with SheetJS; anything it throws means the file is no sound workbook. */
function parse(
  path: string,
  format: LegacyFormat,
  buf: Buffer,
  options: XLSX.ParsingOptions,
): XLSX.WorkBook {
  try {
    return XLSX.read(buf, { ...PARSE, ...options });
  } catch (err) {
    if (err instanceof XlsxReadError) throw err;
    const text = errorText(err);
    if (/password/i.test(text)) {
      throw unreadable(
        path,
        '（工作簿设置了打开密码，请在Excel中取消密码后另存为.xlsx / ' +
          'the workbook is password-protected; remove the password and save it as .xlsx）',
      );
    }
    throw unreadable(path, DAMAGED[format], text);
  }
}

/** What to tell the clerk when SheetJS cannot read the file. */
const DAMAGED: Record<LegacyFormat, string> = {
  xls:
    '（文件不是可读的Excel 97-2003 .xls工作簿，可能已损坏，请在Excel或WPS中打开后另存为.xlsx / ' +
    'not a readable Excel 97-2003 .xls workbook; it may be damaged: open it in Excel or WPS and save it as .xlsx）',
  ods:
    '（文件不是可读的OpenDocument .ods表格，可能已损坏，请打开后另存为.xlsx / ' +
    'not a readable OpenDocument .ods spreadsheet; it may be damaged: open it and save it as .xlsx）',
};

interface LegacyBook {
  sheets: Array<{ name: string; hidden: boolean; rows: ParsedRow[] }>;
}

/**
 * Reads the workbook's worksheets into rows, within the limits. Chart sheets and other
 * non-worksheets are left out, as the .xlsx reader leaves them out.
 */
async function readLegacy(
  path: string,
  format: LegacyFormat,
  limits: XlsxLimits,
): Promise<LegacyBook> {
  const buf = await load(path, format, limits);
  // Sheet names only first: a workbook of 10,000 sheets is refused before any is parsed.
  const names = parse(path, format, buf, { bookSheets: true });
  if (names.SheetNames.length > limits.maxSheets) throw limitError('maxSheets', limits);
  const wb = parse(path, format, buf, {});
  const date1904 = Boolean(wb.Workbook?.WBProps?.date1904);
  const counter: Counter = { rows: 0, cells: 0 };
  const sheets: LegacyBook['sheets'] = [];
  for (const [i, name] of wb.SheetNames.entries()) {
    const ws = wb.Sheets[name];
    if (ws === undefined || (ws as { '!type'?: string })['!type'] === 'chart') continue;
    const hidden = (wb.Workbook?.Sheets?.[i]?.Hidden ?? 0) !== 0;
    sheets.push({ name, hidden, rows: sheetRows(ws, name, date1904, limits, counter) });
  }
  if (sheets.length > limits.maxSheets) throw limitError('maxSheets', limits);
  return { sheets };
}

/** The canonical text of one SheetJS cell (see xlsx-cells.ts), null when blank. */
function cellText(cell: XLSX.CellObject | undefined, date1904: boolean): string | null {
  if (cell === undefined || cell === null) return null;
  switch (cell.t) {
    case 's': {
      const s = cell.v === undefined || cell.v === null ? '' : String(cell.v);
      return s === '' ? null : s;
    }
    case 'n': {
      if (typeof cell.v !== 'number') return null;
      const fmt = typeof cell.z === 'string' && cell.z !== 'General' ? cell.z : undefined;
      return numericCellText(cell.v, fmt, date1904);
    }
    case 'b':
      return cell.v ? 'TRUE' : 'FALSE';
    case 'e':
      return cell.w ?? XLSX.SSF.format('General', cell.v as number);
    case 'd': {
      const d = cell.v instanceof Date ? cell.v : new Date(String(cell.v));
      if (Number.isNaN(d.getTime())) return null;
      const serial = d.getTime() / 86_400_000 + 25_569;
      const fmt = typeof cell.z === 'string' ? cell.z : 'yyyy-mm-dd';
      return numericCellText(serial, fmt, false);
    }
    default:
      return null;
  }
}

interface Merge {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/**
 * One worksheet's rows, as xlsx-sheet.ts gives them: cell texts, merges copied to every cell
 * of their range, blank rows skipped, trailing blanks trimmed.
 */
function sheetRows(
  ws: XLSX.WorkSheet,
  sheet: string,
  date1904: boolean,
  limits: XlsxLimits,
  counter: Counter,
): ParsedRow[] {
  const data = (ws as { '!data'?: (XLSX.CellObject[] | undefined)[] })['!data'] ?? [];
  const rawMerges = ws['!merges'] ?? [];
  if (rawMerges.length > limits.maxMergedRanges) {
    throw limitError('maxMergedRanges', limits, sheet);
  }
  const texts = new Map<number, (string | null)[]>();
  for (let r = 0; r < data.length; r++) {
    const row = data[r];
    if (row === undefined || row === null) continue;
    let cells: (string | null)[] | undefined;
    for (let c = 0; c < row.length; c++) {
      const text = cellText(row[c], date1904);
      if (text === null) continue;
      if (c >= limits.maxColumns) throw limitError('maxColumns', limits, sheet);
      cells ??= [];
      while (cells.length < c) cells.push(null);
      cells[c] = text;
    }
    if (cells !== undefined) texts.set(r + 1, cells);
  }
  const merges: Merge[] = [];
  for (const m of rawMerges) {
    const left = Math.min(m.s.c, m.e.c);
    if (left >= limits.maxColumns) continue;
    merges.push({
      top: Math.min(m.s.r, m.e.r) + 1,
      bottom: Math.max(m.s.r, m.e.r) + 1,
      left,
      right: Math.min(Math.max(m.s.c, m.e.c), limits.maxColumns - 1),
    });
  }
  // A merge's master text goes to every other cell of its range; rows inside a range that
  // hold nothing of their own are created, as the .xlsx reader creates them.
  for (const m of merges) {
    const text = texts.get(m.top)?.[m.left] ?? null;
    for (let r = m.top; r <= m.bottom; r++) {
      let cells = texts.get(r);
      if (cells === undefined) {
        if (text === null) continue;
        cells = [];
        texts.set(r, cells);
      }
      for (let c = m.left; c <= m.right; c++) {
        if (r === m.top && c === m.left) continue;
        if (text === null) {
          if (c < cells.length) cells[c] = null;
        } else {
          while (cells.length < c) cells.push(null);
          cells[c] = text;
        }
      }
      // A hostile merge over a million rows is counted as it grows.
      if (texts.size > limits.maxRows) throw limitError('maxRows', limits);
    }
  }
  const rows: ParsedRow[] = [];
  for (const r of [...texts.keys()].sort((a, b) => a - b)) {
    const cells = texts.get(r)!;
    let end = cells.length;
    while (end > 0 && cells[end - 1] == null) end--;
    if (end === 0) continue;
    cells.length = end;
    counter.rows++;
    if (counter.rows > limits.maxRows) throw limitError('maxRows', limits);
    for (const c of cells) if (c != null) counter.cells++;
    if (counter.cells > limits.maxCells) throw limitError('maxCells', limits);
    rows.push({ row: r, cells });
  }
  return rows;
}

function asReadError(path: string, err: unknown): XlsxReadError {
  return err instanceof XlsxReadError ? err : unreadable(path, undefined, errorText(err));
}

/** Every worksheet with its first `previewRows` rows (xlsx-reader.ts `previewWorkbook`). */
export async function previewLegacy(
  path: string,
  format: LegacyFormat,
  limits: XlsxLimits,
  previewRows: number,
): Promise<SheetPreviewData[]> {
  try {
    const book = await readLegacy(path, format, limits);
    return book.sheets.map((s) => ({
      name: s.name,
      hidden: s.hidden,
      rows: previewRows > 0 ? s.rows.slice(0, previewRows) : [],
      complete: previewRows > 0 && s.rows.length <= previewRows,
    }));
  } catch (err) {
    throw asReadError(path, err);
  }
}

/** The rows after each request's `afterRow`, in batches (xlsx-reader.ts `streamRows`). */
export async function streamLegacyRows(
  path: string,
  format: LegacyFormat,
  limits: XlsxLimits,
  sheets: readonly SheetRequest[],
  batchRows: number,
  send: (batch: RowBatch) => Promise<void>,
): Promise<void> {
  let book: LegacyBook;
  try {
    book = await readLegacy(path, format, limits);
  } catch (err) {
    throw asReadError(path, err);
  }
  for (const req of sheets) {
    const s = book.sheets[req.sheet];
    if (!s) throw unreadable(path, undefined, `no sheet ${req.sheet}`);
    const rows = s.rows.filter((r) => r.row > req.afterRow);
    for (let i = 0; i < rows.length; i += batchRows) {
      await send({ sheet: req.sheet, rows: rows.slice(i, i + batchRows) });
    }
  }
}
