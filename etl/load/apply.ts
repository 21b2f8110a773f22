import type { DuckDBConnection } from '@duckdb/node-api';
import { ident } from '../normalize/sql-text.ts';
import { ACCEPTED_ROWS } from './accepted-rows.ts';
import type { ApplyPlan } from './apply-plan.ts';

/**
 * Replaces every accepted unit: its earlier rows go, the new rows come with their batch,
 * sheet and row. Returns the number of rows inserted (checked against the unit counts).
 */
export async function applyPlan(
  conn: DuckDBConnection,
  plan: ApplyPlan,
  batchId: number,
): Promise<number> {
  const table = ident(plan.table);
  const keys = plan.unitColumns.map(([col, expr]) => `${expr} AS ${ident(col)}`).join(', ');
  const match = plan.unitColumns.map(([col]) => `t.${ident(col)} = a.${ident(col)}`).join(' AND ');
  await conn.run(
    `DELETE FROM ${table} t USING (SELECT DISTINCT ${keys} FROM ${ACCEPTED_ROWS}) a WHERE ${match}`,
  );
  const cols = [...plan.values.map(([c]) => ident(c)), 'batch_id', 'source_sheet', 'source_row'];
  const exprs = [...plan.values.map(([, e]) => `a.${e}`), String(batchId), 'ss.name', 'a.r'];
  const inserted = await conn.run(`INSERT INTO ${table} (${cols.join(', ')})
    SELECT ${exprs.join(', ')} FROM ${ACCEPTED_ROWS} a LEFT JOIN stg_sheets ss ON ss.sheet_no = a.sheet_no`);
  for (const statement of plan.after?.(batchId) ?? []) await conn.run(statement);
  return Number(inserted.rowsChanged);
}
