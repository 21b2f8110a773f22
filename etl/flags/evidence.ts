/**
 * Judging flag_base. For a small scope, two passes: the probe asks only which rules any
 * school-month breaks (one aggregate of conditions, no texts) and whether the scope holds
 * an active flag; the evidence then writes the flags' texts for the rules that were
 * broken. DuckDB's planning of the text expressions, not the data, is what a small load's
 * judging costs: a clean file never plans them. A large scope is read once, the evidence
 * of every rule (judge.ts). Either way the evidence keeps what the month's policy version
 * does not disable (a code or a rule id in disabled_rules), each with that version.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { OPEN_FLAG_STATUSES_SQL } from '../../server/db/flag-statuses.ts';
import { policyFor, type DistrictPolicy } from '../../server/policy/policy.ts';
import { lit } from '../normalize/sql-text.ts';
import { baseSql, type BaseOptions } from './base-table.ts';
import { codeOf, type EvidenceRule, type RuleContext } from './rules/evidence-rule.ts';

/**
 * Months (of the judged span) whose policy version disables a rule, by its id or its code;
 * rules disabled nowhere are absent. Worked out here rather than per row: a condition
 * more per rule is what a small load's judging pays for.
 */
export type DisabledMonths = ReadonlyMap<string, readonly string[]>;

export function disabledMonths(
  policy: DistrictPolicy,
  months: readonly string[],
  rules: readonly EvidenceRule[],
): DisabledMonths {
  const out = new Map<string, string[]>();
  for (const month of months) {
    const off = policyFor(policy, month).disabled_rules;
    if (off.length === 0) continue;
    for (const r of rules)
      if (off.includes(r.rule) || off.includes(codeOf(r.rule)))
        out.set(r.rule, [...(out.get(r.rule) ?? []), month]);
  }
  return out;
}

/** The rule's condition, outside the months that disable it. */
function judged(r: EvidenceRule, ctx: RuleContext, off: DisabledMonths): string {
  const months = off.get(r.rule);
  return months === undefined
    ? `(${r.when(ctx)})`
    : `(${r.when(ctx)}) AND month NOT IN (${months.map(lit).join(', ')})`;
}

/**
 * flag_base as a view: a city-wide file's 100,000 school-months are streamed through the
 * probe (and, for the rules it finds, the evidence) instead of held as a wide table.
 */
export async function createBaseView(conn: DuckDBConnection, options: BaseOptions): Promise<void> {
  await conn.run(`CREATE OR REPLACE TEMP VIEW flag_base AS ${baseSql(options)}`);
}

export interface Probe {
  /** Rule ids with evidence somewhere in flag_base. */
  hit: string[];
  /** flag_scope holds an active report flag of the rules (one the merge could resolve). */
  active: boolean;
}

/** Which rules have evidence, and whether any flag in scope could need resolving. */
export async function probeEvidence(
  conn: DuckDBConnection,
  rules: readonly EvidenceRule[],
  ctx: RuleContext,
  off: DisabledMonths,
): Promise<Probe> {
  if (rules.length === 0) return { hit: [], active: false };
  const found = rules.map((r, i) => `bool_or(${judged(r, ctx, off)}) AS h${i}`);
  const reader = await conn.runAndReadAll(`SELECT * FROM
    (SELECT ${found.join(',\n')} FROM flag_base)
    CROSS JOIN (SELECT EXISTS (SELECT 1 FROM flags f
      JOIN flag_scope sc ON sc.school_code = f.school_code AND sc.month = f.month
      WHERE f.source = 'report' AND f.status IN ${OPEN_FLAG_STATUSES_SQL}
        AND f.rule IN (${rules.map((r) => lit(r.rule)).join(', ')})) AS active)`);
  const row = reader.getRowObjectsJS()[0] ?? {};
  return {
    hit: rules.filter((_, i) => row[`h${i}`] === true).map((r) => r.rule),
    active: row.active === true,
  };
}

const NO_EVIDENCE = `SELECT NULL::VARCHAR AS school_code, NULL::VARCHAR AS month,
    NULL::INTEGER AS scope_batch, NULL::VARCHAR AS code, NULL::VARCHAR AS rule,
    NULL::VARCHAR AS observed, NULL::VARCHAR AS threshold, NULL::VARCHAR AS detail,
    NULL::INTEGER AS batch_id, NULL::VARCHAR AS policy_version
  WHERE false`;

/**
 * The evidence (school_code, month, scope_batch, code, rule, observed, threshold, detail,
 * batch_id, policy_version) of `rules` in flag_base, as a SELECT the merge reads once; no
 * rules reads nothing. Each school-month lists the rules it breaks (their numbers), one
 * row per rule broken, and the texts are picked by that number: a rule's texts are
 * computed only where it is broken.
 */
export function evidenceSql(
  rules: readonly EvidenceRule[],
  ctx: RuleContext,
  off: DisabledMonths,
): string {
  if (rules.length === 0) return NO_EVIDENCE;
  const extras = rules.flatMap((r) => (r.extra ? [r.extra] : []));
  const broken = rules.map((r, i) => `CASE WHEN ${judged(r, ctx, off)} THEN ${i} END`);
  const pick = (text: (r: EvidenceRule) => string, type: string): string =>
    `CASE rule_no ${rules.map((r, i) => `WHEN ${i} THEN CAST(${text(r)} AS ${type})`).join('\n')} END`;
  return `SELECT school_code, month, scope_batch,
      ${pick((r) => lit(codeOf(r.rule)), 'VARCHAR')} AS code,
      ${pick((r) => lit(r.rule), 'VARCHAR')} AS rule,
      ${pick((r) => r.observed, 'VARCHAR')} AS observed,
      ${pick((r) => r.threshold, 'VARCHAR')} AS threshold,
      ${pick((r) => r.detail, 'VARCHAR')} AS detail,
      ${pick((r) => r.batch, 'INTEGER')} AS batch_id, policy_version
    FROM (SELECT *, unnest(list_filter([${broken.join(',\n')}], lambda k: k IS NOT NULL)) AS rule_no
      FROM (SELECT b.*${extras.map((x) => `, ${x.select}`).join('')}
        FROM flag_base b ${extras.map((x) => x.join).join('\n')}))`;
}
