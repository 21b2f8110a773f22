/**
 * Lineage (数据来源): a loaded unit's earlier versions and the originals of loaded files.
 *
 * `row_versions` keeps every fact row a later load replaced, as it was (its columns as a
 * JSON object, with its own batch, sheet and row), and the batch that replaced it, so a
 * figure's history reads old → new. Written by the ETL in the same transaction as the
 * replacing insert (etl/load/apply.ts), never updated.
 *
 * `load_batches.original_bytes` is the size of the file's bytes kept in the originals store
 * (server/db/originals.ts, content-addressed by `sha256`); null when the original was not
 * kept (loaded before this migration, or removed after the retention period).
 */
import type { Migration } from '../migrate.ts';

export const rowVersionsAndOriginals: Migration = {
  version: 8,
  name: 'replaced row versions and kept originals',
  statements: [
    `CREATE TABLE row_versions (
      table_name VARCHAR NOT NULL,
      school_code VARCHAR,
      month VARCHAR,
      batch_id INTEGER NOT NULL,
      source_sheet VARCHAR,
      source_row INTEGER,
      row_json JSON NOT NULL,
      superseded_by INTEGER NOT NULL,
      superseded_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
    )`,
    `ALTER TABLE load_batches ADD COLUMN original_bytes BIGINT`,
  ],
};
