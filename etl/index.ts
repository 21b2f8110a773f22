/**
 * The ETL's public entry: load report files or folders into the warehouse, judging the
 * flags of what each file touched and then sweeping for missing reports. The CLI and the
 * server's upload route both call loadPaths; `etl flags` / `etl policy` call rejudge.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Warehouse } from '../server/db/connect.ts';
import { readStoredPolicyOn } from '../server/policy/policy-store.ts';
import { detectHeader } from './detect/detect-header.ts';
import { inTransaction, sweepMissingReports } from './flags/evaluate.ts';
import { clearJudgeContext, setJudgeContext } from './flags/judge-context.ts';
import { dropJudgeTables } from './flags/judge.ts';
import { loadFile, unreadable, type LoadFileOptions } from './load/load-file.ts';
import type { FileResult, LoadSummary } from './load/load-report.ts';
import { emptyResult } from './load/load-report.ts';
import { openSource, type Source } from './load/open-source.ts';
import { ProgressTracker, type ProgressListener } from './load/progress.ts';
import { isReportFileName } from './read/report-files.ts';
import { LOAD_ORDER } from './reports/report-kind.ts';

export type { FileResult, LoadSummary, RejectEntry } from './load/load-report.ts';
export { emptyResult, exitCode } from './load/load-report.ts';
export type { LoadProgress, LoadPhase, ProgressListener } from './load/progress.ts';
export type { FlagCounts } from './flags/flag-counts.ts';
export { rejudgeAll, sweepMissingReports, inTransaction } from './flags/evaluate.ts';
export type { RejudgeResult } from './flags/evaluate.ts';

export interface LoadOptions {
  dryRun?: boolean;
  /** Who loads (recorded on every batch). */
  user?: string;
  onFile?: (path: string, index: number, total: number) => void;
  onResult?: (result: FileResult) => void;
  /** Files done / total, rows read, elapsed and phase, as the run goes. */
  onProgress?: ProgressListener;
  /** Test hook: runs inside each load transaction just before commit. */
  beforeCommit?: LoadFileOptions['beforeCommit'];
  /** The clock report deadlines are judged by (tests fix it); default: now. */
  now?: Date;
}

async function expand(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => null);
  if (!info?.isDirectory()) return [path];
  const entries = await readdir(path, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && isReportFileName(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort((a, b) => a.localeCompare(b, 'zh-CN'));
}

/**
 * Sources stay open between ordering and loading so no file is scanned, hashed or
 * transcoded twice. A workbook's source holds only its sheets' first rows (its data rows
 * stream when it is loaded), so every source can stay open whatever its size.
 */
interface Planned {
  path: string;
  rank: number;
  source?: Source;
  /** Why the file could not be opened while ordering (it is not opened again). */
  failure?: unknown;
}

/** Folder order of the contract: registry → assignments → the rest, by peeking at headers. */
async function plan(path: string, tempDir: string): Promise<Planned> {
  try {
    const source = await openSource(path, { tempDir });
    const previews = source.format === 'xlsx' ? source.sheets.map((s) => s.rows) : [source.preview];
    const ranks = previews
      .map((rows) => detectHeader(rows))
      .map((m) => (m ? LOAD_ORDER[m.kind] : 9));
    const rank = Math.min(9, ...ranks);
    return { path, rank, source };
  } catch (failure) {
    return { path, rank: 9, failure };
  }
}

export async function orderPaths(inputs: readonly string[], tempDir: string): Promise<Planned[]> {
  const out: Planned[] = [];
  for (const input of inputs) {
    const files = await expand(input);
    if (files.length <= 1 || files[0] === input) {
      out.push(...files.map((path) => ({ path, rank: 0 })));
      continue;
    }
    const planned: Planned[] = [];
    for (const f of files) planned.push(await plan(f, tempDir));
    planned.sort((a, b) => a.rank - b.rank);
    out.push(...planned);
  }
  return out;
}

export async function loadPaths(
  warehouse: Warehouse,
  inputs: readonly string[],
  options: LoadOptions = {},
): Promise<LoadSummary> {
  const conn: DuckDBConnection = await warehouse.connect();
  const summary: LoadSummary = { dryRun: options.dryRun ?? false, files: [] };
  let planned: Planned[] = [];
  let next = 0;
  try {
    // One policy for the whole run: the warehouse's (a first real load stores the default).
    const { policy } = await readStoredPolicyOn(conn, { storeDefault: !summary.dryRun });
    const judge = { policy, now: options.now ?? new Date() };
    setJudgeContext(conn, judge);
    planned = await orderPaths(inputs, warehouse.tempDir);
    const progress = new ProgressTracker(planned.length, options.onProgress);
    for (const [index, { path, source, failure }] of planned.entries()) {
      next = index + 1; // loadFile disposes this source from here on
      options.onFile?.(path, index, planned.length);
      progress.enter('reading', path);
      const exists = await stat(path).catch(() => null);
      const fileOptions = {
        user: options.user ?? 'etl',
        tempDir: warehouse.tempDir,
        dryRun: summary.dryRun,
        beforeCommit: options.beforeCommit,
      };
      const results = !exists
        ? [{ ...emptyResult(path, null), error: `文件不存在 / file not found` }]
        : failure !== undefined
          ? [unreadable(path, failure)]
          : await loadFile(conn, path, fileOptions, source);
      for (const r of results) {
        summary.files.push(r);
        options.onResult?.(r);
      }
      progress.addRows(results.reduce((n, r) => n + r.rowsRead, 0));
      progress.finishFiles(1);
    }
    // Files that could not be read at all changed nothing: a run of them (a hostile upload,
    // say) costs no sweep of the whole warehouse; the server sweeps hourly anyway.
    const reachedWarehouse = summary.files.some((f) => f.error === undefined || f.unitsLoaded > 0);
    if (!summary.dryRun && reachedWarehouse) {
      progress.enter('sweeping');
      try {
        const swept = await inTransaction(conn, false, () => sweepMissingReports(conn, judge));
        summary.missingReports = swept.total;
      } catch (error) {
        summary.flagsError = `缺报检查失败，已回滚 / the missing-report sweep failed and was rolled back: ${(error as Error).message}`;
      }
    }
    progress.enter('done');
  } finally {
    clearJudgeContext(conn);
    await dropJudgeTables(conn);
    // Sources opened for ordering but never loaded (an earlier file threw) hold temp files.
    for (const p of planned.slice(next)) await p.source?.dispose();
    conn.closeSync();
  }
  return summary;
}
