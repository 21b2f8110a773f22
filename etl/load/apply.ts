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
  // Each unit with the batch replacing its warehouse rows: the file's, or in a group the
  // first file holding it (in turn, each later file of the group replaces the one before).
  const units = single
    ? `(SELECT DISTINCT ${keys}, apply_batch FROM ${rows})`
    : `(SELECT * EXCLUDE (file_no, next_batch, first_holder) FROM stg_holders WHERE first_holder)`;
  if (!single) for (const statement of groupVersionsSql(plan, keys)) await conn.run(statement);
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

/**
 * A group's versions that never reach the table: in turn, every file holding a unit but
 * the last would have been loaded and then replaced by the next one holding it, so their
 * rows go to row_versions as that file's replaced rows (columns as the table's, in the
 * plan's order). Leaves stg_holders (unit, file_no, apply_batch of its first holder).
 */
function groupVersionsSql(plan: ApplyPlan, keys: string): string[] {
  const unitCols = plan.unitColumns.map(([col]) => ident(col)).join(', ');
  const [school, period] = plan.unitColumns;
  const fields = plan.values.map(([col, expr]) => `${ident(col)} := a.${expr}`);
  const json = `to_json(struct_pack(${fields.join(', ')}, batch_id := f.batch_id,
    source_sheet := ss.name, source_row := a.r))`;
  const onUnit = plan.unitColumns.map(([col, expr]) => `h.${ident(col)} = a.${expr}`).join(' AND ');
  return [
    `CREATE OR REPLACE TEMP TABLE stg_holders AS
      SELECT h.*, f.batch_id AS apply_batch,
        lead(f.batch_id) OVER (PARTITION BY ${unitCols} ORDER BY h.file_no) AS next_batch,
        row_number() OVER (PARTITION BY ${unitCols} ORDER BY h.file_no) = 1 AS first_holder
      FROM (SELECT DISTINCT ${keys}, file_no FROM ${ACCEPTED_ROWS}) h
      JOIN stg_files f ON f.file_no = h.file_no`,
    `INSERT INTO row_versions
      (table_name, school_code, month, batch_id, source_sheet, source_row, row_json, superseded_by)
    SELECT ${lit(plan.table)}, a.${school![1]}::VARCHAR, ${period ? `a.${period[1]}::VARCHAR` : 'NULL'},
      f.batch_id, ss.name, a.r, ${json}, h.next_batch
    FROM ${ACCEPTED_ROWS} a JOIN stg_files f ON f.file_no = a.file_no
    LEFT JOIN stg_sheets ss ON ss.sheet_no = a.sheet_no
    JOIN stg_holders h ON ${onUnit} AND h.file_no = a.file_no
    WHERE h.next_batch IS NOT NULL`,
  ];
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
