/**
 * A byte-identical file is a no-op when every batch it produced is still wholly current
 * (no later file replaced any of its units) and rejected nothing (a registry loaded since
 * could make rejected units valid now).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { lit } from '../normalize/sql-text.ts';
import { programFor } from '../reports/programs.ts';
import type { ReportKind } from '../reports/report-kind.ts';

export interface UnchangedBatch {
  kind: ReportKind;
  batchId: number;
}

export async function findUnchanged(
  conn: DuckDBConnection,
  sha256: string,
): Promise<UnchangedBatch[] | null> {
  const reader = await conn.runAndReadAll(`SELECT kind, arg_max(batch_id, batch_id) AS batch_id,
      arg_max(rows_loaded, batch_id) AS rows_loaded, arg_max(units_rejected, batch_id) AS units_rejected
    FROM load_batches WHERE sha256 = ${lit(sha256)} AND status = 'loaded' GROUP BY kind`);
  const batches = reader.getRowObjectsJS();
  if (batches.length === 0) return null;
  const result: UnchangedBatch[] = [];
  for (const b of batches) {
    if (Number(b.units_rejected) !== 0) return null;
    const kind = String(b.kind) as ReportKind;
    const batchId = Number(b.batch_id);
    const current = await conn.runAndReadAll(programFor(kind).countSql(batchId));
    if (Number(current.getRowObjectsJS()[0]?.n) !== Number(b.rows_loaded)) return null;
    result.push({ kind, batchId });
  }
  return result;
}
