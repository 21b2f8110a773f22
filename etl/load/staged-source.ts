/**
 * The sheets of one load group (every file of a kind staged together) as the view stg_raw
 * (file_no, sheet_no, r, c0..cN as text): sheet numbers are unique across the group's files,
 * so each sheet keeps its own column layout, and r is the Excel row of the staged row.
 */
export interface StagedSheet {
  /** Unique within the group. */
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
  sheets: readonly StagedSheet[];
}

export function cellColumn(index: number): string {
  return `c${index}`;
}
