/**
 * A sheet (or CSV) staged positionally in the temp table stg_raw (c0..cN as text), with
 * the SQL needed to read it back: which column holds which key per sheet, and how to
 * compute the Excel row number of each staged row.
 */
export interface StagedSheet {
  sheetNo: number;
  name: string;
  /** key → column index in stg_raw. */
  columns: ReadonlyMap<string, number>;
  /** column index → header text as the file shows it. */
  headerTexts: readonly string[];
  /** Rows above the header that are not header rows (titles, notes, blanks). */
  titleRows: number;
}

export interface StagedSource {
  /** Width of stg_raw: columns c0..c(width-1). */
  width: number;
  /** SQL for the sheet number of a stg_raw row. */
  sheetNoSql: string;
  /** SQL for the Excel row number of a stg_raw row. */
  rowSql: string;
  /** SQL keeping the data rows of stg_raw (CSV stages its title and header too). */
  filterSql?: string;
  sheets: readonly StagedSheet[];
  /** Blank records dropped before staging (they count as skipped rows). */
  droppedBlankRows: number;
}

export function cellColumn(index: number): string {
  return `c${index}`;
}
