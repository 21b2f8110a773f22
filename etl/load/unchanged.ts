/**
 * A byte-identical file is a no-op when every batch it produced is still wholly current
 * (no later file replaced any of its units) and rejected nothing (a registry loaded since
 * could make rejected units valid now).
 */
import { basename } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { emptyResult, type FileResult } from './load-report.ts';
import { lit } from '../normalize/sql-text.ts';
import { programFor } from '../reports/programs.ts';
import { countSql } from './kind-program.ts';
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
    const current = await conn.runAndReadAll(countSql(programFor(kind), batchId));
    if (Number(current.getRowObjectsJS()[0]?.n) !== Number(b.rows_loaded)) return null;
    result.push({ kind, batchId });
  }
  return result;
}

/** Records an unchanged file: one 'unchanged' batch per kind, pointing at the current one. */
export async function recordUnchanged(
  conn: DuckDBConnection,
  path: string,
  sha256: string,
  batches: readonly UnchangedBatch[],
  options: { user: string; dryRun: boolean },
): Promise<FileResult[]> {
  const results: FileResult[] = [];
  for (const b of batches) {
    if (!options.dryRun) {
      await conn.run(
        `INSERT INTO load_batches (batch_id, file_name, file_path, sha256, kind, status, loaded_by,
          rows_read, rows_skipped, rows_loaded, rows_rejected, units_loaded, units_rejected)
         VALUES (nextval('load_batch_seq'), $1, $2, $3, $4, 'unchanged', $5, 0, 0, 0, 0, 0, 0)`,
        [basename(path), path, sha256, b.kind, options.user],
      );
    }
    results.push({ ...emptyResult(path, b.kind), unchanged: true, batchId: b.batchId });
  }
  return results;
}
