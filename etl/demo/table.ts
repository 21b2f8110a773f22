/**
 * A sheet as the writers build it, before it becomes an xlsx worksheet or a CSV file.
 * Keeping one representation lets both renderers agree on row numbers, which the list
 * of deliberately invalid rows must quote exactly as Excel shows them.
 */

/** A real Excel date cell (displayed with `fmt`); in CSV, the displayed text. */
export interface DateCell {
  date: string;
  fmt: string;
  shown: string;
}

/** A real Excel time-of-day cell (fraction of a day, shown hh:mm). */
export interface TimeCell {
  time: string;
}

export type Cell = string | number | null | DateCell | TimeCell;

export interface Table {
  sheet: string;
  /** Merged across all columns in row 1, like the bureau template's title. */
  title?: string;
  /** Lines between title and header (填报单位 …), merged across the columns too. */
  notes: string[];
  header: string[];
  rows: Cell[][];
  /** Appended after the rows with first cell 合计; sums computed at render time. */
  totalFrom?: number;
  /** Signature and note lines below the data. */
  footer: string[];
  /** [firstDataRow, lastDataRow, column] merged vertically (0-based data indexes). */
  merges: [number, number, number][];
  /** Columns written as text cells even when they look like numbers (school codes). */
  textColumns: number[];
}

export function emptyTable(sheet: string, header: readonly string[]): Table {
  return {
    sheet,
    notes: [],
    header: [...header],
    rows: [],
    footer: [],
    merges: [],
    textColumns: [],
  };
}

/** The 1-based row number Excel shows for data row `index` (same line number in CSV). */
export function excelRow(table: Table, index: number): number {
  return (table.title !== undefined ? 1 : 0) + table.notes.length + 1 + index + 1;
}

export function isDateCell(c: Cell): c is DateCell {
  return typeof c === 'object' && c !== null && 'date' in c;
}

export function isTimeCell(c: Cell): c is TimeCell {
  return typeof c === 'object' && c !== null && 'time' in c;
}

/** The 合计 row: sums of numeric columns from `from` on; text and blank cells left empty. */
export function totalRow(table: Table): Cell[] | undefined {
  if (table.totalFrom === undefined) return undefined;
  const from = table.totalFrom;
  return table.header.map((_, col) => {
    if (col === 0) return '合计';
    if (col < from) return null;
    return table.rows.reduce((sum, row) => {
      const v = row[col];
      return typeof v === 'number' ? sum + v : sum;
    }, 0);
  });
}
