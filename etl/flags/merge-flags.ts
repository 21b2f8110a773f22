/**
 * Merges the evidence into flags for the judged domain — report flags of the judged rules
 * on the school-months of flag_scope — in a few set-based statements:
 *  - evidence, no flag with its key (school_code, month, rule)     → RAISED (OPEN)
 *  - evidence, active flag, observed/threshold/version changed     → EVIDENCE_UPDATED
 *  - evidence, flag closed automatically                           → REOPENED (OPEN)
 *  - no evidence, active flag                                      → AUTO_RESOLVED (CLOSED, 'auto')
 * Unchanged evidence changes nothing. Flags a person closed or dismissed, and inspection
 * flags, are never touched. Every change writes one flag_events row by 'system'.
 *
 * Set-based at any size: the evidence is read once, straight into one plan table of the
 * changes (new flags get their ids there); the flags and their events are then inserted
 * from it, and the changed flags updated with only the columns their action changes. A
 * judging that changes nothing writes nothing but an empty plan.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { shanghaiLocalSql } from '../../server/db/calendar.ts';
import { OPEN_FLAG_STATUSES_SQL } from '../../server/db/flag-statuses.ts';
import { lit } from '../normalize/sql-text.ts';
import { noFlagChanges, type FlagCounts } from './flag-counts.ts';
import { MISSING_RULE } from './missing-reports.ts';
import { codeOf } from './rules/evidence-rule.ts';

/** Why the flags changed, written into each event's note. */
export interface MergeNotes {
  /** The batch that triggered the judging (a load); null for a re-judge or the sweep. */
  batchId: number | null;
  raised: string;
  updated: string;
  resolved: string;
  reopened: string;
}

/** The notes of one load batch, with its file. */
export interface BatchNote extends MergeNotes {
  batchId: number;
  fileName: string;
}

/**
 * Notes per load batch: each school-month's events carry the notes (and batch id) of the
 * batch flag_scope attributes it to.
 */
export interface BatchNotes {
  byBatch: readonly BatchNote[];
}

export type JudgeNotes = MergeNotes | BatchNotes;

export interface MergeResult {
  total: FlagCounts;
  /** Per catalogue code; codes without a change are absent. */
  byCode: Record<string, FlagCounts>;
  /** Per batch of flag_scope (a load's judging); batches without a change are absent. */
  byBatch: Map<number, FlagCounts>;
}

export function noMergeChanges(): MergeResult {
  return { total: noFlagChanges(), byCode: {}, byBatch: new Map() };
}

export interface MergeInput {
  /** The judged rule ids: their flags in scope without evidence are resolved. */
  rules: readonly string[];
  /** The evidence SELECT (evidence.ts), read once. */
  evidence: string;
  notes: JudgeNotes;
}

const ACTIVE = OPEN_FLAG_STATUSES_SQL;

/** When a late report resolves a MISSING_REPORT flag, the note says when it came. */
const MISSING_NOTE = `CASE WHEN mb.batch_id IS NULL THEN NULL
  WHEN mb.loaded_at > md.report_due THEN '月报已于 ' || strftime(${shanghaiLocalSql('mb.loaded_at')}, '%Y-%m-%d')
    || ' 补报（批次 ' || mb.batch_id || '，文件 ' || mb.file_name || '），晚于截止日期 ' || md.due_date
  ELSE '月报已于 ' || strftime(${shanghaiLocalSql('mb.loaded_at')}, '%Y-%m-%d')
    || ' 报送（批次 ' || mb.batch_id || '，文件 ' || mb.file_name || '）' END`;

const PLAN_TABLES = ['flag_plan', 'flag_notes', 'flag_missing_notes'];

/**
 * flag_plan: one row per change, with the evidence's texts (raise, update, reopen), the
 * flag's id (a new one from flag_seq for a raise) and status, what changed (update), and
 * scope_batch, the batch its school-month is attributed to (NULL outside a load).
 */
function planSql(input: MergeInput): string {
  const { rules, evidence } = input;
  const changes = `concat_ws('；',
      CASE WHEN old_observed IS DISTINCT FROM observed THEN '实际 ' || coalesce(old_observed, '—') || ' → ' || observed END,
      CASE WHEN old_threshold IS DISTINCT FROM threshold THEN '标准 ' || coalesce(old_threshold, '—') || ' → ' || threshold END,
      CASE WHEN old_version IS DISTINCT FROM policy_version THEN '政策版本 ' || coalesce(old_version, '—') || ' → ' || policy_version END)`;
  return `CREATE OR REPLACE TEMP TABLE flag_plan AS
    WITH e AS (${evidence}),
    cur AS (
      SELECT f.flag_id, f.school_code, f.month, f.code, f.rule, f.status, f.resolution,
        f.observed, f.threshold, f.policy_version, sc.batch_id AS scope_batch
      FROM flags f JOIN flag_scope sc ON sc.school_code = f.school_code AND sc.month = f.month
      WHERE f.source = 'report' AND f.rule IN (${rules.map(lit).join(', ')})),
    joined AS (
      SELECT coalesce(e.school_code, c.school_code) AS school_code,
        coalesce(e.month, c.month) AS month, coalesce(e.code, c.code) AS code,
        coalesce(e.rule, c.rule) AS rule, coalesce(e.scope_batch, c.scope_batch) AS scope_batch,
        e.rule IS NOT NULL AS evident, c.flag_id, c.status, c.resolution,
        e.observed, e.threshold, e.detail, e.policy_version, e.batch_id,
        c.observed AS old_observed, c.threshold AS old_threshold, c.policy_version AS old_version
      FROM e FULL OUTER JOIN cur c
        ON c.school_code = e.school_code AND c.month = e.month AND c.rule = e.rule),
    planned AS (
      SELECT *, CASE
          WHEN evident AND flag_id IS NULL THEN 'raise'
          WHEN evident AND status IN ${ACTIVE}
            AND (old_observed IS DISTINCT FROM observed OR old_threshold IS DISTINCT FROM threshold
              OR old_version IS DISTINCT FROM policy_version) THEN 'update'
          WHEN evident AND status = 'CLOSED' AND resolution = 'auto' THEN 'reopen'
          WHEN NOT evident AND status IN ${ACTIVE} THEN 'resolve'
        END AS action
      FROM joined)
    SELECT school_code, month, code, rule, scope_batch, action, status,
      -- After the filter: a flag id is drawn for each raise, and for nothing else.
      CASE WHEN action = 'raise' THEN nextval('flag_seq') ELSE flag_id END AS flag_id,
      observed, threshold, detail, policy_version, batch_id,
      CASE WHEN action = 'update' THEN ${changes} END AS changes
    FROM planned
    WHERE action IS NOT NULL`;
}

/** How the events' notes and trigger batch are written, by the notes given. */
interface NoteSql {
  /** FROM clause additions (the notes of each batch, joined by scope_batch). */
  join: string;
  raised: string;
  updated: string;
  resolved: string;
  reopened: string;
  /** The batch that triggered the change (NULL outside a load). */
  trigger: string;
}

function noteSql(notes: JudgeNotes): NoteSql {
  if ('byBatch' in notes)
    return {
      join: 'LEFT JOIN flag_notes n ON n.batch_id = p.scope_batch',
      raised: 'n.raised',
      updated: 'n.updated',
      resolved: 'n.resolved',
      reopened: 'n.reopened',
      trigger: 'p.scope_batch',
    };
  return {
    join: '',
    raised: lit(notes.raised),
    updated: lit(notes.updated),
    resolved: lit(notes.resolved),
    reopened: lit(notes.reopened),
    trigger: notes.batchId === null ? 'NULL::INTEGER' : `${notes.batchId}::INTEGER`,
  };
}

/** flag_notes: the notes of each load batch (a few rows), joined by the events. */
async function createBatchNotes(conn: DuckDBConnection, notes: BatchNotes): Promise<void> {
  const rows = notes.byBatch.map(
    (n) =>
      `(${n.batchId}::INTEGER, ${lit(n.fileName)}, ${lit(n.raised)}, ${lit(n.updated)}, ${lit(n.resolved)}, ${lit(n.reopened)})`,
  );
  await conn.run(`CREATE OR REPLACE TEMP TABLE flag_notes AS
    SELECT * FROM (VALUES ${rows.join(', ')}) AS v(batch_id, file_name, raised, updated, resolved, reopened)`);
}

/**
 * flag_missing_notes: the note of each MISSING_REPORT flag a report resolves, saying when
 * the report came (by its batch). A load's own batches may not be in load_batches yet:
 * their files are in flag_notes and they are loaded at now(), the transaction's start,
 * which is what load_batches.loaded_at will hold.
 */
async function createMissingNotes(conn: DuckDBConnection, notes: JudgeNotes): Promise<void> {
  const batches =
    'byBatch' in notes
      ? `(SELECT batch_id, loaded_at, file_name FROM load_batches
          UNION ALL SELECT batch_id, now(), file_name FROM flag_notes
          WHERE batch_id NOT IN (SELECT batch_id FROM load_batches))`
      : 'load_batches';
  await conn.run(`CREATE OR REPLACE TEMP TABLE flag_missing_notes AS
    SELECT p.flag_id, ${MISSING_NOTE} AS note
    FROM flag_plan p
    JOIN monthly_reports mr ON mr.school_code = p.school_code AND mr.month = p.month
    LEFT JOIN ${batches} mb ON mb.batch_id = mr.batch_id
    LEFT JOIN flag_month_rules md ON md.month = p.month
    WHERE p.action = 'resolve' AND p.rule = ${lit(MISSING_RULE)}`);
}

export async function mergeFlags(conn: DuckDBConnection, input: MergeInput): Promise<MergeResult> {
  try {
    return await applyPlan(conn, input);
  } finally {
    // A city-wide file's plan holds every flag it raised: not kept past the run.
    for (const table of PLAN_TABLES)
      await conn.run(`DROP TABLE IF EXISTS temp.${table}`).catch(() => undefined);
  }
}

async function applyPlan(conn: DuckDBConnection, input: MergeInput): Promise<MergeResult> {
  await conn.run(planSql(input));
  const result = await summarise(conn);
  const { raised, updated, resolved, reopened } = result.total;
  // A reload that changes nothing costs the plan alone.
  if (raised + updated + resolved + reopened === 0) return result;
  const { notes } = input;
  if ('byBatch' in notes) await createBatchNotes(conn, notes);
  const n = noteSql(notes);
  if (raised > 0) {
    await conn.run(`INSERT INTO flags (flag_id, school_code, month, code, rule, source, status,
        detail, policy_version, threshold, observed, evidence_batch_id, raised_by)
      SELECT flag_id, school_code, month, code, rule, 'report', 'OPEN', detail, policy_version,
        threshold, observed, batch_id, 'system'
      FROM flag_plan WHERE action = 'raise'`);
    await conn.run(`INSERT INTO flag_events (flag_id, action, from_status, to_status, user_id,
        username, user_name, note, batch_id)
      SELECT p.flag_id, 'RAISED', NULL, 'OPEN', NULL, 'system', '系统', ${n.raised},
        coalesce(${n.trigger}, p.batch_id)
      FROM flag_plan p ${n.join} WHERE p.action = 'raise'`);
  }
  if (updated + resolved + reopened === 0) return result;
  const missing = (result.byCode[codeOf(MISSING_RULE)]?.resolved ?? 0) > 0;
  if (missing) await createMissingNotes(conn, notes);
  await conn.run(`INSERT INTO flag_events (flag_id, action, from_status, to_status, user_id,
      username, user_name, note, batch_id)
    SELECT p.flag_id,
      CASE p.action WHEN 'update' THEN 'EVIDENCE_UPDATED' WHEN 'reopen' THEN 'REOPENED' ELSE 'AUTO_RESOLVED' END,
      p.status,
      CASE p.action WHEN 'update' THEN p.status WHEN 'reopen' THEN 'OPEN' ELSE 'CLOSED' END,
      NULL, 'system', '系统',
      CASE p.action WHEN 'update' THEN ${n.updated} || '：' || p.changes
        WHEN 'reopen' THEN ${n.reopened}
        ELSE ${missing ? `coalesce(mn.note, ${n.resolved})` : n.resolved} END,
      CASE WHEN p.action = 'resolve' THEN ${n.trigger} ELSE coalesce(${n.trigger}, p.batch_id) END
    FROM flag_plan p ${n.join}
    ${missing ? 'LEFT JOIN flag_missing_notes mn ON mn.flag_id = p.flag_id' : ''}
    WHERE p.action IN ('update', 'reopen', 'resolve')`);
  // Each action sets only the columns it changes: an update writes every column it names.
  const evidence = `observed = p.observed, threshold = p.threshold,
    policy_version = p.policy_version, detail = p.detail, evidence_batch_id = p.batch_id`;
  const sets: Array<[number, string, string]> = [
    [resolved, 'resolve', `status = 'CLOSED', resolution = 'auto'`],
    [reopened, 'reopen', `status = 'OPEN', resolution = NULL, ${evidence}`],
    [updated, 'update', evidence],
  ];
  for (const [count, action, set] of sets) {
    if (count === 0) continue;
    await conn.run(`UPDATE flags f SET ${set}, updated_at = now()
      FROM flag_plan p WHERE f.flag_id = p.flag_id AND p.action = '${action}'`);
  }
  return result;
}

async function summarise(conn: DuckDBConnection): Promise<MergeResult> {
  const reader = await conn.runAndReadAll(
    `SELECT scope_batch, code, action, count(*)::INTEGER AS n FROM flag_plan GROUP BY ALL`,
  );
  const result = noMergeChanges();
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
    result.byCode[code] ??= noFlagChanges();
    result.byCode[code][k] += n;
    result.total[k] += n;
    if (row.scope_batch !== null) {
      const batch = Number(row.scope_batch);
      const counts = result.byBatch.get(batch) ?? noFlagChanges();
      counts[k] += n;
      result.byBatch.set(batch, counts);
    }
  }
  return result;
}
