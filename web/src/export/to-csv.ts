/**
 * CSV for Excel on Chinese Windows: UTF-8 with a BOM (without it Excel reads GBK and
 * garbles the text), CRLF line ends, RFC 4180 quoting. Rates are written as the dashboard
 * shows them ("62.3%"), so the file reads the same as the screen.
 */
import type { Cell, TableData } from './table-data.ts';

function quote(cell: Cell): string {
  if (cell === null) return '';
  const text = String(cell);
  // A leading =, +, - or @ would run as a formula in Excel (CSV injection).
  const safe = /^[=+\-@]/.test(text) && !/^-?\d/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(table: TableData, formatted: Cell[][]): string {
  const lines = [
    ...table.notes.map((note) => quote(note)),
    table.columns.map((c) => quote(c.header)).join(','),
    ...formatted.map((row) => row.map(quote).join(',')),
  ];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
