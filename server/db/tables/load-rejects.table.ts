import type { Selectable } from 'kysely';

/** Every invalid value, with the position a clerk needs to fix it. */
export interface LoadRejectsTable {
  batch_id: number;
  sheet: string | null;
  /** Row number as Excel shows it. */
  row_number: number | null;
  column_name: string | null;
  value: string | null;
  reason_code: string;
  reason_zh: string;
  reason_en: string;
  /** The row's school code (or the school its name resolves to); null when it has none. */
  school_code: string | null;
  /** The registry's name of the school, else the row's 学校名称. */
  school_name: string | null;
}
export type LoadReject = Selectable<LoadRejectsTable>;
