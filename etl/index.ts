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
import { dropJudgeTables } from './flags/judge.ts';
import { shortMessage } from '../server/db/engine-errors.ts';
import { keepAndRecordOriginal } from '../server/db/originals.ts';
import { RejectBudget, type RejectSink } from './load/group-rejects.ts';
import { loadGroup } from './load/load-group.ts';
import { KIND_ORDER, planUnits, unreadable, type LoadUnit } from './load/load-unit.ts';
import type { FileResult, LoadSummary } from './load/load-report.ts';
import {
  findUnchanged,
  recordUnchanged,
  REJECTS_DEPEND_ON,
  type UnchangedBatch,
} from './load/unchanged.ts';
import { emptyResult } from './load/load-report.ts';
import { openSource, type Source } from './load/open-source.ts';
import { ProgressTracker, type ProgressListener } from './load/progress.ts';
import { isReportFileName } from './read/report-files.ts';
import { LOAD_ORDER, type ReportKind } from './reports/report-kind.ts';

export type { FileResult, LoadSummary, RejectEntry } from './load/load-report.ts';
export { emptyResult, exitCode } from './load/load-report.ts';
export type { LoadProgress, LoadPhase, ProgressListener } from './load/progress.ts';
export type { FlagCounts } from './flags/flag-counts.ts';
export { rejudgeAll, sweepMissingReports, inTransaction } from './flags/evaluate.ts';
export type { RejudgeResult } from './flags/evaluate.ts';
export { judgeFilingSemester } from './flags/filing-flags.ts';

export interface LoadOptions {
  dryRun?: boolean;
  /**
   * Load files even when newer files replaced their units since they were loaded (without
   * it such a file is refused with a `conflict`; load/unit-changes.ts).
   */
  force?: boolean;
  /** Who loads (recorded on every batch). */
  user?: string;
  onFile?: (path: string, index: number, total: number) => void;
  onResult?: (result: FileResult) => void;
  /** Files done / total, rows read, elapsed and phase, as the run goes. */
  onProgress?: ProgressListener;
  /** Test hook: runs inside each load transaction just before commit. */
  beforeCommit?: () => void | Promise<void>;
  /** Collects every reject as CSV parts (`etl load --rejects`). */
  rejectSink?: RejectSink;
  /** The clock report deadlines are judged by (tests fix it); default: now. */
  now?: Date;
  /**
   * A school's own upload (学校填报员): any row of another school is rejected with its
   * reason and the rest of the file loads (load/review-guards.ts).
   */
  onlySchool?: string;
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
    // A few files at a time: hashing and CSV scans here overlap the workbook reader's thread.
    const planned: Planned[] = new Array<Planned>(files.length);
    let next = 0;
    const worker = async () => {
      while (next < files.length) {
        const i = next++;
        planned[i] = await plan(files[i]!, tempDir);
      }
    };
    await Promise.all(Array.from({ length: Math.min(OPEN_AT_ONCE, files.length) }, worker));
    planned.sort((a, b) => a.rank - b.rank);
    out.push(...planned);
  }
  return out;
}

/** Files opened at once while ordering a folder. */
const OPEN_AT_ONCE = 4;

/** Groups stay small enough to stage at once: a few hundred files or so many bytes. */
const GROUP_MAX_UNITS = 256;
const GROUP_MAX_BYTES = 32 * 1024 * 1024;

/**
 * The groups a run loads, in order. Units of different kinds only depend on the registry
 * (its schools validate every other kind), so between registry units the others are
 * gathered by kind; a registry unit closes what came before it, as it did in file order.
 */
export function groupUnits(
  units: readonly LoadUnit[],
  sizeOf: (unit: LoadUnit) => number = () => 0,
): LoadUnit[][] {
  const groups: LoadUnit[][] = [];
  let pending: LoadUnit[] = [];
  const push = (kindUnits: readonly LoadUnit[]) => {
    let group: LoadUnit[] = [];
    let bytes = 0;
    for (const u of kindUnits) {
      const size = sizeOf(u);
      if (group.length > 0 && (group.length >= GROUP_MAX_UNITS || bytes + size > GROUP_MAX_BYTES)) {
        groups.push(group);
        group = [];
        bytes = 0;
      }
      group.push(u);
      bytes += size;
    }
    if (group.length > 0) groups.push(group);
  };
  const flush = () => {
    for (const kind of KIND_ORDER) push(pending.filter((u) => u.kind === kind));
    pending = [];
  };
  let registry: LoadUnit[] = [];
  for (const unit of units) {
    if (unit.kind === 'registry') {
      flush();
      registry.push(unit);
    } else {
      push(registry);
      registry = [];
      pending.push(unit);
    }
  }
  push(registry);
  flush();
  return groups;
}

export async function loadPaths(
  warehouse: Warehouse,
  inputs: readonly string[],
  options: LoadOptions = {},
): Promise<LoadSummary> {
  const conn: DuckDBConnection = await warehouse.connect();
  const summary: LoadSummary = { dryRun: options.dryRun ?? false, files: [] };
  let planned: Planned[] = [];
  const open = new Map<number, Source>();
  const dispose = async (index: number) => {
    const source = open.get(index);
    open.delete(index);
    await source?.dispose();
  };
  // A file that reached the warehouse (a batch) is kept whole in the originals store, so its
  // figures can be traced to the exact file (数据来源). After the commit: a load that rolled
  // back keeps nothing; a failing keep costs the download, never the load.
  const keepOriginal = async (index: number, results: readonly FileResult[]) => {
    const source = open.get(index);
    if (!source || summary.dryRun || !results.some((r) => r.batchId !== undefined)) return;
    try {
      await keepAndRecordOriginal(warehouse, conn, source.path, source.sha256);
    } catch (error) {
      const last = results.at(-1)!;
      const detail = shortMessage(error);
      last.warnings = [
        ...(last.warnings ?? []),
        `原件未能保存，无法下载：${detail} / the original could not be kept for download: ${detail}`,
      ];
    }
  };
  try {
    // One policy for the whole run: the warehouse's (a first real load stores the default).
    const { policy } = await readStoredPolicyOn(conn, { storeDefault: !summary.dryRun });
    const judge = { policy, now: options.now ?? new Date() };
    planned = await orderPaths(inputs, warehouse.tempDir);
    for (const [index, p] of planned.entries()) if (p.source) open.set(index, p.source);
    const progress = new ProgressTracker(planned.length, options.onProgress);
    const fileOptions = { user: options.user ?? 'etl', dryRun: summary.dryRun };
    const byFile: FileResult[][] = planned.map(() => []);
    const sizes = new Map<number, number>();
    const report = (index: number, results: readonly FileResult[]) => {
      for (const r of results) {
        byFile[index]!.push(r);
        options.onResult?.(r);
      }
    };

    // Every file is opened and its units planned from the header previews first.
    for (const [index, { path, failure }] of planned.entries()) {
      options.onFile?.(path, index, planned.length);
      progress.enter('reading', path);
      const info = await stat(path).catch(() => null);
      sizes.set(index, info?.size ?? -1);
      if (!info) {
        await dispose(index);
        report(index, [{ ...emptyResult(path, null), error: `文件不存在 / file not found` }]);
      } else if (failure !== undefined) {
        report(index, [unreadable(path, failure)]);
      } else if (!open.has(index)) {
        try {
          open.set(index, await openSource(path, { tempDir: warehouse.tempDir }));
        } catch (error) {
          report(index, [unreadable(path, error)]);
        }
      }
      if (!open.has(index)) progress.finishFiles(1);
    }
    const unchangedBySha = await findUnchanged(
      conn,
      [...open.values()].map((s) => s.sha256),
    );
    const units: LoadUnit[] = [];
    const outstanding = new Map<number, number>();
    const scheduled = new Set<ReportKind>();
    for (const [index, { path }] of planned.entries()) {
      const source = open.get(index);
      if (!source) continue;
      // A file already loaded is skipped, unless an earlier file of this run loads the same
      // kind (that one may replace the file's units, which must then be loaded again after
      // it) or, when it had rejects, a registry or assignments file they were judged against.
      const unchanged = unchangedBySha.get(source.sha256);
      const respoiled = (b: UnchangedBatch) =>
        scheduled.has(b.kind) || (b.rejected && REJECTS_DEPEND_ON.some((k) => scheduled.has(k)));
      if (unchanged && !unchanged.some(respoiled)) {
        const results = await recordUnchanged(conn, path, source.sha256, unchanged, fileOptions);
        await keepOriginal(index, results);
        report(index, results);
        await dispose(index);
        progress.finishFiles(1);
        continue;
      }
      const plan = planUnits(source, index);
      report(index, plan.failed);
      if (plan.units.length === 0) {
        await dispose(index);
        progress.finishFiles(1);
        continue;
      }
      for (const u of plan.units) scheduled.add(u.kind);
      units.push(...plan.units);
      outstanding.set(index, plan.units.length);
    }

    const groupOptions = {
      ...fileOptions,
      force: options.force ?? false,
      ...(options.onlySchool !== undefined ? { onlySchool: options.onlySchool } : {}),
      rejectBudget: new RejectBudget(),
      ...(options.rejectSink ? { rejectSink: options.rejectSink } : {}),
      judge,
      progress,
      ...(options.beforeCommit ? { beforeCommit: options.beforeCommit } : {}),
    };
    const runGroup = async (group: readonly LoadUnit[]): Promise<FileResult[]> => {
      const kind = group[0]!.kind;
      try {
        return await loadGroup(conn, kind, group, groupOptions);
      } catch (error) {
        // The group rolled back: its files load one by one, so only a failing one fails.
        if (group.length > 1) {
          const results: FileResult[] = [];
          for (const unit of group) results.push(...(await runGroup([unit])));
          return results;
        }
        const detail = shortMessage(error);
        const unit = group[0]!;
        return [
          {
            ...emptyResult(unit.path, kind),
            sheets: unit.sheets.map((s) => s.name),
            error: `仓库写入失败，已回滚，数据未改变：${detail} / warehouse error, rolled back, nothing changed: ${detail}`,
            warehouseError: true,
          },
        ];
      }
    };
    for (const group of groupUnits(units, (u) => sizes.get(u.fileIndex) ?? 0)) {
      const results = await runGroup(group);
      for (const [i, unit] of group.entries()) {
        report(unit.fileIndex, [results[i]!]);
        const left = (outstanding.get(unit.fileIndex) ?? 1) - 1;
        outstanding.set(unit.fileIndex, left);
        if (left === 0) {
          await keepOriginal(unit.fileIndex, byFile[unit.fileIndex]!);
          await dispose(unit.fileIndex);
          progress.finishFiles(1);
        }
      }
    }
    summary.files = byFile.flat();

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
    await dropJudgeTables(conn);
    // Sources opened but never loaded (an earlier step threw) hold temp files.
    for (const index of [...open.keys()]) await dispose(index);
    conn.closeSync();
  }
  return summary;
}
