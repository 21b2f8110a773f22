/**
 * The load history: load_batches newest first and load_rejects in file order. A page of
 * batches is one statement (its total included) and the rejects of every batch on it
 * another, whatever the page size.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';

export interface LoadBatchRow {
  batch_id: number;
  file_name: string;
  kind: string;
  /** Comma separated, in workbook order; null for a batch recorded as unchanged. */
  sheets: string | null;
  status: 'loaded' | 'unchanged';
  loaded_by: string;
  /** loaded_at as milliseconds since the epoch (BIGINT). */
  loaded_ms: number | bigint;
  rows_read: number;
  rows_skipped: number;
  rows_loaded: number;
  rows_rejected: number;
  units_loaded: number;
  units_rejected: number;
}

// file_path (a server temp path for uploads) and sha256 stay in the warehouse.
const BATCH_COLUMNS = sql`b.batch_id, b.file_name, b.kind, b.sheets, b.status, b.loaded_by,
  epoch_ms(b.loaded_at) AS loaded_ms, b.rows_read, b.rows_skipped, b.rows_loaded,
  b.rows_rejected, b.units_loaded, b.units_rejected`;

/** Batches of one user only (a school's reporter reads what they loaded); null: all. */
export interface BatchOwner {
  loadedBy: string;
}

const ownedBy = (owner: BatchOwner | null) =>
  owner === null ? sql`TRUE` : sql`b.loaded_by = ${owner.loadedBy}`;

type PageRow = Omit<LoadBatchRow, 'batch_id'> & { batch_id: number | null; total: number };

/**
 * One page of batches, newest first (loaded_at, then batch_id, descending), with the total.
 * The total is its own subquery joined to the page, so a page past the end still has it.
 */
export async function loadBatchPage(
  db: Kysely<Database>,
  page: { limit: number; offset: number },
  owner: BatchOwner | null = null,
): Promise<{ total: number; rows: LoadBatchRow[] }> {
  const result = await sql<PageRow>`WITH page AS (
      SELECT ${BATCH_COLUMNS}, b.loaded_at FROM load_batches b
      WHERE ${ownedBy(owner)}
      ORDER BY b.loaded_at DESC, b.batch_id DESC
      LIMIT ${page.limit} OFFSET ${page.offset})
    SELECT (SELECT count(*) FROM load_batches b WHERE ${ownedBy(owner)})::INTEGER AS total,
      p.* EXCLUDE (loaded_at)
    FROM (SELECT 1) AS one LEFT JOIN page p ON TRUE
    ORDER BY p.loaded_at DESC, p.batch_id DESC`.execute(db);
  const rows = result.rows.filter((r): r is PageRow & LoadBatchRow => r.batch_id !== null);
  return { total: result.rows[0]?.total ?? 0, rows };
}

export async function loadBatchById(
  db: Kysely<Database>,
  batchId: number,
  owner: BatchOwner | null = null,
): Promise<LoadBatchRow | null> {
  const result = await sql<LoadBatchRow>`SELECT ${BATCH_COLUMNS} FROM load_batches b
    WHERE b.batch_id = ${batchId} AND ${ownedBy(owner)}`.execute(db);
  return result.rows[0] ?? null;
}

export interface LoadRejectRow {
  batch_id: number;
  sheet: string | null;
  row_number: number | null;
  column_name: string | null;
  value: string | null;
  reason_code: string;
  reason_zh: string;
  reason_en: string;
}

/**
 * The first `perBatch` rejects of each batch in file order: the sheet's place in the
 * workbook, then the row (file-level rejects first), then the order the ETL recorded them
 * in (it appends a row's rejects as it reports them; the table is append-only).
 */
export async function loadRejects(
  db: Kysely<Database>,
  batchIds: readonly number[],
  perBatch: number,
): Promise<LoadRejectRow[]> {
  if (batchIds.length === 0) return [];
  const result = await sql<LoadRejectRow>`SELECT batch_id, sheet, row_number, column_name,
      value, reason_code, reason_zh, reason_en
    FROM (
      SELECT r.*, row_number() OVER (PARTITION BY r.batch_id ORDER BY
          coalesce(list_position(string_split(b.sheets, ','), r.sheet), 0),
          r.row_number NULLS FIRST, r.rowid) AS pos
      FROM load_rejects r JOIN load_batches b ON b.batch_id = r.batch_id
      WHERE r.batch_id IN (${sql.join(batchIds.map((id) => sql`${id}`))}))
    WHERE pos <= ${perBatch}
    ORDER BY batch_id, pos`.execute(db);
  return result.rows;
}
