/**
 * One judging run over flag_scope: the month rules, flag_base, which rules have evidence,
 * then their evidence merged into flags. Runs inside the caller's transaction; a run
 * with no evidence and no active flag in its scope stops after the first pass. A large
 * scope skips that first pass: its evidence is read once, with every rule.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { DistrictPolicy } from '../../server/policy/policy.ts';
import { createBaseView, disabledMonths, evidenceSql, probeEvidence } from './evidence.ts';
import { mergeFlags, noMergeChanges, type JudgeNotes, type MergeResult } from './merge-flags.ts';
import { ensureMonthRules, MONTH_RULES_TABLE } from './month-rules-table.ts';
import type { EvidenceRule } from './rules/evidence-rule.ts';

/**
 * From this many school-months in scope, judging skips the probe (a second pass over
 * flag_base) and reads the evidence of every rule in one pass. Below it, a clean file
 * costs the probe alone, which plans no text expression.
 */
export const ONE_PASS_ROWS = 20_000;

export interface JudgeOptions {
  policy: DistrictPolicy;
  /** The clock deadlines are judged by. */
  now: Date;
  /** Scope size from which judging takes one pass (default ONE_PASS_ROWS; tests set it). */
  onePassRows?: number;
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

/**
 * Judges the school-months of flag_scope (which the caller created) with `rules`. With
 * notes per batch, flag_scope's batch_id says which batch each school-month's events name.
 */
export async function judgeScope(
  conn: DuckDBConnection,
  rules: readonly EvidenceRule[],
  options: JudgeOptions,
  notes: JudgeNotes,
): Promise<MergeResult> {
  const { firstReportMonth, months, scopeRows } = await ensureMonthRules(conn, options.policy);
  const ctx = { nowIso: options.now.toISOString(), firstReportMonth };
  const off = disabledMonths(options.policy, months, rules);
  const semesterFees = options.policy.versions.some((v) => v.fees.caps.per_semester !== null);
  await createBaseView(conn, { semesterFees });
  const ruleIds = rules.map((r) => r.rule);
  // A large scope is read once, with every rule: the probe's pass over flag_base would
  // cost more than planning the texts of rules nobody broke.
  if (scopeRows >= (options.onePassRows ?? ONE_PASS_ROWS))
    return mergeFlags(conn, { rules: ruleIds, evidence: evidenceSql(rules, ctx, off), notes });
  const probe = await probeEvidence(conn, rules, ctx, off);
  const hit = new Set(probe.hit);
  if (hit.size === 0 && !probe.active) return noMergeChanges();
  return mergeFlags(conn, {
    rules: ruleIds,
    evidence: evidenceSql(
      rules.filter((r) => hit.has(r.rule)),
      ctx,
      off,
    ),
    notes,
  });
}
