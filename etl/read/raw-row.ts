/**
 * The one contract every reader yields: a row of cell texts as the clerk sees them,
 * with the sheet name and the 1-based row number Excel shows. Cells are already
 * converted to canonical text (numbers without float noise, date cells as YYYY-MM-DD,
 * time-of-day cells as HH:MM); a blank cell is null. Parsing of the text happens
 * once, in SQL (etl/normalize/), for every source.
 */
export interface RawRow {
  sheet: string;
  /** Row number as Excel shows it (1-based). For CSV: the record number in the file. */
  row: number;
  cells: (string | null)[];
}
