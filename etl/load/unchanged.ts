/**
 * A byte-identical file is a no-op when every batch it produced is still wholly current
 * (no later file replaced any of its units) and, if it rejected units, nothing those
 * rejects were judged against has changed since: no registry or assignments file was
 * loaded after it (a school added since could make a rejected unit valid) and no policy
 * was stored after it, and no reviewed unit was unlocked after it.
 */
import { basename } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { emptyResult, type FileResult } from './load-report.ts';
import { lit } from '../normalize/sql-text.ts';
import { programFor } from '../reports/programs.ts';
import { readByBatch } from './apply.ts';
import type { ReportKind } from '../reports/report-kind.ts';

export interface UnchangedBatch {
  kind: ReportKind;
  batchId: number;
  /** It rejected units: a registry or assignments file loaded before it again spoils it. */
  rejected: boolean;
}

/** The kinds a load's rejects are judged against (besides the policy). */
export const REJECTS_DEPEND_ON: readonly ReportKind[] = ['registry', 'assignments'];

/**
 * The unchanged files among `sha256s`: for each, its current batches. One query for the
 * batches and one count per table, whatever the number of files.
 */
export async function findUnchanged(
  conn: DuckDBConnection,
  sha256s: readonly string[],
): Promise<Map<string, UnchangedBatch[]>> {
  const found = new Map<string, UnchangedBatch[]>();
  if (sha256s.length === 0) return found;
  const reader =
    await conn.runAndReadAll(`SELECT sha256, kind, arg_max(batch_id, batch_id) AS batch_id,
      arg_max(rows_loaded, batch_id) AS rows_loaded, arg_max(units_rejected, batch_id) AS units_rejected,
      (SELECT max(d.batch_id) FROM load_batches d
        WHERE d.kind IN (${REJECTS_DEPEND_ON.map(lit).join(', ')}) AND d.status = 'loaded') AS dependency_batch,
      arg_max(loaded_at, batch_id) < (SELECT max(p.loaded_at) FROM policy_files p) AS policy_since,
      arg_max(loaded_at, batch_id) < (SELECT max(v.occurred_at) FROM unit_review_events v
        WHERE v.action = 'UNLOCK') AS unlock_since
    FROM load_batches WHERE sha256 IN (${[...new Set(sha256s)].map(lit).join(', ')}) AND status = 'loaded'
    GROUP BY sha256, kind`);
  const batches = reader.getRowObjectsJS().map((b) => ({
    sha256: String(b.sha256),
    kind: String(b.kind) as ReportKind,
    batchId: Number(b.batch_id),
    rowsLoaded: Number(b.rows_loaded),
    rejected: Number(b.units_rejected) !== 0,
    dependencySince:
      Number(b.dependency_batch ?? 0) > Number(b.batch_id) ||
      b.policy_since === true ||
      // A unit it was refused as locked may have been unlocked since (issue 17).
      b.unlock_since === true,
  }));
  const tables = new Map<string, number[]>();
  for (const b of batches) {
    const table = programFor(b.kind).countTable;
    tables.set(table, [...(tables.get(table) ?? []), b.batchId]);
  }
  const held = new Map<number, number>();
  for (const [table, ids] of tables) {
    const counts = await readByBatch(
      conn,
      `SELECT batch_id, count(*)::INTEGER AS n FROM ${table} WHERE batch_id IN (${ids.join(', ')}) GROUP BY batch_id`,
    );
    for (const [id, n] of counts) held.set(id, n);
  }
  const spoiled = new Set<string>();
  for (const b of batches) {
    if ((b.rejected && b.dependencySince) || (held.get(b.batchId) ?? 0) !== b.rowsLoaded)
      spoiled.add(b.sha256);
    else
      found.set(b.sha256, [
        ...(found.get(b.sha256) ?? []),
        { kind: b.kind, batchId: b.batchId, rejected: b.rejected },
      ]);
  }
  for (const sha of spoiled) found.delete(sha);
  return found;
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
