import type { DuckDBConnection } from '@duckdb/node-api';
import { ident, lit } from '../normalize/sql-text.ts';
import { ACCEPTED_ROWS, countByBatchSql } from './accepted-rows.ts';
import type { ApplyPlan } from './apply-plan.ts';
import type { Applied, GroupFile } from './kind-program.ts';

/** Reads [batch_id, n] rows into a map. */
export async function readByBatch(
  conn: DuckDBConnection,
  sql: string,
): Promise<Map<number, number>> {
  const reader = await conn.runAndReadAll(sql);
  return new Map(reader.getRowObjectsJS().map((r) => [Number(r.batch_id), Number(r.n)]));
}

/**
 * Replaces every accepted unit of the group's files: its earlier rows go, the rows of the
 * last file of the group holding the unit come with their batch, sheet and row.
 */
export async function applyPlan(
  conn: DuckDBConnection,
  plan: ApplyPlan,
  files: readonly GroupFile[],
): Promise<Applied> {
  const table = ident(plan.table);
  const unitExprs = plan.unitColumns.map(([, expr]) => `a.${expr}`).join(', ');
  // A lone file is inserted straight from stg; in a group the last file holding a unit wins,
  // as if the files were loaded in turn, and the winners are worked out once.
  const single = files.length === 1;
  const rows = single
    ? `(SELECT a.*, ${files[0]!.batchId} AS apply_batch FROM ${ACCEPTED_ROWS} a)`
    : 'stg_apply';
  if (!single)
    await conn.run(`CREATE OR REPLACE TEMP TABLE stg_apply AS
      SELECT a.*, f.batch_id AS apply_batch FROM ${ACCEPTED_ROWS} a
      JOIN stg_files f ON f.file_no = a.file_no
      QUALIFY a.file_no = max(a.file_no) OVER (PARTITION BY ${unitExprs})`);
  const keys = plan.unitColumns.map(([col, expr]) => `${expr} AS ${ident(col)}`).join(', ');
  const match = plan.unitColumns.map(([col]) => `t.${ident(col)} = a.${ident(col)}`).join(' AND ');
  // Each unit with the batch replacing it (one per unit: a group's winner was picked above).
  const units = `(SELECT DISTINCT ${keys}, apply_batch FROM ${rows})`;
  await conn.run(keepVersionsSql(plan, units, match));
  await conn.run(`DELETE FROM ${table} t USING ${units} a WHERE ${match}`);
  const cols = [...plan.values.map(([c]) => ident(c)), 'batch_id', 'source_sheet', 'source_row'];
  const exprs = [...plan.values.map(([, e]) => `a.${e}`), 'a.apply_batch', 'ss.name', 'a.r'];
  const inserted = await conn.run(`INSERT INTO ${table} (${cols.join(', ')})
    SELECT ${exprs.join(', ')} FROM ${rows} a LEFT JOIN stg_sheets ss ON ss.sheet_no = a.sheet_no`);
  const batchIds = files.map((f) => f.batchId);
  for (const statement of plan.after?.(batchIds) ?? []) await conn.run(statement);
  const count = Number(inserted.rowsChanged);
  const byBatch = single
    ? new Map([[files[0]!.batchId, count]])
    : await readByBatch(conn, countByBatchSql('stg_apply', 'apply_batch'));
  return { inserted: count, byBatch };
}

/**
 * Copies the rows a load is about to delete into row_versions (whole, as JSON, with their
 * own provenance and the batch replacing them), so a figure's history reads old → new
 * (数据来源). Same transaction as the delete; the first unit column is the school, the
 * second (when there is one) the month.
 */
function keepVersionsSql(plan: ApplyPlan, units: string, match: string): string {
  const [school, period] = plan.unitColumns;
  const month = period ? `t.${ident(period[0])}::VARCHAR` : 'NULL';
  return `INSERT INTO row_versions
      (table_name, school_code, month, batch_id, source_sheet, source_row, row_json, superseded_by)
    SELECT ${lit(plan.table)}, t.${ident(school![0])}::VARCHAR, ${month}, t.batch_id,
      t.source_sheet, t.source_row, to_json(t), a.apply_batch
    FROM ${ident(plan.table)} t JOIN ${units} a ON ${match}`;
}

/** The held-units SELECT of a plan (KindProgram.heldUnitsSql): its first unit column is the school. */
export function heldUnitsSql(plan: ApplyPlan): string {
  const [school, period] = plan.unitColumns;
  const match = plan.unitColumns.map(([col, expr]) => `t.${ident(col)} = a.${expr}`).join(' AND ');
  return `SELECT DISTINCT a.file_no, a.${school![1]}::VARCHAR AS school_code,
      ${period ? `a.${period[1]}::VARCHAR` : 'NULL::VARCHAR'} AS month, t.batch_id
    FROM ${ACCEPTED_ROWS} a
    LEFT JOIN (SELECT DISTINCT ${plan.unitColumns.map(([c]) => ident(c)).join(', ')}, batch_id
      FROM ${ident(plan.table)}) t ON ${match}`;
}
