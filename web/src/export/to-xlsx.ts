/**
 * XLSX through exceljs, loaded only when a user exports (it is larger than the rest of the
 * dashboard). Numbers stay numbers, with Excel formats, so the sheet can be summed.
 */
import type { NumberFormat, TableData } from './table-data.ts';

const NUM_FMT: Record<NumberFormat, string> = {
  percent: '0.0%',
  integer: '#,##0',
  decimal: '0.0',
};

export async function toXlsx(table: TableData): Promise<Blob> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '课后督导';
  workbook.created = new Date();
  const sheet = workbook.addWorksheet(table.title.slice(0, 31));
  for (const note of table.notes) sheet.addRow([note]);
  const header = sheet.addRow(table.columns.map((c) => c.header));
  header.font = { bold: true };
  for (const row of table.rows) sheet.addRow(row);
  table.columns.forEach((column, index) => {
    const col = sheet.getColumn(index + 1);
    col.width = column.width ?? Math.max(10, column.header.length * 2 + 2);
    if (column.numberFormat) col.numFmt = NUM_FMT[column.numberFormat];
  });
  sheet.views = [{ state: 'frozen', ySplit: table.notes.length + 1 }];
  const buffer = await workbook.xlsx.writeBuffer();
  return new Blob([buffer], {
    type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  });
}
