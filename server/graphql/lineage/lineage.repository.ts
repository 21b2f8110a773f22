/**
 * Lineage reads: whether a school-month is within the viewer's remit, the rows a table holds
 * for it now and the versions later loads replaced (row_versions), each with its batch.
 * Rows travel as JSON objects of their columns (`to_json` of the row), the same shape
 * row_versions keeps, so current and replaced rows compare column by column.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { SourceTable } from '../__generated__/resolvers-types.ts';
import { withScope, type ScopeRequest } from '../scope/scope.ts';

/** Most rows of one table for one school-month (a survey has one per response). */
export const MAX_CURRENT_ROWS = 200;
/** Most replaced rows read for one school-month, newest first. */
export const MAX_HISTORY_ROWS = 300;

/** The warehouse table behind each SourceTable (also row_versions.table_name). */
export const WAREHOUSE_TABLE: Readonly<Record<SourceTable, string>> = {
  MONTHLY_REPORTS: 'monthly_reports',
  PARTICIPATION: 'participation',
  SCHOOLS: 'schools',
  SURVEY_RESPONSES: 'survey_responses',
};

/** A batch as lineage shows it. */
export interface BatchColumns {
  batch_id: number;
  file_name: string | null;
  loaded_by: string | null;
  loaded_ms: number | bigint | null;
  sha256: string | null;
  original_bytes: number | bigint | null;
}

export interface SourceRowRecord extends BatchColumns {
  source_sheet: string | null;
  source_row: number | null;
  /** The row's columns as a JSON object. */
  row_json: string;
}

export interface VersionRecord extends SourceRowRecord {
  superseded_by: number;
  replaced_by_file: string | null;
  replaced_ms: number | bigint;
}

/** True when the school is in the viewer's scope in the month (open, and theirs). */
export async function inRemit(db: Kysely<Database>, request: ScopeRequest): Promise<boolean> {
  const result = await sql<{ n: number | bigint }>`${withScope(request)}
    SELECT count(*) AS n FROM scope`.execute(db);
  return Number(result.rows[0]?.n ?? 0) > 0;
}

const BATCH_SELECT = sql`b.file_name, b.loaded_by, epoch_ms(b.loaded_at) AS loaded_ms, b.sha256,
  b.original_bytes`;

/** The unit's rows of `table`: the registry row is the school's, not the month's. */
function unitWhere(
  table: SourceTable,
  alias: string,
  schoolCode: string,
  month: string,
): RawBuilder<unknown> {
  const t = sql.ref(alias);
  return table === 'SCHOOLS'
    ? sql`${t}.school_code = ${schoolCode}`
    : sql`${t}.school_code = ${schoolCode} AND ${t}.month = ${month}`;
}

function currentOrder(table: SourceTable): RawBuilder<unknown> {
  switch (table) {
    case 'PARTICIPATION':
      return sql`r.grade`;
    case 'SURVEY_RESPONSES':
      return sql`r.batch_id, r.response_no`;
    default:
      return sql`r.batch_id`;
  }
}

export async function currentRows(
  db: Kysely<Database>,
  table: SourceTable,
  schoolCode: string,
  month: string,
): Promise<SourceRowRecord[]> {
  const result = await sql<SourceRowRecord>`
    SELECT r.batch_id, r.source_sheet, r.source_row, to_json(r)::VARCHAR AS row_json, ${BATCH_SELECT}
    FROM ${sql.table(WAREHOUSE_TABLE[table])} r
    LEFT JOIN load_batches b ON b.batch_id = r.batch_id
    WHERE ${unitWhere(table, 'r', schoolCode, month)}
    ORDER BY ${currentOrder(table)}
    LIMIT ${MAX_CURRENT_ROWS}`.execute(db);
  return result.rows;
}

export async function replacedRows(
  db: Kysely<Database>,
  table: SourceTable,
  schoolCode: string,
  month: string,
): Promise<VersionRecord[]> {
  const result = await sql<VersionRecord>`
    SELECT v.batch_id, v.source_sheet, v.source_row, v.row_json::VARCHAR AS row_json, ${BATCH_SELECT},
      v.superseded_by, nb.file_name AS replaced_by_file, epoch_ms(v.superseded_at) AS replaced_ms
    FROM row_versions v
    LEFT JOIN load_batches b ON b.batch_id = v.batch_id
    LEFT JOIN load_batches nb ON nb.batch_id = v.superseded_by
    WHERE v.table_name = ${WAREHOUSE_TABLE[table]} AND ${unitWhere(table, 'v', schoolCode, month)}
    ORDER BY v.superseded_by DESC, v.superseded_at DESC, v.source_row
    LIMIT ${MAX_HISTORY_ROWS}`.execute(db);
  return result.rows;
}
