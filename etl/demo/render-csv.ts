/**
 * Renders a table the way Excel on a Chinese Windows PC saves "CSV": displayed values
 * (1,234 for a #,##0 cell), the merged title as a first cell followed by empty ones,
 * CRLF line ends, and either GBK or UTF-8 with a BOM.
 */
import iconv from 'iconv-lite';
import { isDateCell, isTimeCell, totalRow, type Cell, type Table } from './table.ts';

export interface CsvOptions {
  encoding: 'gbk' | 'utf8-bom';
  thousands: boolean;
  /** Empty records (",,,,") Excel keeps when rows below the data were once touched. */
  trailingBlankRows: number;
}

function shown(c: Cell, thousands: boolean): string {
  if (c === null) return '';
  if (isDateCell(c)) return c.shown;
  if (isTimeCell(c)) return c.time;
  if (typeof c === 'number') {
    return thousands && Math.abs(c) >= 1000 ? c.toLocaleString('en-US') : String(c);
  }
  return c;
}

function quote(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function tableToCsv(table: Table, opts: CsvOptions): Buffer {
  const width = table.header.length;
  const line = (cells: readonly Cell[]): string => {
    const texts = cells.map((c) => quote(shown(c, opts.thousands)));
    while (texts.length < width) texts.push('');
    return texts.join(',');
  };
  const lines: string[] = [];
  if (table.title !== undefined) lines.push(line([table.title]));
  for (const note of table.notes) lines.push(line([note]));
  lines.push(line(table.header));
  // Merged cells come out of Excel's CSV export as a value in the first row only.
  const rows = table.rows.map((r) => r.slice());
  for (const [a, b, col] of table.merges) {
    for (let i = a + 1; i <= b; i++) {
      const row = rows[i];
      if (row) row[col] = null;
    }
  }
  for (const row of rows) lines.push(line(row));
  const total = totalRow(table);
  if (total) lines.push(line(total));
  for (const f of table.footer) lines.push(line([f]));
  for (let i = 0; i < opts.trailingBlankRows; i++) lines.push(line([]));
  const text = lines.join('\r\n') + '\r\n';
  return opts.encoding === 'gbk'
    ? iconv.encode(text, 'gbk')
    : Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}
