/**
 * One worksheet, in two streaming passes over its XML:
 *
 * 1. `scanSheet` inflates the part without parsing it: it counts <row> and <c> tags with
 *    native byte searches (against the row and cell limits, so an oversized workbook is
 *    refused before any row is parsed or staged), checks the part's CRC, and collects the
 *    <mergeCell> ranges, which SpreadsheetML writes AFTER <sheetData>.
 * 2. `parseSheet` parses the rows with saxes and emits each as canonical cell texts, with
 *    every merged range's master text already copied to all its cells.
 *
 * Why a first pass for the merges rather than patching them in afterwards: the header
 * search needs merged titles and two-row group headers (人数 over three columns) in the
 * very first rows, and the staged rows need the school code merged down a school's grade
 * rows. Knowing the merges before the first row keeps every consumer a plain row stream.
 * The scan costs one more inflate (a few hundred MB/s) and no XML parsing.
 *
 * Row semantics are those of the exceljs reader: rows whose cells are all blank are not
 * emitted; a merge may create rows that hold no cell of their own in the XML, and they are
 * emitted; a slave cell shows its master's text even if the XML gives it a value of its own;
 * trailing blank cells are trimmed; row numbers are Excel's.
 */
import { decodeXString, isoDateCellText, storedNumberText } from './xlsx-cells.ts';
import { limitError, unreadable } from './xlsx-errors.ts';
import type { XlsxLimits } from './xlsx-limits.ts';
import { localName, parseXml } from './xlsx-parts.ts';
import type { Zip } from './xlsx-zip.ts';

export interface Merge {
  /** Excel row numbers (1-based). */
  top: number;
  bottom: number;
  /** Column indexes (0-based), `right` clipped to the column limit. */
  left: number;
  right: number;
}

/** Rows and cells counted so far in one read of a workbook (all its sheets). */
export interface Counter {
  rows: number;
  cells: number;
}

export interface ParsedRow {
  /** Excel row number. */
  row: number;
  cells: (string | null)[];
}

/** Column index (0-based) of a cell reference such as `AB12` or `$AB$12`; -1 if none. */
export function columnOf(ref: string): number {
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) n = n * 26 + (c - 64);
    else if (c >= 97 && c <= 122) n = n * 26 + (c - 96);
    else if (c !== 36) break;
  }
  return n - 1;
}

function rowOf(ref: string): number {
  const m = /(\d+)\s*$/.exec(ref);
  return m ? parseInt(m[1] ?? '', 10) : NaN;
}

function parseRange(ref: string, maxColumns: number): Merge | null {
  const [a = '', b = a] = ref.split(':');
  const r1 = rowOf(a);
  const r2 = rowOf(b);
  const c1 = columnOf(a);
  const c2 = columnOf(b);
  if (!(r1 > 0 && r2 > 0 && c1 >= 0 && c2 >= 0)) return null;
  const left = Math.min(c1, c2);
  if (left >= maxColumns) return null;
  return {
    top: Math.min(r1, r2),
    bottom: Math.max(r1, r2),
    left,
    right: Math.min(Math.max(c1, c2), maxColumns - 1),
  };
}

// ---------------------------------------------------------------------------------------------
// Pass 1: scan

const LT = 0x3c;
const GT = 0x3e;

/** Whether a byte ends a tag name (space, tab, CR, LF, '>' or '/'). */
function endsName(b: number | undefined): boolean {
  return (
    b === undefined ||
    b === 0x20 ||
    b === GT ||
    b === 0x2f ||
    b === 0x09 ||
    b === 0x0a ||
    b === 0x0d
  );
}

function countTags(buf: Buffer, needle: Buffer): number {
  let n = 0;
  let i = buf.indexOf(needle);
  while (i >= 0) {
    if (endsName(buf[i + needle.length])) n++;
    i = buf.indexOf(needle, i + needle.length);
  }
  return n;
}

/** The namespace prefix of the root element (`x:` for `<x:worksheet>`), or null if unseen. */
function rootPrefix(buf: Buffer): string | null {
  let i = buf.indexOf(LT);
  while (i >= 0 && i + 1 < buf.length) {
    const next = buf[i + 1];
    if (next !== 0x3f && next !== 0x21) {
      const end = buf.indexOf(GT, i);
      if (end < 0) return null;
      const name = /^<([^\s/>]+)/.exec(buf.subarray(i, end + 1).toString('utf8'))?.[1] ?? '';
      const colon = name.indexOf(':');
      return colon < 0 ? '' : name.slice(0, colon + 1);
    }
    i = buf.indexOf(LT, i + 1);
  }
  return null;
}

/** Scans one sheet (pass 1): row and cell counts into `counter`, and its merged ranges. */
export async function scanSheet(
  zip: Zip,
  part: string,
  sheet: string,
  limits: XlsxLimits,
  counter: Counter,
): Promise<Merge[]> {
  const entry = zip.find(part);
  if (!entry) throw unreadable(zip.path, undefined, `missing part ${part}`);
  const merges: Merge[] = [];
  let carry: Buffer | null = null;
  let needles: { row: Buffer; cell: Buffer; merge: Buffer } | null = null;

  const count = (buf: Buffer): void => {
    if (!needles) return;
    counter.rows += countTags(buf, needles.row);
    if (counter.rows > limits.maxRows) throw limitError('maxRows', limits);
    counter.cells += countTags(buf, needles.cell);
    if (counter.cells > limits.maxCells) throw limitError('maxCells', limits);
    let i = buf.indexOf(needles.merge);
    while (i >= 0) {
      const end = buf.indexOf(GT, i);
      if (end < 0) break;
      if (endsName(buf[i + needles.merge.length])) {
        const tag = buf.subarray(i, end + 1).toString('utf8');
        const ref = /\sref\s*=\s*(["'])([^"']*)\1/.exec(tag)?.[2];
        const merge = ref === undefined ? null : parseRange(ref, limits.maxColumns);
        if (merge) {
          if (merges.length >= limits.maxMergedRanges) {
            throw limitError('maxMergedRanges', limits, sheet);
          }
          merges.push(merge);
          // A merge fills its area: counted up front, so a merge over the whole sheet is
          // refused here (its slave cells may be counted twice; they are few in real files).
          counter.cells += (merge.bottom - merge.top + 1) * (merge.right - merge.left + 1);
          if (counter.cells > limits.maxCells) throw limitError('maxCells', limits);
        }
      }
      i = buf.indexOf(needles.merge, end);
    }
  };

  for await (const chunk of zip.read(entry)) {
    let buf: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    carry = null;
    if (!needles) {
      const prefix = rootPrefix(buf);
      if (prefix === null) {
        if (buf.length > 1 << 20) throw unreadable(zip.path, undefined, `${part}: no root element`);
        carry = buf;
        continue;
      }
      needles = {
        row: Buffer.from(`<${prefix}row`),
        cell: Buffer.from(`<${prefix}c`),
        merge: Buffer.from(`<${prefix}mergeCell`),
      };
    }
    // Keep a tag cut by the chunk boundary for the next round, so every tag is whole once.
    const lastLt = buf.lastIndexOf(LT);
    if (lastLt >= 0 && buf.indexOf(GT, lastLt) < 0 && buf.length - lastLt < 1 << 16) {
      carry = Buffer.from(buf.subarray(lastLt));
      buf = buf.subarray(0, lastLt);
    }
    count(buf);
  }
  if (carry) count(carry);
  merges.sort((a, b) => a.top - b.top || a.left - b.left);
  return merges;
}

// ---------------------------------------------------------------------------------------------
// Pass 2: rows

export interface SheetContext {
  zip: Zip;
  part: string;
  sheet: string;
  /** Number format code of each cell style. */
  formats: readonly (string | undefined)[];
  strings: readonly string[];
  date1904: boolean;
  merges: readonly Merge[];
  limits: XlsxLimits;
  /** Rows and cells emitted so far in this read. */
  counter: Counter;
}

export interface RowSink {
  /** Receives each row; rows at or above `afterRow` are counted but not given. */
  row(row: ParsedRow): void;
  /** Called after each chunk of XML; may wait (backpressure); true stops the sheet. */
  after(): boolean | Promise<boolean>;
}

interface ActiveMerge extends Merge {
  /** The master's text (null when blank or when its row is missing). */
  text: string | null;
}

/** Parses one sheet's rows (pass 2) into `sink`. */
export async function parseSheet(ctx: SheetContext, sink: RowSink, afterRow = 0): Promise<void> {
  const entry = ctx.zip.find(ctx.part);
  if (!entry) throw unreadable(ctx.zip.path, undefined, `missing part ${ctx.part}`);
  const { formats, strings, date1904, merges, limits, counter } = ctx;
  const maxColumns = limits.maxColumns;

  let nextMerge = 0;
  let active: ActiveMerge[] = [];
  let maxBottom = 0;

  let prevRow = 0;
  let rowNo = 0;
  let cells: (string | null)[] = [];
  let inRow = false;

  // cell state
  let col = -1;
  let type: string | undefined;
  let style: number | undefined;
  let inV = false;
  let v = '';
  let inIs = false;
  let isText: string | null = null;
  let inT = false;
  let tText = '';
  let phonetic = 0;

  const emit = (r: number, row: (string | null)[]): void => {
    let end = row.length;
    while (end > 0 && row[end - 1] == null) end--;
    if (end === 0) return;
    if (end < row.length) row.length = end;
    counter.rows++;
    if (counter.rows > limits.maxRows) throw limitError('maxRows', limits);
    for (let i = 0; i < end; i++) if (row[i] != null) counter.cells++;
    if (counter.cells > limits.maxCells) throw limitError('maxCells', limits);
    if (r > afterRow) sink.row({ row: r, cells: row });
  };

  const setCell = (row: (string | null)[], c: number, text: string | null): void => {
    if (text === null) {
      if (c < row.length) row[c] = null;
      return;
    }
    while (row.length < c) row.push(null);
    row[c] = text;
  };

  const applyMerges = (r: number, row: (string | null)[]): void => {
    for (const m of active) {
      if (r < m.top || r > m.bottom) continue;
      for (let c = m.left; c <= m.right; c++) {
        if (r !== m.top || c !== m.left) setCell(row, c, m.text);
      }
    }
  };

  const expire = (r: number): void => {
    if (active.length > 0 && active.some((m) => m.bottom < r)) {
      active = active.filter((m) => m.bottom >= r);
    }
  };

  /** Rows between two XML rows that hold only the texts of merges above them. */
  const mergeOnlyRows = (until: number): void => {
    if (maxBottom <= prevRow) return;
    const last = Math.min(until - 1, maxBottom);
    for (let r = prevRow + 1; r <= last; r++) {
      expire(r);
      if (active.length === 0) break;
      const row: (string | null)[] = [];
      applyMerges(r, row);
      emit(r, row);
    }
  };

  const finishRow = (r: number, row: (string | null)[]): void => {
    // Merges whose top row is this one (or lay in a gap without rows) start here.
    while (nextMerge < merges.length && merges[nextMerge]!.top <= r) {
      const m = merges[nextMerge++]!;
      const text = m.top === r ? (row[m.left] ?? null) : null;
      active.push({ ...m, text });
      if (text !== null && m.bottom > maxBottom) maxBottom = m.bottom;
    }
    expire(r);
    applyMerges(r, row);
    emit(r, row);
    prevRow = r;
  };

  const name = (raw: string): string => (raw.indexOf(':') < 0 ? raw : localName(raw));

  await parseXml(
    ctx.zip.read(entry),
    (p) => {
      p.on('opentag', (tag) => {
        const n = name(tag.name);
        switch (n) {
          case 'row': {
            const r = tag.attributes.r;
            const parsed = r === undefined ? NaN : parseInt(r, 10);
            const next = parsed > 0 ? parsed : prevRow + 1;
            if (next <= prevRow) {
              throw unreadable(
                ctx.zip.path,
                `（工作表“${ctx.sheet}”的行顺序错乱（第 ${next} 行），文件可能已损坏，请在Excel中打开后重新保存 / sheet "${ctx.sheet}" has its rows out of order (row ${next}): the file may be damaged; open it in Excel and save it again）`,
              );
            }
            mergeOnlyRows(next);
            rowNo = next;
            cells = [];
            col = -1;
            inRow = !tag.isSelfClosing;
            if (tag.isSelfClosing) finishRow(rowNo, cells);
            break;
          }
          case 'c': {
            const ref = tag.attributes.r;
            const c = ref === undefined ? -1 : columnOf(ref);
            col = c >= 0 ? c : col + 1;
            type = tag.attributes.t;
            const s = tag.attributes.s;
            style = s === undefined ? undefined : parseInt(s, 10);
            v = '';
            inV = false;
            inIs = false;
            isText = null;
            if (tag.isSelfClosing) closeCell();
            break;
          }
          case 'v':
            inV = !tag.isSelfClosing;
            break;
          case 'is':
            inIs = true;
            isText = '';
            break;
          case 'rPh':
            phonetic++;
            break;
          case 't':
            if (inIs && phonetic === 0) {
              inT = !tag.isSelfClosing;
              tText = '';
            }
            break;
          default:
            break;
        }
      });
      const onText = (text: string): void => {
        if (inV) v += text;
        else if (inT) tText += text;
      };
      p.on('text', onText);
      p.on('cdata', onText);
      p.on('closetag', (tag) => {
        const n = name(tag.name);
        switch (n) {
          case 'v':
            inV = false;
            break;
          case 't':
            if (inT) {
              inT = false;
              isText += decodeXString(tText);
            }
            break;
          case 'rPh':
            phonetic--;
            break;
          case 'is':
            inIs = false;
            break;
          case 'c':
            if (!tag.isSelfClosing) closeCell();
            break;
          case 'row':
            if (inRow) {
              inRow = false;
              finishRow(rowNo, cells);
            }
            break;
          default:
            break;
        }
      });
    },
    sink.after,
  );
  mergeOnlyRows(Number.POSITIVE_INFINITY);

  function closeCell(): void {
    if (!inRow) return;
    const text = cellText();
    if (text === null) return;
    if (col >= maxColumns) throw limitError('maxColumns', limits, ctx.sheet);
    setCell(cells, col, text);
  }

  function cellText(): string | null {
    // exceljs ignored style 0 (falsy id), so a number in it is never a date.
    const fmt = style ? formats[style] : undefined;
    if (isText !== null) return isText === '' ? null : isText;
    if (v === '') return null; // no value, or a formula without a cached result
    switch (type) {
      case 's': {
        const s = strings[parseInt(v, 10)];
        return s === undefined || s === '' ? null : s;
      }
      case 'str':
      case 'inlineStr': {
        const s = decodeXString(v);
        return s === '' ? null : s;
      }
      case 'b':
        return parseInt(v, 10) !== 0 ? 'TRUE' : 'FALSE';
      case 'e':
        return v;
      case 'd':
        return isoDateCellText(v, fmt, date1904);
      default:
        return storedNumberText(v, fmt, date1904);
    }
  }
}
