/**
 * One flag as the API shows it: the SELECT every flag query shares (school, evidence file,
 * whether the viewer acts on the school now, overdue as of "today" in Asia/Shanghai) and
 * its mapping to the GraphQL parent. Visibility is the other shared piece: a supervising
 * inspector sees a flag when its school was theirs in the flag's month or is theirs now.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Viewer } from '../../auth/viewer.ts';
import { isDistrictWide } from '../../auth/viewer.ts';
import { currentDate, currentMonth, shanghaiDateSql } from '../../db/calendar.ts';
import type { Database } from '../../db/database.ts';
import {
  flagDaysOverdueSql,
  flagStatusLabel,
  flagOverdueSql as flagOverdueAt,
} from '../../db/flag-statuses.ts';
import { assignedInSql, holderSeesSchoolSql } from '../../db/remit.ts';
import type { FlagResolution, FlagSource, FlagStatus } from '../../db/tables/flags.table.ts';
import { flagCode, ruleLabel } from '../../policy/flag-catalogue.ts';
import { UnreachableCaseError } from '../errors.ts';
import { flagStepOnSchoolSql } from './flag-permissions.ts';
import type { FlagParent } from './flags.types.ts';

export interface FlagRow {
  flag_id: number | bigint;
  school_code: string;
  school_name: string | null;
  township: string | null;
  month: string | null;
  code: string;
  rule: string;
  source: FlagSource;
  status: FlagStatus;
  detail: string;
  policy_version: string | null;
  threshold: string | null;
  observed: string | null;
  evidence_batch_id: number | null;
  evidence_file: string | null;
  visit_id: number | bigint | null;
  raised_by: string;
  /** YYYY-MM-DD */
  rectify_deadline: string | null;
  rectify_request: string | null;
  rectify_report: string | null;
  /** YYYY-MM-DD (Asia/Shanghai), see rectifiedOnSql. */
  rectified_on: string | null;
  resolution: FlagResolution | null;
  created_at: Date;
  updated_at: Date;
  acts_on_school: boolean;
  days_overdue: number | null;
}

export interface FlagView {
  viewer: Viewer;
  /** "YYYY-MM-DD" in Asia/Shanghai: overdue is judged against it. */
  today: string;
  /** "YYYY-MM": a supervising inspector acts on the schools assigned in this month. */
  currentMonth: string;
}

/**
 * `SELECT … FROM flags f …` with every column of FlagRow; callers add WHERE/ORDER/LIMIT.
 * The alias `f` is the flags table and `s` the school.
 */
export function flagSelect(
  view: FlagView,
  extraColumns?: RawBuilder<unknown>,
): RawBuilder<unknown> {
  const acts = flagStepOnSchoolSql(view.viewer, sql`f.school_code`, view.currentMonth);
  return sql`SELECT f.flag_id, f.school_code, s.school_name, s.township, f.month, f.code, f.rule,
      f.source, f.status, f.detail, f.policy_version, f.threshold, f.observed,
      f.evidence_batch_id, b.file_name AS evidence_file, f.visit_id, f.raised_by,
      strftime(f.rectify_deadline, '%Y-%m-%d') AS rectify_deadline, f.rectify_request,
      f.rectify_report, strftime(${rectifiedOnSql()}, '%Y-%m-%d') AS rectified_on, f.resolution, f.created_at, f.updated_at,
      ${acts} AS acts_on_school,
      ${flagDaysOverdueSql(view.today)} AS days_overdue
      ${extraColumns ? sql`, ${extraColumns}` : sql``}
    FROM flags f
    LEFT JOIN schools s ON s.school_code = f.school_code
    LEFT JOIN load_batches b ON b.batch_id = f.evidence_batch_id`;
}

/**
 * The day flag `f` was rectified, as a DATE: the Asia/Shanghai calendar day of its latest
 * RECTIFIED step (the school's rectification report carries no date of its own, and the
 * step is when the bureau learned of it); for a RECTIFIED flag without that step (written
 * by hand), the day of its last change. NULL before any rectification. A follow-up visit
 * qualifies to close the flag when dated that day or later: both sides are calendar days
 * in Asia/Shanghai, never the instant the report was typed in.
 */
export function rectifiedOnSql(): RawBuilder<string | null> {
  return sql<string | null>`coalesce(
    (SELECT max(${sql.raw(shanghaiDateSql('rect_e.occurred_at'))}) FROM flag_events rect_e
     WHERE rect_e.flag_id = f.flag_id AND rect_e.action = 'RECTIFIED'),
    CASE WHEN f.status = 'RECTIFIED' THEN ${sql.raw(shanghaiDateSql('f.updated_at'))} END)`;
}

/**
 * SQL truth of "visit `v` may be linked when closing flag `f`": a follow-up visit (整改复查)
 * of the flag's school dated on or after the day the flag was rectified (rectifiedOnSql).
 * Flag.closingVisits offers exactly these and the CLOSE step accepts only these.
 */
export function closingVisitSql(): RawBuilder<boolean> {
  return sql<boolean>`(v.school_code = f.school_code AND v.kind = 'FOLLOW_UP'
    AND v.visit_date >= ${rectifiedOnSql()})`;
}

/** SQL truth of "flag `f` is overdue" on the view's today (see server/db/flag-statuses.ts). */
export function flagOverdueSql(view: FlagView): RawBuilder<boolean> {
  return flagOverdueAt(view.today);
}

/**
 * SQL truth of "the viewer may see flag `f`". District-wide roles see every flag; a
 * supervising inspector the flags of schools assigned to them (server/db/remit.ts) in the
 * flag's month (or the current month for flags without one) or in the current month.
 */
export function flagVisibleSql(view: FlagView): RawBuilder<boolean> {
  const { viewer } = view;
  if (isDistrictWide(viewer.role)) return sql<boolean>`TRUE`;
  // A school's reporter sees its own school's flags, a township reviewer its township's.
  if (viewer.role !== 'SUPERVISING_INSPECTOR')
    return holderSeesSchoolSql(
      viewer,
      sql`f.school_code`,
      sql`coalesce(f.month, ${view.currentMonth})`,
    );
  if (viewer.inspectorId === null) return sql<boolean>`FALSE`;
  const school = sql`f.school_code`;
  return sql<boolean>`(${assignedInSql(viewer.inspectorId, school, sql`coalesce(f.month, ${view.currentMonth})`)}
    OR ${assignedInSql(viewer.inspectorId, school, sql`${view.currentMonth}`)})`;
}

function toSource(source: FlagSource): FlagParent['source'] {
  switch (source) {
    case 'report':
      return 'REPORT';
    case 'inspection':
      return 'INSPECTION';
    default:
      throw new UnreachableCaseError(source);
  }
}

function toResolution(resolution: FlagResolution | null): FlagParent['resolution'] {
  switch (resolution) {
    case null:
      return null;
    case 'auto':
      return 'AUTO';
    case 'closed':
      return 'CLOSED';
    case 'dismissed':
      return 'DISMISSED';
    default:
      throw new UnreachableCaseError(resolution);
  }
}

export function toFlagParent(row: FlagRow): FlagParent {
  return {
    id: String(row.flag_id),
    schoolCode: row.school_code,
    schoolName: row.school_name,
    township: row.township,
    month: row.month,
    code: row.code,
    codeLabel: flagCode(row.code)?.zh ?? row.code,
    rule: row.rule,
    ruleLabel: ruleLabel(row.rule) ?? null,
    source: toSource(row.source),
    status: row.status,
    statusLabel: flagStatusLabel(row.status),
    detail: row.detail,
    policyVersion: row.policy_version,
    threshold: row.threshold,
    observed: row.observed,
    evidenceBatchId: row.evidence_batch_id === null ? null : String(row.evidence_batch_id),
    evidenceFile: row.evidence_file,
    visitId: row.visit_id === null ? null : String(row.visit_id),
    raisedBy: row.raised_by,
    rectificationDeadline: row.rectify_deadline,
    rectificationRequest: row.rectify_request,
    rectificationReport: row.rectify_report,
    rectifiedOn: row.rectified_on,
    overdue: row.days_overdue !== null,
    daysOverdue: row.days_overdue,
    resolution: toResolution(row.resolution),
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    actsOnSchool: row.acts_on_school,
  };
}

/** One flag the viewer may see, or null (missing and out-of-remit look the same). */
export async function flagById(
  db: Kysely<Database>,
  view: FlagView,
  flagId: number,
): Promise<FlagParent | null> {
  const result = await sql<FlagRow>`${flagSelect(view)}
    WHERE f.flag_id = ${flagId} AND ${flagVisibleSql(view)}`.execute(db);
  const row = result.rows[0];
  return row ? toFlagParent(row) : null;
}

/** The flags of `flagIds` the viewer may see, by ID (missing and out-of-remit ones absent). */
export async function flagsByIds(
  db: Kysely<Database>,
  view: FlagView,
  flagIds: readonly number[],
): Promise<Map<string, FlagParent>> {
  if (flagIds.length === 0) return new Map();
  const result = await sql<FlagRow>`${flagSelect(view)}
    WHERE f.flag_id IN (${sql.join(flagIds.map((id) => sql`${id}`))}) AND ${flagVisibleSql(view)}`.execute(
    db,
  );
  return new Map(result.rows.map((row) => [String(row.flag_id), toFlagParent(row)]));
}

/** The flag view of a metric request: its viewer, as of its `today` (default: now). */
export function flagViewOf(request: { viewer: Viewer; today?: string }): FlagView {
  const today = request.today ?? currentDate();
  return { viewer: request.viewer, today, currentMonth: today.slice(0, 7) };
}

/** The viewer, today and the current month, from a resolver's context clock. */
export function flagView(ctx: { viewer: Viewer; now: () => Date }): FlagView {
  const now = ctx.now();
  return { viewer: ctx.viewer, today: currentDate(now), currentMonth: currentMonth(now) };
}
