/**
 * Merges flag_evidence into flags for the judged domain — report flags of the judged rules
 * on the school-months of flag_scope — in a few set-based statements:
 *  - evidence, no flag with its key (school_code, month, rule)     → RAISED (OPEN)
 *  - evidence, active flag, observed/threshold/version changed     → EVIDENCE_UPDATED
 *  - evidence, flag closed automatically                           → REOPENED (OPEN)
 *  - no evidence, active flag                                      → AUTO_RESOLVED (CLOSED, 'auto')
 * Unchanged evidence changes nothing. Flags a person closed or dismissed, and inspection
 * flags, are never touched. Every change writes one flag_events row by 'system'.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { lit } from '../normalize/sql-text.ts';
import { noFlagChanges, type FlagCounts } from './flag-counts.ts';
import { MISSING_RULE } from './missing-reports.ts';

/** Why the flags changed, written into each event's note. */
export interface MergeNotes {
  /** The batch that triggered the judging (a load); null for a re-judge or the sweep. */
  batchId: number | null;
  raised: string;
  updated: string;
  resolved: string;
  reopened: string;
}

export interface MergeResult {
  total: FlagCounts;
  /** Per catalogue code; codes without a change are absent. */
  byCode: Record<string, FlagCounts>;
}

const ACTIVE = `('OPEN', 'RECTIFYING', 'RECTIFIED')`;

/** When a late report resolves a MISSING_REPORT flag, the note says when it came. */
const MISSING_NOTE = `CASE WHEN mb.batch_id IS NULL THEN NULL
  WHEN mb.loaded_at > md.report_due THEN '月报已于 ' || strftime(timezone('Asia/Shanghai', mb.loaded_at), '%Y-%m-%d')
    || ' 补报（批次 ' || mb.batch_id || '，文件 ' || mb.file_name || '），晚于截止日期 ' || md.due_date
  ELSE '月报已于 ' || strftime(timezone('Asia/Shanghai', mb.loaded_at), '%Y-%m-%d')
    || ' 报送（批次 ' || mb.batch_id || '，文件 ' || mb.file_name || '）' END`;

function planSql(rules: readonly string[], notes: MergeNotes): string {
  const changes = `concat_ws('；',
      CASE WHEN c.observed IS DISTINCT FROM e.observed THEN '实际 ' || coalesce(c.observed, '—') || ' → ' || e.observed END,
      CASE WHEN c.threshold IS DISTINCT FROM e.threshold THEN '标准 ' || coalesce(c.threshold, '—') || ' → ' || e.threshold END,
      CASE WHEN c.policy_version IS DISTINCT FROM e.policy_version THEN '政策版本 ' || coalesce(c.policy_version, '—') || ' → ' || e.policy_version END)`;
  return `CREATE OR REPLACE TEMP TABLE flag_plan AS
    WITH cur AS (
      SELECT f.flag_id, f.school_code, f.month, f.code, f.rule, f.status, f.resolution,
        f.observed, f.threshold, f.policy_version
      FROM flags f JOIN flag_scope sc ON sc.school_code = f.school_code AND sc.month = f.month
      WHERE f.source = 'report' AND f.rule IN (${rules.map(lit).join(', ')})),
    joined AS (
      SELECT coalesce(e.school_code, c.school_code) AS school_code,
        coalesce(e.month, c.month) AS month, coalesce(e.code, c.code) AS code,
        coalesce(e.rule, c.rule) AS rule, e.rule IS NOT NULL AS evident,
        c.flag_id, c.status, c.resolution,
        e.observed, e.threshold, e.detail, e.policy_version, e.batch_id,
        (c.observed IS DISTINCT FROM e.observed OR c.threshold IS DISTINCT FROM e.threshold
          OR c.policy_version IS DISTINCT FROM e.policy_version) AS changed,
        ${changes} AS changes
      FROM flag_evidence e FULL OUTER JOIN cur c
        ON c.school_code = e.school_code AND c.month = e.month AND c.rule = e.rule),
    planned AS (
      SELECT *, CASE
          WHEN evident AND flag_id IS NULL THEN 'raise'
          WHEN evident AND status IN ${ACTIVE} AND changed THEN 'update'
          WHEN evident AND status = 'CLOSED' AND resolution = 'auto' THEN 'reopen'
          WHEN NOT evident AND status IN ${ACTIVE} THEN 'resolve'
        END AS action
      FROM joined)
    SELECT p.*, CASE p.action
        WHEN 'raise' THEN ${lit(notes.raised)}
        WHEN 'update' THEN ${lit(notes.updated)} || '：' || p.changes
        WHEN 'reopen' THEN ${lit(notes.reopened)}
        ELSE coalesce(CASE WHEN p.rule = ${lit(MISSING_RULE)} THEN ${MISSING_NOTE} END, ${lit(notes.resolved)})
      END AS note
    FROM planned p
    LEFT JOIN monthly_reports mr ON p.action = 'resolve' AND p.rule = ${lit(MISSING_RULE)}
      AND mr.school_code = p.school_code AND mr.month = p.month
    LEFT JOIN load_batches mb ON mb.batch_id = mr.batch_id
    LEFT JOIN flag_month_rules md ON md.month = p.month
    WHERE p.action IS NOT NULL`;
}

const TRIGGER = (notes: MergeNotes) =>
  notes.batchId === null ? 'NULL::INTEGER' : `${notes.batchId}::INTEGER`;

export async function mergeFlags(
  conn: DuckDBConnection,
  rules: readonly string[],
  notes: MergeNotes,
): Promise<MergeResult> {
  try {
    return await applyPlan(conn, rules, notes);
  } finally {
    // A city-wide file's plan holds every flag it raised: not kept past the run.
    for (const table of ['flag_evidence', 'flag_plan', 'flag_raise'])
      await conn.run(`DROP TABLE IF EXISTS temp.${table}`).catch(() => undefined);
  }
}

async function applyPlan(
  conn: DuckDBConnection,
  rules: readonly string[],
  notes: MergeNotes,
): Promise<MergeResult> {
  await conn.run(planSql(rules, notes));
  const result = await summarise(conn);
  const { raised, updated, resolved, reopened } = result.total;
  // A reload that changes nothing costs the plan alone.
  if (raised > 0) {
    await conn.run(`CREATE OR REPLACE TEMP TABLE flag_raise AS
      SELECT nextval('flag_seq') AS new_id, * FROM flag_plan WHERE action = 'raise'`);
    await conn.run(`INSERT INTO flags (flag_id, school_code, month, code, rule, source, status,
        detail, policy_version, threshold, observed, evidence_batch_id, raised_by)
      SELECT new_id, school_code, month, code, rule, 'report', 'OPEN', detail, policy_version,
        threshold, observed, batch_id, 'system'
      FROM flag_raise`);
    await conn.run(`INSERT INTO flag_events (flag_id, action, from_status, to_status, user_id,
        username, user_name, note, batch_id)
      SELECT new_id, 'RAISED', NULL, 'OPEN', NULL, 'system', '系统', note,
        coalesce(${TRIGGER(notes)}, batch_id)
      FROM flag_raise`);
  }
  if (updated + resolved + reopened > 0) {
    await conn.run(`INSERT INTO flag_events (flag_id, action, from_status, to_status, user_id,
        username, user_name, note, batch_id)
      SELECT flag_id,
        CASE action WHEN 'update' THEN 'EVIDENCE_UPDATED' WHEN 'reopen' THEN 'REOPENED' ELSE 'AUTO_RESOLVED' END,
        status,
        CASE action WHEN 'update' THEN status WHEN 'reopen' THEN 'OPEN' ELSE 'CLOSED' END,
        NULL, 'system', '系统', note,
        CASE WHEN action = 'resolve' THEN ${TRIGGER(notes)} ELSE coalesce(${TRIGGER(notes)}, batch_id) END
      FROM flag_plan WHERE action IN ('update', 'reopen', 'resolve')`);
    await conn.run(`UPDATE flags f SET
        status = CASE p.action WHEN 'resolve' THEN 'CLOSED' WHEN 'reopen' THEN 'OPEN' ELSE f.status END,
        resolution = CASE p.action WHEN 'resolve' THEN 'auto' WHEN 'reopen' THEN NULL ELSE f.resolution END,
        observed = CASE WHEN p.action = 'resolve' THEN f.observed ELSE p.observed END,
        threshold = CASE WHEN p.action = 'resolve' THEN f.threshold ELSE p.threshold END,
        policy_version = CASE WHEN p.action = 'resolve' THEN f.policy_version ELSE p.policy_version END,
        detail = CASE WHEN p.action = 'resolve' THEN f.detail ELSE p.detail END,
        evidence_batch_id = CASE WHEN p.action = 'resolve' THEN f.evidence_batch_id ELSE p.batch_id END,
        updated_at = now()
      FROM flag_plan p
      WHERE f.flag_id = p.flag_id AND p.action IN ('update', 'reopen', 'resolve')`);
  }
  return result;
}

async function summarise(conn: DuckDBConnection): Promise<MergeResult> {
  const reader = await conn.runAndReadAll(
    `SELECT code, action, count(*)::INTEGER AS n FROM flag_plan GROUP BY code, action`,
  );
  const total = noFlagChanges();
  const byCode: Record<string, FlagCounts> = {};
  const key = {
    raise: 'raised',
    update: 'updated',
    resolve: 'resolved',
    reopen: 'reopened',
  } as const;
  for (const row of reader.getRowObjectsJS()) {
    const k = key[String(row.action) as keyof typeof key];
    const n = Number(row.n);
    const code = String(row.code);
    byCode[code] ??= noFlagChanges();
    byCode[code][k] += n;
    total[k] += n;
  }
  return { total, byCode };
}
