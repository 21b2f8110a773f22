/**
 * Runs the data-quality checks and merges what they find into data_doubts, set-based, in
 * the caller's transaction. Judged: every catalogue rule on every school of the judged
 * months (a peer median or a previous month moves with any school's report, so a load
 * judges whole months, from the earliest month it touched to the last one held).
 *
 *  - found, no doubt with its key (school_code, month, rule)   → RAISED (OPEN)
 *  - found, OPEN or CORRECTION_REQUESTED, evidence changed     → EVIDENCE_UPDATED (same status)
 *  - found, CLEARED                                            → REOPENED (OPEN)
 *  - not found, OPEN or CORRECTION_REQUESTED                   → CLEARED
 * A VERIFIED doubt (核实无误) is never touched: a person judged the figure true. Every
 * change writes one data_doubt_events row by 'system', naming the batch that triggered it.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { DOUBT_RULES } from '../../server/policy/doubt-catalogue.ts';
import type { DistrictPolicy } from '../../server/policy/policy.ts';
import { OPEN_DOUBT_STATUSES } from '../../server/db/vocabulary/doubt-statuses.ts';
import { lit } from '../normalize/sql-text.ts';
import type { ReportKind } from '../reports/report-kind.ts';
import { checkSelects, createDoubtPart } from './checks.ts';
import { createDoubtMonthRules, DOUBT_MONTH_RULES } from './doubt-month-rules.ts';

export interface DoubtCounts {
  raised: number;
  updated: number;
  cleared: number;
  reopened: number;
}

export interface DoubtJudgeOptions {
  policy: DistrictPolicy;
  /** Judge the months from this one on; null: every month. */
  fromMonth: string | null;
  /** The batch whose load triggered the run (named by the events); null for a re-judge. */
  batchId: number | null;
  /** Why, opening each event's note, e.g. "导入报表（批次 12，文件 x.xlsx）". */
  reason: string;
}

export function noDoubtChanges(): DoubtCounts {
  return { raised: 0, updated: 0, cleared: 0, reopened: 0 };
}

const TEMP_TABLES = ['doubt_part', 'doubt_plan', DOUBT_MONTH_RULES];

/**
 * The earliest month the batches touched, for a load's judging: its report or per-grade
 * rows' months; a registry batch (stage, 城乡类型, teachers_total) touches every month
 * (''); kinds without school-months touch nothing (null).
 */
export async function firstTouchedMonth(
  conn: DuckDBConnection,
  kind: ReportKind,
  batchIds: readonly number[],
): Promise<string | null> {
  if (batchIds.length === 0) return null;
  const ids = batchIds.map((id) => String(Math.trunc(id))).join(', ');
  const table =
    kind === 'monthly' ? 'monthly_reports' : kind === 'participation' ? 'participation' : null;
  if (kind === 'registry') return '';
  if (table === null) return null;
  const row = (
    await conn.runAndReadAll(`SELECT min(month) AS m FROM ${table} WHERE batch_id IN (${ids})`)
  ).getRowObjectsJS()[0];
  return (row?.m as string | null) ?? null;
}

/** Statuses a check may still update or clear (a VERIFIED doubt is left as the inspector judged it). */
const OPEN_STATUSES = OPEN_DOUBT_STATUSES.map(lit).join(', ');

function planSql(fromMonth: string | null): string {
  const inScope = (alias: string) =>
    fromMonth === null || fromMonth === '' ? 'TRUE' : `${alias}.month >= ${lit(fromMonth)}`;
  const rules = DOUBT_RULES.map(lit).join(', ');
  const evidence = checkSelects()
    .map((s) => `SELECT * FROM (${s}) c WHERE ${inScope('c')}`)
    .join('\nUNION ALL\n');
  return `CREATE OR REPLACE TEMP TABLE doubt_plan AS
    WITH e AS (${evidence}),
    cur AS (SELECT * FROM data_doubts d WHERE d.rule IN (${rules}) AND ${inScope('d')}),
    joined AS (
      SELECT coalesce(e.school_code, c.school_code) AS school_code,
        coalesce(e.month, c.month) AS month, coalesce(e.rule, c.rule) AS rule,
        e.rule IS NOT NULL AS found, c.doubt_id, c.status,
        e.measure, e.value, e.reference, e.deviation, e.detail, e.detail_en, e.batch_id,
        e.policy_version,
        c.value IS DISTINCT FROM e.value OR c.reference IS DISTINCT FROM e.reference
          OR c.deviation IS DISTINCT FROM e.deviation OR c.detail IS DISTINCT FROM e.detail
          OR c.policy_version IS DISTINCT FROM e.policy_version AS changed
      FROM e FULL OUTER JOIN cur c
        ON c.school_code = e.school_code AND c.month = e.month AND c.rule = e.rule),
    planned AS (
      SELECT *, CASE
          WHEN found AND doubt_id IS NULL THEN 'raise'
          WHEN found AND status IN (${OPEN_STATUSES}) AND changed THEN 'update'
          WHEN found AND status = 'CLEARED' THEN 'reopen'
          WHEN NOT found AND status IN (${OPEN_STATUSES}) THEN 'clear'
        END AS action
      FROM joined)
    SELECT school_code, month, rule, action, status,
      -- After the filter: an id is drawn for each raise and nothing else.
      CASE WHEN action = 'raise' THEN nextval('doubt_seq') ELSE doubt_id END AS doubt_id,
      measure, value, reference, deviation, detail, detail_en, batch_id, policy_version
    FROM planned WHERE action IS NOT NULL`;
}

async function counts(conn: DuckDBConnection): Promise<DoubtCounts> {
  const out = noDoubtChanges();
  const key = { raise: 'raised', update: 'updated', clear: 'cleared', reopen: 'reopened' } as const;
  const reader = await conn.runAndReadAll(
    `SELECT action, count(*)::INTEGER AS n FROM doubt_plan GROUP BY action`,
  );
  for (const row of reader.getRowObjectsJS())
    out[key[String(row.action) as keyof typeof key]] = Number(row.n);
  return out;
}

async function applyPlan(conn: DuckDBConnection, options: DoubtJudgeOptions): Promise<DoubtCounts> {
  await createDoubtMonthRules(conn, options.policy);
  await createDoubtPart(conn);
  await conn.run(planSql(options.fromMonth));
  const result = await counts(conn);
  if (result.raised + result.updated + result.cleared + result.reopened === 0) return result;
  const trigger = options.batchId === null ? 'NULL::INTEGER' : `${options.batchId}::INTEGER`;
  const reason = lit(options.reason);
  if (result.raised > 0)
    await conn.run(`INSERT INTO data_doubts (doubt_id, school_code, month, rule, measure, value,
        reference, deviation, detail, detail_en, status, evidence_batch_id, policy_version)
      SELECT doubt_id, school_code, month, rule, measure, value, reference, deviation, detail,
        detail_en, 'OPEN', batch_id, policy_version
      FROM doubt_plan WHERE action = 'raise'`);
  await conn.run(`INSERT INTO data_doubt_events (doubt_id, action, from_status, to_status,
      username, note, batch_id)
    SELECT doubt_id,
      CASE action WHEN 'raise' THEN 'RAISED' WHEN 'update' THEN 'EVIDENCE_UPDATED'
        WHEN 'reopen' THEN 'REOPENED' ELSE 'CLEARED' END,
      status,
      CASE action WHEN 'update' THEN status WHEN 'clear' THEN 'CLEARED' ELSE 'OPEN' END,
      'system',
      ${reason} || CASE action WHEN 'raise' THEN '发现此疑点'
        WHEN 'update' THEN '，疑点仍在，证据更新' WHEN 'reopen' THEN '，再次发现此疑点'
        ELSE '，不再有此疑点' END,
      coalesce(${trigger}, batch_id)
    FROM doubt_plan`);
  const evidence = `measure = p.measure, value = p.value, reference = p.reference,
    deviation = p.deviation, detail = p.detail, detail_en = p.detail_en,
    evidence_batch_id = p.batch_id, policy_version = p.policy_version`;
  const sets: Array<[number, string, string]> = [
    [result.cleared, 'clear', `status = 'CLEARED'`],
    [result.reopened, 'reopen', `status = 'OPEN', ${evidence}`],
    [result.updated, 'update', evidence],
  ];
  for (const [count, action, set] of sets) {
    if (count === 0) continue;
    await conn.run(`UPDATE data_doubts d SET ${set}, updated_at = now()
      FROM doubt_plan p WHERE d.doubt_id = p.doubt_id AND p.action = '${action}'`);
  }
  return result;
}

/** Judges the months from options.fromMonth on (every month when null) in the caller's transaction. */
export async function judgeDoubts(
  conn: DuckDBConnection,
  options: DoubtJudgeOptions,
): Promise<DoubtCounts> {
  try {
    return await applyPlan(conn, options);
  } finally {
    for (const table of TEMP_TABLES)
      await conn.run(`DROP TABLE IF EXISTS temp.${table}`).catch(() => undefined);
  }
}

/** A load's batches (all of one kind), as flags judge them: etl/flags/evaluate.ts. */
export interface DoubtBatch {
  batchId: number;
  kind: ReportKind;
  fileName: string;
}

/**
 * Judges what a load's batches touched (after the apply, before commit), the events naming
 * the last batch and its file. Kinds without school-months change nothing.
 */
export async function judgeLoadedDoubts(
  conn: DuckDBConnection,
  batches: readonly DoubtBatch[],
  policy: DistrictPolicy,
): Promise<DoubtCounts> {
  const kind = batches[0]?.kind;
  if (kind === undefined) return noDoubtChanges();
  const fromMonth = await firstTouchedMonth(
    conn,
    kind,
    batches.map((b) => b.batchId),
  );
  if (fromMonth === null) return noDoubtChanges();
  const last = batches.reduce((a, b) => (b.batchId > a.batchId ? b : a));
  const what = kind === 'registry' ? '学校名录' : '报表';
  return judgeDoubts(conn, {
    policy,
    fromMonth,
    batchId: last.batchId,
    reason: `导入${what}（批次 ${last.batchId}，文件 ${last.fileName}）`,
  });
}
