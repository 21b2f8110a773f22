import type { Generated, Selectable } from 'kysely';

/**
 * A fact row a later load replaced, kept whole so a figure's history reads old → new
 * (migration 0008). `row_json` holds the replaced row's columns (provenance included).
 */
export interface RowVersionsTable {
  /** The loaded table the row was in, e.g. monthly_reports, participation. */
  table_name: string;
  school_code: string | null;
  month: string | null;
  /** The batch that had loaded the replaced row. */
  batch_id: number;
  source_sheet: string | null;
  source_row: number | null;
  row_json: string;
  /** The batch whose load replaced it. */
  superseded_by: number;
  superseded_at: Generated<string | Date>;
}
export type RowVersion = Selectable<RowVersionsTable>;
