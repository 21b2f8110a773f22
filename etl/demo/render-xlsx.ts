/**
 * Renders tables into worksheets that look like the bureau template: a bold merged
 * title, bordered header with units, codes as text cells (so 2141… never turns into
 * 2.141E+09), and the signature line under the data.
 */
import ExcelJS from 'exceljs';
import { writeFile } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { isDateCell, isTimeCell, totalRow, type Cell, type Table } from './table.ts';
import { fixZipDates } from './zip-dates.ts';

const THIN = { style: 'thin' as const };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

function excelValue(c: Cell): ExcelJS.CellValue {
  if (c === null) return null;
  if (isDateCell(c)) return new Date(`${c.date}T00:00:00Z`);
  if (isTimeCell(c)) {
    const [h, m] = c.time.split(':').map(Number);
    return new Date(Date.UTC(1899, 11, 30, h ?? 0, m ?? 0));
  }
  return c;
}

/**
 * Shared style objects. exceljs caches a style id per style *object*; giving each cell a
 * fresh one (its default) makes the writer rebuild and look up a style per cell, which
 * was most of the write time. Never mutate these (cell.font = … would): assign instead.
 */
const PLAIN: Partial<ExcelJS.Style> = {};
const BOLD: Partial<ExcelJS.Style> = { font: { bold: true } };
const TIME: Partial<ExcelJS.Style> = { numFmt: 'hh:mm' };
const MIDDLE: Partial<ExcelJS.Style> = { alignment: { vertical: 'middle' } };
const DATES = new Map<string, Partial<ExcelJS.Style>>();

function setCell(cell: ExcelJS.Cell, c: Cell, asText: boolean, bold: boolean): void {
  // A string value is already a text cell (t="s"), which is what keeps codes as text.
  cell.value = asText && typeof c === 'number' ? String(c) : excelValue(c);
  if (isDateCell(c)) {
    let style = DATES.get(c.fmt);
    if (!style) DATES.set(c.fmt, (style = { numFmt: c.fmt }));
    cell.style = style;
  } else if (isTimeCell(c)) cell.style = TIME;
  else cell.style = bold ? BOLD : PLAIN;
}

function addTableSheet(wb: ExcelJS.Workbook, table: Table): void {
  const ws = wb.addWorksheet(table.sheet);
  const width = table.header.length;
  // Widths first: the streaming writer emits <cols> with the first committed row.
  // Width from the longest text (CJK characters count double), as a clerk would drag it.
  table.header.forEach((h, i) => {
    const longest = table.rows.slice(0, 50).reduce((m, row) => {
      const v = row[i];
      return typeof v === 'string' ? Math.max(m, v.length) : m;
    }, h.length);
    ws.getColumn(i + 1).width = Math.max(8, Math.min(40, longest * 2 + 2));
  });
  let r = 1;
  const banner = (text: string, size: number): void => {
    const cell = ws.getCell(r, 1);
    cell.value = text;
    cell.font = { bold: size > 11, size };
    cell.alignment = { horizontal: size > 11 ? 'center' : 'left', vertical: 'middle' };
    if (width > 1) ws.mergeCells(r, 1, r, width);
    r++;
  };
  if (table.title !== undefined) {
    banner(table.title, 16);
    ws.getRow(1).height = 28;
  }
  for (const note of table.notes) banner(note, 11);

  const header = ws.getRow(r);
  table.header.forEach((h, i) => {
    const cell = header.getCell(i + 1);
    cell.value = h;
    cell.font = { bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = BORDER;
  });
  header.height = 32;
  r++;

  const first = r;
  const rows = [...table.rows];
  const total = totalRow(table);
  if (total) rows.push(total);
  for (const row of rows) {
    const xr = ws.getRow(r);
    row.forEach((c, i) =>
      setCell(xr.getCell(i + 1), c, table.textColumns.includes(i), row === total),
    );
    r++;
  }
  for (const [a, b, col] of table.merges) {
    for (let i = a + 1; i <= b; i++) ws.getCell(first + i, col + 1).value = null;
    ws.mergeCells(first + a, col + 1, first + b, col + 1);
    ws.getCell(first + a, col + 1).style = MIDDLE;
  }
  for (const line of table.footer) {
    ws.getCell(r, 1).value = line;
    r++;
  }
  ws.commit();
}

/**
 * Writes tables as the sheets of one workbook whose bytes depend only on the content
 * and `savedAt`. The streaming writer is used for speed (about half the CPU of the
 * in-memory one); each sheet is still built whole so that cells can be merged.
 */
export async function writeWorkbook(
  path: string,
  tables: readonly Table[],
  savedAt: Date,
): Promise<void> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((ok, fail) => {
    out.on('end', ok);
    out.on('error', fail);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useSharedStrings: true,
    useStyles: true,
    zip: { zlib: { level: 1 } },
  });
  wb.creator = 'Administrator';
  wb.lastModifiedBy = 'Administrator';
  wb.created = savedAt;
  wb.modified = savedAt;
  for (const t of tables) addTableSheet(wb, t);
  await wb.commit();
  await ended;
  await writeFile(path, fixZipDates(Buffer.concat(chunks), savedAt));
}
