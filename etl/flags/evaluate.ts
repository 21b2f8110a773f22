/**
 * The rules engine's entry points: judge what a load's batches touched (inside the load's
 * transaction), sweep for missing reports, and re-judge everything with the policy in
 * force (`etl flags`, `etl policy`).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ReportKind } from '../reports/report-kind.ts';
import { addFlagCounts, noFlagChanges, type FlagCounts } from './flag-counts.ts';
import { dropJudgeTables, judgeScope, type JudgeOptions } from './judge.ts';
import type { BatchNote, MergeNotes, MergeResult } from './merge-flags.ts';
import { createSweepScope, missingReport } from './missing-reports.ts';

import { ALL_RULES } from './rules/index.ts';
import { createBatchScope, createFullScope } from './touched.ts';

export interface LoadedBatch {
  batchId: number;
  kind: ReportKind;
  fileName: string;
}

function batchNotes(batch: LoadedBatch): BatchNote {
  const where = `批次 ${batch.batchId}，文件 ${batch.fileName}`;
  const what = batch.kind === 'registry' ? '学校名录' : '报告';
  return {
    batchId: batch.batchId,
    fileName: batch.fileName,
    raised: `系统根据导入的${what}发现（${where}）`,
    updated: `${what}（${where}）更新了证据`,
    resolved: `更正后的${what}（${where}）不再显示该问题`,
    reopened: `${what}（${where}）再次显示该问题`,
  };
}

function sweepNotes(): MergeNotes {
  return {
    batchId: null,
    raised: '系统核对报送截止日期后发现',
    updated: '重新核对后证据更新',
    resolved: '重新核对后不再显示该问题',
    reopened: '重新核对后再次显示该问题',
  };
}

function rejudgeNotes(reason: string): MergeNotes {
  return {
    batchId: null,
    raised: `${reason}发现`,
    updated: `${reason}，证据更新`,
    resolved: `${reason}，不再显示该问题`,
    reopened: `${reason}，再次显示该问题`,
  };
}

/**
 * Judges, once, the school-months that `batches` (all of one kind, e.g. every monthly file
 * of a load run, applied in one transaction) touched, with the rules that read their kind,
 * inside the load's transaction (after the apply, before commit). Each school-month is
 * attributed to the last batch (highest id) that touched it: its events name that batch
 * and its file, and its changes count under that batch. Every batch has counts (zeros
 * when nothing changed); kinds that touch nothing (survey, assignments) run no SQL.
 * The batches' rows must be in the tables; their load_batches rows need not be.
 */
export async function judgeBatches(
  conn: DuckDBConnection,
  batches: readonly LoadedBatch[],
  options: JudgeOptions,
): Promise<Map<number, FlagCounts>> {
  const counts = new Map<number, FlagCounts>();
  for (const b of batches) counts.set(b.batchId, noFlagChanges());
  const kind = batches[0]?.kind;
  if (kind === undefined) return counts;
  const other = batches.find((b) => b.kind !== kind);
  if (other) throw new Error(`judgeBatches: batches of two kinds (${kind}, ${other.kind})`);
  // One note per batch id (the last given, should one repeat).
  const notes = [...new Map(batches.map((b) => [b.batchId, batchNotes(b)])).values()];
  if (!(await createBatchScope(conn, kind, [...counts.keys()]))) return counts;
  // Only rules reading this kind: the others' evidence (and their flags) stays as it was.
  const rules = ALL_RULES.filter((r) => (r.reads as readonly string[]).includes(kind));
  const result = await judgeScope(conn, rules, options, { byBatch: notes });
  for (const [batchId, c] of result.byBatch)
    counts.set(batchId, addFlagCounts(counts.get(batchId) ?? noFlagChanges(), c));
  return counts;
}

/**
 * Judges the school-months `batch` touched with the rules that read its kind, inside the
 * load's transaction (after the apply, before commit): judgeBatches of one batch.
 */
export async function judgeBatch(
  conn: DuckDBConnection,
  batch: LoadedBatch,
  options: JudgeOptions,
): Promise<FlagCounts> {
  return (await judgeBatches(conn, [batch], options)).get(batch.batchId) ?? noFlagChanges();
}

/**
 * MISSING_REPORT over every school × every service month whose deadline passed before
 * `options.now`, from the first month any report was received. In the caller's transaction.
 */
export async function sweepMissingReports(
  conn: DuckDBConnection,
  options: JudgeOptions,
  notes: MergeNotes = sweepNotes(),
): Promise<MergeResult> {
  await createSweepScope(conn, options.policy, options.now);
  return judgeScope(conn, [missingReport], options, notes);
}

export interface RejudgeResult {
  total: FlagCounts;
  byCode: Record<string, FlagCounts>;
}

/**
 * Every reported or flagged school-month with every rule, then the missing-report sweep,
 * in the caller's transaction. `reason` opens each event's note, e.g. "按现行政策重新判定".
 */
export async function rejudgeAll(
  conn: DuckDBConnection,
  options: JudgeOptions & { reason: string },
): Promise<RejudgeResult> {
  const notes = rejudgeNotes(options.reason);
  let reports: MergeResult;
  let missing: MergeResult;
  try {
    await createFullScope(conn);
    reports = await judgeScope(conn, ALL_RULES, options, notes);
    missing = await sweepMissingReports(conn, options, notes);
  } finally {
    await dropJudgeTables(conn);
  }
  const byCode: Record<string, FlagCounts> = { ...reports.byCode };
  for (const [code, c] of Object.entries(missing.byCode))
    byCode[code] = addFlagCounts(byCode[code] ?? noFlagChanges(), c);
  return { total: addFlagCounts(reports.total, missing.total), byCode };
}

/** Runs `task` in its own transaction; rolls back on error or when `dryRun`. */
export async function inTransaction<T>(
  conn: DuckDBConnection,
  dryRun: boolean,
  task: () => Promise<T>,
): Promise<T> {
  await conn.run('BEGIN TRANSACTION');
  try {
    const result = await task();
    await conn.run(dryRun ? 'ROLLBACK' : 'COMMIT');
    return result;
  } catch (error) {
    await conn.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
