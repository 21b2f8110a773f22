/**
 * Cell values of SpreadsheetML as the canonical texts of RawRow: numbers without float
 * noise, date cells as YYYY-MM-DD (with time when there is one), time-of-day cells as HH:MM
 * (HH:MM:SS with seconds). Pure functions: the reader's worker calls them per cell.
 *
 * These texts are the ones the earlier exceljs-based reader gave, and its tests still hold:
 * - A number whose style has a format exceljs took for a date (`isExcelJsDateFormat`) was
 *   turned into a JS Date by exceljs and then read back; we keep that path (out-of-range
 *   serials give the serial, as Excel shows #####).
 * - Other numbers become dates only when `classifyNumberFormat` says so.
 * - Only UTC fields are read: the text is Excel's wall clock, whatever the local time zone.
 * - zh-CN built-in formats 27-36 and 50-58, which Chinese Excel/WPS store as a bare
 *   numFmtId without a formatCode, resolve to their zh-CN codes.
 */

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

/**
 * exceljs' own date test (utils.isDateFmt): the earlier reader saw a JS Date for every
 * number whose format passed it, so its texts depend on it.
 */
export function isExcelJsDateFormat(fmt: string | undefined): boolean {
  if (!fmt) return false;
  const f = fmt.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, '');
  return /[ymdhMsb]+/.test(f);
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

/** Text of a numeric cell (or numeric formula result) under its number format. */
export function numericCellText(
  value: number,
  fmt: string | undefined,
  date1904: boolean,
): string | null {
  if (Number.isNaN(value)) return null;
  const k = fmt === undefined ? undefined : formatKind(fmt);
  if (k?.excelJsDate) {
    const d = serialToDate(value, date1904);
    const ms = d.getTime();
    if (Number.isNaN(ms)) return null;
    const serial = ms / MS_PER_DAY + EPOCH_1900 - (date1904 ? 1462 : 0);
    // outside Excel's date range Excel shows #####: give the serial number instead
    if (!(serial >= 0 && serial < MAX_SERIAL)) return numberText(serial);
    return dateText(d, classifyNumberFormat(fmt ?? ''), fmt ?? '', date1904);
  }
  const kind = k?.kind ?? 'none';
  if (kind !== 'none' && value >= 0 && value < MAX_SERIAL) {
    return dateText(serialToDate(value, date1904), kind, fmt ?? '', date1904);
  }
  return numberText(value);
}

/** Whether each format code shows dates, with exceljs' own test too (one answer per code). */
const formatKinds = new Map<string, { kind: NumberFormatKind; excelJsDate: boolean }>();

function formatKind(fmt: string): { kind: NumberFormatKind; excelJsDate: boolean } {
  let k = formatKinds.get(fmt);
  if (k === undefined) {
    k = { kind: classifyNumberFormat(fmt), excelJsDate: isExcelJsDateFormat(fmt) };
    if (formatKinds.size < 10_000) formatKinds.set(fmt, k);
  }
  return k;
}

/**
 * A plain decimal of at most 15 significant digits (counting zeros after the point, to be
 * safe) without trailing fractional zeros: the number's own text is what numberText would
 * give, so it is kept as written. Excel writes most numbers this way.
 */
const PLAIN_DECIMAL = /^-?(?:[1-9]\d{0,14}|0)(?:\.\d{0,14}[1-9])?$/;

/**
 * Text of a numeric cell's stored value (the `<v>` text) under its number format: the
 * same as numericCellText(parseFloat(raw)), with a fast path for plain numbers.
 */
export function storedNumberText(
  raw: string,
  fmt: string | undefined,
  date1904: boolean,
): string | null {
  const k = fmt === undefined ? undefined : formatKind(fmt);
  if (
    (k === undefined || (k.kind === 'none' && !k.excelJsDate)) &&
    raw.length <= 17 &&
    PLAIN_DECIMAL.test(raw) &&
    raw !== '-0' &&
    raw.replace(/^-?0?\.?/, '').replace('.', '').length <= 15
  ) {
    return raw;
  }
  return numericCellText(parseFloat(raw), fmt, date1904);
}

/** A `t="d"` cell (ISO 8601 text, written by some tools instead of a serial). */
export function isoDateCellText(
  value: string,
  fmt: string | undefined,
  date1904: boolean,
): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?)?/.exec(value);
  if (m === null) return value === '' ? null : value;
  const ms = Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4] ?? 0),
    Number(m[5] ?? 0),
    Math.floor(Number(m[6] ?? 0)),
  );
  const serial = ms / MS_PER_DAY + EPOCH_1900 - (date1904 ? 1462 : 0);
  const kind = fmt === undefined ? 'none' : classifyNumberFormat(fmt);
  return numericCellText(serial, kind === 'none' ? 'yyyy-mm-dd' : fmt, date1904);
}

// ---------------------------------------------------------------------------------------------
// Number formats by id

/** Built-in formats every locale shares (the ones exceljs resolves). */
const BUILTIN_FORMATS: Readonly<Record<number, string>> = {
  0: 'General',
  1: '0',
  2: '0.00',
  3: '#,##0',
  4: '#,##0.00',
  9: '0%',
  10: '0.00%',
  11: '0.00E+00',
  12: '# ?/?',
  13: '# ??/??',
  14: 'mm-dd-yy',
  15: 'd-mmm-yy',
  16: 'd-mmm',
  17: 'mmm-yy',
  18: 'h:mm AM/PM',
  19: 'h:mm:ss AM/PM',
  20: 'h:mm',
  21: 'h:mm:ss',
  22: 'm/d/yy "h":mm',
  37: '#,##0 ;(#,##0)',
  38: '#,##0 ;[Red](#,##0)',
  39: '#,##0.00 ;(#,##0.00)',
  40: '#,##0.00 ;[Red](#,##0.00)',
  45: 'mm:ss',
  46: '[h]:mm:ss',
  47: 'mmss.0',
  48: '##0.0E+0',
  49: '@',
};

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

/**
 * The format code of a cell style's numFmtId: the workbook's own definition first, then the
 * built-in code. Id 0 (General) gives none, as in exceljs.
 */
export function formatCodeOf(
  numFmtId: number,
  custom: ReadonlyMap<number, string>,
): string | undefined {
  if (!numFmtId) return undefined;
  return custom.get(numFmtId) ?? BUILTIN_FORMATS[numFmtId] ?? ZH_CN_BUILTIN_FORMATS[numFmtId];
}

// ---------------------------------------------------------------------------------------------
// Text

/** OOXML escapes characters XML cannot hold as _xHHHH_ (e.g. _x000D_ for CR). */
export function decodeXString(text: string): string {
  return text.indexOf('_x') < 0
    ? text
    : text.replace(/_x([0-9A-F]{4})_/g, (_all, hex: string) =>
        String.fromCharCode(parseInt(hex, 16)),
      );
}
