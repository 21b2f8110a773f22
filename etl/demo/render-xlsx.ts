/**
 * Renders tables into worksheets that look like the bureau template: a bold merged
 * title, bordered header with units, codes as text cells (so 2141… never turns into
 * 2.141E+09), and the signature line under the data.
 */
import ExcelJS from 'exceljs';
import { writeFile } from 'node:fs/promises';
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

function setCell(cell: ExcelJS.Cell, c: Cell, asText: boolean): void {
  cell.value = asText && typeof c === 'number' ? String(c) : excelValue(c);
  if (asText) cell.numFmt = '@';
  else if (isDateCell(c)) cell.numFmt = c.fmt;
  else if (isTimeCell(c)) cell.numFmt = 'hh:mm';
}

export function addTableSheet(wb: ExcelJS.Workbook, table: Table): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(table.sheet);
  const width = table.header.length;
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
    row.forEach((c, i) => {
      const cell = xr.getCell(i + 1);
      setCell(cell, c, table.textColumns.includes(i));
    });
    if (row === total) xr.font = { bold: true };
    r++;
  }
  for (const [a, b, col] of table.merges) {
    for (let i = a + 1; i <= b; i++) ws.getCell(first + i, col + 1).value = null;
    ws.mergeCells(first + a, col + 1, first + b, col + 1);
    ws.getCell(first + a, col + 1).alignment = { vertical: 'middle' };
  }
  for (const line of table.footer) {
    ws.getCell(r, 1).value = line;
    r++;
  }
  // Width from the longest text (CJK characters count double), as a clerk would drag it.
  table.header.forEach((h, i) => {
    const longest = table.rows.slice(0, 50).reduce((m, row) => {
      const v = row[i];
      return typeof v === 'string' ? Math.max(m, v.length) : m;
    }, h.length);
    ws.getColumn(i + 1).width = Math.max(8, Math.min(40, longest * 2 + 2));
  });
  return ws;
}

/** Writes a workbook whose bytes depend only on its content and `savedAt`. */
export async function saveWorkbook(wb: ExcelJS.Workbook, path: string, savedAt: Date): Promise<void> {
  wb.creator = 'Administrator';
  wb.lastModifiedBy = 'Administrator';
  wb.created = savedAt;
  wb.modified = savedAt;
  // Fast deflate: the files are small and generation time matters more than bytes.
  const data = Buffer.from(
    await wb.xlsx.writeBuffer({ zip: { compression: 'DEFLATE', compressionOptions: { level: 1 } } } as ExcelJS.XlsxWriteOptions),
  );
  await writeFile(path, fixZipDates(data, savedAt));
}
