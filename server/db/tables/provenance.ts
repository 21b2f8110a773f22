/** Columns every loaded fact row carries so a figure can be traced to its file and row. */
export interface Provenance {
  batch_id: number;
  source_sheet: string | null;
  source_row: number | null;
}
