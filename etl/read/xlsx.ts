/**
 * Reads every worksheet of an .xlsx workbook into RawRows (cell texts as the clerk sees
 * them, Excel row numbers). Uses exceljs (never the `xlsx`/SheetJS package).
 *
 * exceljs behaviours this module compensates for (see also the tests):
 * - Merged ranges: exceljs gives the slave cells type Merge; `cell.value` returns the master's
 *   value. We propagate the master's *text* to every cell of the range (titles, group headers,
 *   学校标识码 merged vertically over a school's grade rows). A merge may create rows that hold
 *   no cell of their own in the XML; they are real (the merge covers them) and are emitted.
 * - A `<c r=".."/>` with neither value nor style is typed Merge *without a master*; reading its
 *   `.value` throws. We treat it as blank.
 * - Formula values: `cell.value` drops falsy cached results (0, "", false); we read
 *   `cell.result`. A formula without cached result is blank.
 * - Dates: exceljs turns numbers with a date-like format into a JS Date whose UTC fields are the
 *   Excel wall-clock (it ignores time zones; 1904 workbooks are shifted already). We read UTC
 *   fields only.
 * - zh-CN built-in number formats (ids 27-36, 50-58: yyyy"年"m"月", m"月"d"日", h"时"mm"分" …)
 *   are stored by Chinese Excel/WPS as bare numFmtId without a formatCode; exceljs only knows
 *   their locale variants and leaves such cells as plain numbers with no numFmt. We register the
 *   zh-CN codes as a fallback (patchZhCnBuiltinFormats) so these cells are dates again.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import ExcelJS from 'exceljs';
import type { RawRow } from './raw-row.ts';

export interface XlsxSheet {
  name: string;
  /** true for hidden and veryHidden sheets */
  hidden: boolean;
  rows: RawRow[];
}

const NOT_XLSX = '无法读取Excel文件（不是有效的.xlsx） / not a readable .xlsx workbook';

/** Reads all worksheets, in workbook order. Throws an Error with a bilingual message on files that are not .xlsx. */
export async function readXlsxSheets(path: string): Promise<XlsxSheet[]> {
  // exceljs' readFile reads the whole file into memory too; reading it here lets us check it first.
  const data = await readFile(path);
  checkFileType(path, data);
  patchZhCnBuiltinFormats();

  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(data as unknown as ArrayBuffer);
  } catch (err) {
    throw new Error(`${NOT_XLSX}: ${path} (${errorText(err)})`, { cause: err });
  }

  const date1904 = Boolean((workbook.properties as { date1904?: boolean } | undefined)?.date1904);
  const sheets: XlsxSheet[] = [];
  // `worksheets` is sorted by orderNo = position in workbook.xml <sheets>, i.e. the tab order.
  for (const ws of workbook.worksheets) {
    sheets.push({
      name: ws.name,
      hidden: ws.state === 'hidden' || ws.state === 'veryHidden',
      rows: readRows(ws, date1904),
    });
  }
  return sheets;
}

function readRows(ws: ExcelJS.Worksheet, date1904: boolean): RawRow[] {
  const rows: RawRow[] = [];
  // eachRow (without includeEmpty) visits rows that hold at least one non-Null cell
  // (merge slaves count); rows whose cells all turn out blank are dropped below.
  ws.eachRow((row, rowNumber) => {
    const cells: (string | null)[] = [];
    // eachCell visits columns in ascending order; only non-blank texts are stored, so the
    // array ends with the last non-blank cell (trailing blanks trimmed).
    row.eachCell((cell, colNumber) => {
      const text = cellText(cell, date1904);
      if (text === null) return;
      while (cells.length < colNumber - 1) cells.push(null);
      cells.push(text);
    });
    if (cells.length === 0) return;
    rows.push({ sheet: ws.name, row: rowNumber, cells });
  });
  return rows;
}

/** Canonical text of one cell (merge slaves read their master). Never throws. */
function cellText(cell: ExcelJS.Cell, date1904: boolean): string | null {
  let source: ExcelJS.Cell | undefined = cell;
  if (cell.type === ExcelJS.ValueType.Merge) {
    // `master` is undefined for a bare <c/> that exceljs typed Merge although no merge covers it.
    source = (cell as { master?: ExcelJS.Cell }).master;
    if (source === undefined || source === cell) return null;
  }
  try {
    const fmt = typeof source.numFmt === 'string' ? source.numFmt : undefined;
    if (source.type === ExcelJS.ValueType.Formula) {
      return valueText(source.result, fmt, date1904);
    }
    return valueText(source.value, fmt, date1904);
  } catch {
    return null;
  }
}

function valueText(value: unknown, fmt: string | undefined, date1904: boolean): string | null {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
      return value === '' ? null : value;
    case 'number': {
      const kind = fmt === undefined ? 'none' : classifyNumberFormat(fmt);
      if (kind !== 'none' && value >= 0 && value < MAX_SERIAL) {
        return dateText(serialToDate(value, date1904), kind, fmt ?? '', date1904);
      }
      return numberText(value);
    }
    case 'boolean':
      return value ? 'TRUE' : 'FALSE';
    case 'bigint':
      return value.toString();
    case 'object':
      break;
    default:
      return null;
  }
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) return null;
    const serial = ms / MS_PER_DAY + EPOCH_1900 - (date1904 ? 1462 : 0);
    // outside Excel's date range Excel shows #####: give the serial number instead
    if (!(serial >= 0 && serial < MAX_SERIAL)) return numberText(serial);
    const kind = fmt === undefined ? 'none' : classifyNumberFormat(fmt);
    return dateText(value, kind, fmt ?? '', date1904);
  }
  const v = value as Record<string, unknown>;
  if (Array.isArray(v.richText)) {
    const text = (v.richText as unknown[])
      .map((run) => {
        const t = (run as { text?: unknown } | null)?.text;
        return typeof t === 'string' ? t : '';
      })
      .join('');
    return text === '' ? null : text;
  }
  if ('error' in v) {
    return v.error === undefined || v.error === null ? null : String(v.error);
  }
  if ('text' in v) {
    // hyperlink ({text, hyperlink}); text may itself be rich text
    return valueText(v.text, fmt, date1904);
  }
  if ('formula' in v || 'sharedFormula' in v || 'result' in v) {
    return valueText(v.result, fmt, date1904);
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Numbers

/**
 * Shortest faithful decimal text of a number as Excel would show it in General format
 * (at most 15 significant digits, which removes binary float noise), never in exponent
 * notation for magnitudes between 1e-30 and 1e30.
 */
export function numberText(n: number): string | null {
  if (!Number.isFinite(n)) return null;
  if (n === 0) return '0'; // also -0
  const s = String(Number(n.toPrecision(15)));
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (m === null) return s;
  const exp = Number(m[4]);
  if (exp < -30 || exp > 30) return s;
  const sign = m[1] ?? '';
  const digits = (m[2] ?? '') + (m[3] ?? '');
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intLen = exp + 1;
  if (digits.length <= intLen) return sign + digits + '0'.repeat(intLen - digits.length);
  return `${sign}${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
}

// ---------------------------------------------------------------------------------------------
// Dates and times

export type NumberFormatKind = 'none' | 'date' | 'time' | 'datetime';

/**
 * Whether an Excel number format shows a date, a time of day, both, or neither.
 * Only the first section counts; quoted text, escaped characters, [colour]/[$-804] brackets,
 * padding (_x, *x) and AM/PM markers are ignored. [h] / [mm] / [ss] are elapsed-time tokens.
 */
export function classifyNumberFormat(fmt: string): NumberFormatKind {
  if (/^\s*(general|@)?\s*$/i.test(fmt)) return 'none';
  let f = '';
  let inQuote = false;
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i] ?? '';
    if (inQuote) {
      if (c === '"') inQuote = false;
      continue;
    }
    if (c === '"') inQuote = true;
    else if (c === '\\' || c === '_' || c === '*') i++;
    else if (c === ';') break;
    else f += c;
  }
  let time = false;
  f = f.replace(/\[([^\]]*)\]/g, (_all, inner: string) => {
    if (/^(h+|m+|s+)$/i.test(inner)) time = true;
    return ' ';
  });
  if (/am\/pm|a\/p|上午\/下午/i.test(f)) time = true;
  f = f.replace(/am\/pm|a\/p|上午\/下午/gi, ' ').toLowerCase();
  if (/\de[+-]/.test(f)) return 'none'; // scientific
  if (/[hs]/.test(f)) time = true;
  const date = /[yd]/.test(f) || (!time && /m/.test(f));
  if (date && time) return 'datetime';
  if (date) return 'date';
  return time ? 'time' : 'none';
}

const MS_PER_DAY = 86_400_000;
/** Days from Excel's 1900 epoch (serial 0 = 1899-12-30) to 1970-01-01. */
const EPOCH_1900 = 25_569;
/** Serial of 10000-01-01: Excel's dates end on 9999-12-31. */
const MAX_SERIAL = 2_958_466;

function serialToDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - EPOCH_1900 + (date1904 ? 1462 : 0)) * MS_PER_DAY));
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * Date cell → "YYYY-MM-DD" / "YYYY-MM-DD HH:MM:SS"; time of day (Excel serial < 1, or a
 * time-only number format) → "HH:MM" / "HH:MM:SS". Reads UTC fields only.
 */
function dateText(d: Date, kind: NumberFormatKind, fmt: string, date1904: boolean): string {
  const ms = Math.round(d.getTime() / 1000) * 1000; // Excel shows whole seconds
  const t = new Date(ms);
  const y = t.getUTCFullYear();
  const mo = t.getUTCMonth() + 1;
  const day = t.getUTCDate();
  const secOfDay = t.getUTCHours() * 3600 + t.getUTCMinutes() * 60 + t.getUTCSeconds();

  const epochDay =
    (y === 1899 && mo === 12 && (day === 30 || day === 31)) ||
    (date1904 && y === 1904 && mo === 1 && day === 1);
  if (kind === 'time' || epochDay) {
    let hours = Math.floor(secOfDay / 3600);
    if (kind === 'time' && /\[h+\]/i.test(fmt)) {
      // elapsed hours: count whole days since the epoch too
      const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
      hours = Math.floor((ms - epoch) / 3_600_000);
    }
    const minutes = Math.floor((secOfDay % 3600) / 60);
    const seconds = secOfDay % 60;
    const hm = `${pad2(hours)}:${pad2(minutes)}`;
    return seconds === 0 ? hm : `${hm}:${pad2(seconds)}`;
  }
  const ymd = `${String(y).padStart(4, '0')}-${pad2(mo)}-${pad2(day)}`;
  if (secOfDay === 0) return ymd;
  const hms = `${pad2(t.getUTCHours())}:${pad2(t.getUTCMinutes())}:${pad2(t.getUTCSeconds())}`;
  return `${ymd} ${hms}`;
}

// ---------------------------------------------------------------------------------------------
// zh-CN built-in formats

/** Excel's zh-CN built-in number formats (ids a workbook may use without defining them). */
const ZH_CN_BUILTIN_FORMATS: Readonly<Record<number, string>> = {
  27: 'yyyy"年"m"月"',
  28: 'm"月"d"日"',
  29: 'm"月"d"日"',
  30: 'm-d-yy',
  31: 'yyyy"年"m"月"d"日"',
  32: 'h"时"mm"分"',
  33: 'h"时"mm"分"ss"秒"',
  34: '上午/下午h"时"mm"分"',
  35: '上午/下午h"时"mm"分"ss"秒"',
  36: 'yyyy"年"m"月"',
  50: 'yyyy"年"m"月"',
  51: 'm"月"d"日"',
  52: 'yyyy"年"m"月"',
  53: 'm"月"d"日"',
  54: 'm"月"d"日"',
  55: '上午/下午h"时"mm"分"',
  56: '上午/下午h"时"mm"分"ss"秒"',
  57: 'yyyy"年"m"月"',
  58: 'm"月"d"日"',
};

let patched = false;

/**
 * exceljs resolves a built-in numFmtId through NumFmtXform.getDefaultFmtCode, which returns
 * undefined for the locale-dependent ids; we add the zh-CN codes as a fallback. Idempotent and
 * harmless to other exceljs users (only ids exceljs cannot resolve are affected). If exceljs'
 * internal layout ever changes, the patch is skipped and such cells stay numbers.
 */
function patchZhCnBuiltinFormats(): void {
  if (patched) return;
  patched = true;
  try {
    const require = createRequire(import.meta.url);
    const xform = require('exceljs/lib/xlsx/xform/style/numfmt-xform.js') as {
      getDefaultFmtCode?: (id: number) => string | undefined;
    };
    const original = xform.getDefaultFmtCode;
    if (typeof original !== 'function') return;
    xform.getDefaultFmtCode = (id: number): string | undefined =>
      original(id) ?? ZH_CN_BUILTIN_FORMATS[id];
  } catch {
    // keep exceljs' own behaviour
  }
}

// ---------------------------------------------------------------------------------------------
// File type checks

function checkFileType(path: string, data: Buffer): void {
  const isOle = data.length >= 4 && data.readUInt32BE(0) === 0xd0cf11e0;
  if (isOle) {
    // OLE compound file: an Excel 97-2003 .xls, or an .xlsx protected with a password to open
    // (Excel wraps encrypted workbooks in the same container, with an "EncryptedPackage" stream).
    if (data.includes(Buffer.from('EncryptedPackage', 'utf16le'))) {
      throw new Error(
        `${NOT_XLSX}: ${path}（工作簿设置了打开密码，请在Excel中取消密码后另存为.xlsx / ` +
          'the workbook is password-protected; remove the password and save it as .xlsx）',
      );
    }
    throw new Error(
      `${NOT_XLSX}: ${path}（这是旧版Excel 97-2003 .xls文件，请在Excel中打开后另存为.xlsx / ` +
        'this is an old Excel 97-2003 .xls file; open it in Excel and save it as .xlsx）',
    );
  }
  const isZip = data.length >= 4 && data.readUInt32BE(0) === 0x504b0304;
  if (isZip) {
    // exceljs reads the workbook part from exactly this name and silently returns no sheets
    // without it (e.g. a .docx or an .ods renamed to .xlsx). Zip entry names are stored as-is.
    if (!data.includes('xl/workbook.xml')) {
      throw new Error(
        `${NOT_XLSX}: ${path}（压缩包中找不到Excel工作簿，文件可能已损坏或并非Excel文件 / no workbook part in the zip: the file is damaged or not an Excel file）`,
      );
    }
    return;
  }
  const start = data
    .subarray(0, 64)
    .toString('latin1')
    .replace(/^\xef\xbb\xbf/, '')
    .trimStart();
  const hint = start.startsWith('<')
    ? '（文件实为网页或XML格式，请在Excel中打开后另存为.xlsx / the file is HTML or XML; open it in Excel and save it as .xlsx）'
    : '';
  throw new Error(`${NOT_XLSX}: ${path}${hint}`);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
