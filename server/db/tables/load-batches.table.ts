import type { Generated, Selectable } from 'kysely';

/** One row per file (and report kind) the ETL processed: the provenance of every loaded row. */
export interface LoadBatchesTable {
  batch_id: number;
  file_name: string;
  file_path: string;
  /** sha256 of the file's bytes; a byte-identical reload is a no-op. */
  sha256: string;
  kind: string;
  /** Sheet names the rows came from, comma separated (null for CSV). */
  sheets: string | null;
  status: 'loaded' | 'unchanged';
  loaded_by: string;
  loaded_at: Generated<string>;
  rows_read: number;
  rows_skipped: number;
  rows_loaded: number;
  rows_rejected: number;
  units_loaded: number;
  units_rejected: number;
  /** Size of the original kept in the originals store; null when not kept (migration 0008). */
  original_bytes: Generated<number | null>;
}
export type LoadBatch = Selectable<LoadBatchesTable>;
