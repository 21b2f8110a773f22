/**
 * One judging run over flag_scope: the month rules, flag_base, which rules have evidence,
 * their evidence, then the merge into flags. Runs inside the caller's transaction; a run
 * with no evidence and no active flag in its scope stops after the first pass.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { DistrictPolicy } from '../../server/policy/policy.ts';
import { createBaseView, createEvidenceTable, disabledMonths, probeEvidence } from './evidence.ts';
import { noFlagChanges } from './flag-counts.ts';
import { mergeFlags, type MergeNotes, type MergeResult } from './merge-flags.ts';
import { ensureMonthRules, MONTH_RULES_TABLE } from './month-rules-table.ts';
import type { EvidenceRule } from './rules/evidence-rule.ts';

export interface JudgeOptions {
  policy: DistrictPolicy;
  /** The clock deadlines are judged by. */
  now: Date;
}

/**
 * Drops what judging leaves on a connection: flag_scope, the flag_base view and the month
 * rules, which later runs replace rather than drop (a folder's files reuse them; a DROP
 * per file costs more than the judging of a clean one). Called at the end of a load or
 * re-judge; closing the connection drops them too.
 */
export async function dropJudgeTables(conn: DuckDBConnection): Promise<void> {
  await conn.run(`DROP VIEW IF EXISTS temp.flag_base`).catch(() => undefined);
  for (const table of ['flag_scope', MONTH_RULES_TABLE])
    await conn.run(`DROP TABLE IF EXISTS temp.${table}`).catch(() => undefined);
}

/** Judges the school-months of flag_scope (which the caller created) with `rules`. */
export async function judgeScope(
  conn: DuckDBConnection,
  rules: readonly EvidenceRule[],
  options: JudgeOptions,
  notes: MergeNotes,
): Promise<MergeResult> {
  const { firstReportMonth, months } = await ensureMonthRules(conn, options.policy);
  const ctx = { nowIso: options.now.toISOString(), firstReportMonth };
  const off = disabledMonths(options.policy, months, rules);
  const semesterFees = options.policy.versions.some((v) => v.fees.caps.per_semester !== null);
  await createBaseView(conn, { semesterFees });
  const probe = await probeEvidence(conn, rules, ctx, off);
  const hit = new Set(probe.hit);
  if (hit.size === 0 && !probe.active) return { total: noFlagChanges(), byCode: {} };
  await createEvidenceTable(
    conn,
    rules.filter((r) => hit.has(r.rule)),
    ctx,
    off,
  );
  return mergeFlags(
    conn,
    rules.map((r) => r.rule),
    notes,
  );
}
