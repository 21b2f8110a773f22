/**
 * Reading and writing complaints (投诉与举报). Every read starts from the same WHERE
 * (visibility, then the filter), so the list, its total and one complaint agree; every step
 * is one guarded UPDATE (visibility, open status and the viewer's right to act on the
 * school in its WHERE) plus its complaint_events row, written by the service.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Viewer } from '../../auth/viewer.ts';
import type { Database } from '../../db/database.ts';
import type {
  ComplaintAction,
  ComplaintSource,
  ComplaintStatus,
} from '../../db/tables/complaints.table.ts';
import { OPEN_COMPLAINT_STATUSES } from '../../db/vocabulary/complaint-vocabulary.ts';
import { actsOnSchoolSql } from '../flags/flag-permissions.ts';
import { assignmentPeriodsSql, periodHoldsSql } from '../../db/remit.ts';
import { filterConditions, type ScopeFilter } from '../scope/scope.ts';
import {
  complaintOverdueSql,
  complaintSelect,
  complaintVisibleSql,
  type ComplaintRow,
  type ComplaintView,
} from './complaint-row.ts';

/** What a complaint list asks for; every field narrows, null leaves it open. */
export interface ComplaintFilter {
  month: string | null;
  status: ComplaintStatus | null;
  source: ComplaintSource | null;
  category: string | null;
  schoolCode: string | null;
  overdue: boolean;
  scope: ScopeFilter;
}

function whereSql(view: ComplaintView, filter: ComplaintFilter): RawBuilder<unknown> {
  const conditions: RawBuilder<unknown>[] = [complaintVisibleSql(view)];
  if (filter.month !== null) conditions.push(sql`c.month = ${filter.month}`);
  if (filter.status !== null) conditions.push(sql`c.status = ${filter.status}`);
  if (filter.source !== null) conditions.push(sql`c.source = ${filter.source}`);
  if (filter.category !== null) conditions.push(sql`c.flag_code = ${filter.category}`);
  if (filter.schoolCode !== null) conditions.push(sql`c.school_code = ${filter.schoolCode}`);
  if (filter.overdue) conditions.push(complaintOverdueSql(view.today));
  conditions.push(...filterConditions(filter.scope));
  return sql.join(conditions, sql` AND `);
}

/** One page of matching complaints (newest received first) and the total. */
export async function complaintPage(
  db: Kysely<Database>,
  view: ComplaintView,
  filter: ComplaintFilter,
  page: { limit: number; offset: number },
): Promise<{ total: number; rows: ComplaintRow[] }> {
  const where = whereSql(view, filter);
  const [count, rows] = await Promise.all([
    sql<{ total: number }>`SELECT count(*)::INTEGER AS total FROM complaints c
      LEFT JOIN schools s ON s.school_code = c.school_code WHERE ${where}`.execute(db),
    sql<ComplaintRow>`${complaintSelect(view)} WHERE ${where}
      ORDER BY c.received_on DESC, c.complaint_id DESC
      LIMIT ${page.limit} OFFSET ${page.offset}`.execute(db),
  ]);
  return { total: count.rows[0]?.total ?? 0, rows: rows.rows };
}

const instant = (at: Date) => sql`CAST(${at.toISOString()} AS TIMESTAMPTZ)`;

/**
 * SQL truth of "user `h` may handle complaints of school `schoolCode` now": an active
 * bureau inspector, or an active 督学 to whom the school is assigned in `month`.
 */
function handlerSql(schoolCode: RawBuilder<unknown>, month: string): RawBuilder<boolean> {
  return sql<boolean>`(NOT h.disabled AND (h.role = 'BUREAU_INSPECTOR'
    OR (h.role = 'SUPERVISING_INSPECTOR' AND EXISTS (
      SELECT 1 FROM (${assignmentPeriodsSql(null)}) hp
      WHERE hp.inspector_id = h.inspector_id AND hp.school_code = ${schoolCode}
        AND ${periodHoldsSql(sql`hp.valid_from`, sql`hp.valid_until`, sql`${month}`)}))))`;
}

export interface NewComplaint {
  schoolCode: string;
  source: ComplaintSource;
  category: string;
  receivedOn: string;
  allegation: string;
  complainantName: string | null;
  complainantContact: string | null;
  handlerUserId: number | null;
  deadline: string;
  at: Date;
}

/**
 * Inserts the complaint when the school exists and the viewer acts on it now; returns its
 * id, or null when refused (nothing written).
 */
export async function insertComplaint(
  db: Kysely<Database>,
  viewer: Viewer,
  c: NewComplaint,
  currentMonth: string,
): Promise<number | null> {
  const result = await sql<{ complaint_id: number | bigint }>`
    INSERT INTO complaints (school_code, source, flag_code, received_on, month, allegation,
      complainant_name, complainant_contact, status, handler_user_id, deadline,
      created_by_user_id, created_by, created_at, updated_at)
    SELECT s.school_code, ${c.source}, ${c.category}, CAST(${c.receivedOn} AS DATE),
      ${c.receivedOn.slice(0, 7)}, ${c.allegation}, ${c.complainantName},
      ${c.complainantContact}, 'RECEIVED', ${c.handlerUserId}, CAST(${c.deadline} AS DATE),
      ${viewer.userId}, ${viewer.username}, ${instant(c.at)}, ${instant(c.at)}
    FROM (SELECT DISTINCT school_code FROM schools WHERE school_code = ${c.schoolCode}) s
    WHERE ${actsOnSchoolSql(viewer, sql`s.school_code`, currentMonth)}
    RETURNING complaint_id`.execute(db);
  const row = result.rows[0];
  return row ? Number(row.complaint_id) : null;
}

/** What one step changes on an open complaint (only the given columns). */
export interface ComplaintChanges {
  status?: ComplaintStatus;
  handlerUserId?: number;
  flagId?: number;
  visitId?: number;
  finding?: string;
  substantiated?: boolean;
  closedAt?: Date;
}

/**
 * Applies `changes` to an open complaint the viewer sees and acts on now; false when no row
 * matched (missing, out of remit, closed). `extra` adds step-specific guards on `c`.
 */
export async function updateOpenComplaint(
  db: Kysely<Database>,
  view: ComplaintView,
  complaintId: number,
  changes: ComplaintChanges,
  at: Date,
  extra: RawBuilder<boolean> = sql<boolean>`TRUE`,
): Promise<boolean> {
  const sets: RawBuilder<unknown>[] = [sql`updated_at = ${instant(at)}`];
  if (changes.status !== undefined) sets.push(sql`status = ${changes.status}`);
  if (changes.handlerUserId !== undefined)
    sets.push(sql`handler_user_id = ${changes.handlerUserId}`);
  if (changes.flagId !== undefined) sets.push(sql`flag_id = ${changes.flagId}`);
  if (changes.visitId !== undefined) sets.push(sql`visit_id = ${changes.visitId}`);
  if (changes.finding !== undefined) sets.push(sql`finding = ${changes.finding}`);
  if (changes.substantiated !== undefined) sets.push(sql`substantiated = ${changes.substantiated}`);
  if (changes.closedAt !== undefined) sets.push(sql`closed_at = ${instant(changes.closedAt)}`);
  const open = sql.join(OPEN_COMPLAINT_STATUSES.map((s) => sql`${s}`));
  const result = await sql`UPDATE complaints AS c SET ${sql.join(sets)}
    WHERE c.complaint_id = ${complaintId} AND c.status IN (${open})
      AND ${complaintVisibleSql(view)}
      AND ${actsOnSchoolSql(view.viewer, sql`c.school_code`, view.currentMonth)}
      AND ${extra}
    RETURNING c.complaint_id`.execute(db);
  return result.rows.length === 1;
}

/** SQL truth of "user `userId` may handle complaint `c` now" (for assignComplaint's guard). */
export function handlerMaySql(userId: number, currentMonth: string): RawBuilder<boolean> {
  return sql<boolean>`EXISTS (SELECT 1 FROM users h WHERE h.user_id = ${userId}
    AND ${handlerSql(sql`c.school_code`, currentMonth)})`;
}

/** SQL truth of "visit `visitId` checked complaint `c`": same school, on or after its day. */
export function linkableVisitSql(visitId: number): RawBuilder<boolean> {
  return sql<boolean>`EXISTS (SELECT 1 FROM visits v WHERE v.visit_id = ${visitId}
    AND v.school_code = c.school_code AND v.visit_date >= c.received_on)`;
}

/** Users who may handle complaints of `schoolCode` now, bureau first, then by name. */
export async function complaintHandlers(
  db: Kysely<Database>,
  schoolCode: string,
  currentMonth: string,
): Promise<{ user_id: number; display_name: string; username: string; role: string }[]> {
  const result = await sql<{
    user_id: number;
    display_name: string;
    username: string;
    role: string;
  }>`SELECT h.user_id::INTEGER AS user_id, h.display_name, h.username, h.role
    FROM users h WHERE ${handlerSql(sql`${schoolCode}`, currentMonth)}
    ORDER BY h.role, h.display_name, h.user_id LIMIT 200`.execute(db);
  return result.rows;
}

export interface ComplaintEventWrite {
  complaintId: number;
  action: ComplaintAction;
  fromStatus: ComplaintStatus | null;
  toStatus: ComplaintStatus;
  viewer: Viewer;
  note: string | null;
  at: Date;
}

export async function insertComplaintEvent(
  db: Kysely<Database>,
  e: ComplaintEventWrite,
): Promise<void> {
  await db
    .insertInto('complaint_events')
    .values({
      complaint_id: e.complaintId,
      action: e.action,
      from_status: e.fromStatus,
      to_status: e.toStatus,
      user_id: e.viewer.userId,
      username: e.viewer.username,
      user_name: e.viewer.name,
      note: e.note,
      occurred_at: instant(e.at) as never,
    })
    .execute();
}

export interface ComplaintEventRow {
  action: ComplaintAction;
  to_status: ComplaintStatus;
  user_name: string;
  note: string | null;
  occurred_at: Date | string;
}

/** A complaint's history, oldest first (the caller has checked the complaint is visible). */
export async function complaintEvents(
  db: Kysely<Database>,
  complaintId: number,
): Promise<ComplaintEventRow[]> {
  const result = await sql<ComplaintEventRow>`SELECT action, to_status, user_name, note,
      occurred_at FROM complaint_events WHERE complaint_id = ${complaintId}
    ORDER BY occurred_at, event_id LIMIT 200`.execute(db);
  return result.rows;
}

export interface ComplaintCount {
  schoolCode: string;
  /** The category: a flag catalogue code. */
  category: string;
  count: number;
}

/**
 * Complaints received in the months `from`..`to` ("YYYY-MM", inclusive), counted per school
 * and category, of `schoolCodes` only when given; no complainant data. For the risk score,
 * the monthly report and triangulation.
 */
export async function complaintCountsBySchool(
  db: Kysely<Database>,
  from: string,
  to: string,
  schoolCodes?: readonly string[] | null,
): Promise<ComplaintCount[]> {
  if (schoolCodes != null && schoolCodes.length === 0) return [];
  const only =
    schoolCodes == null
      ? sql`TRUE`
      : sql`school_code IN (${sql.join(schoolCodes.map((c) => sql`${c}`))})`;
  const result = await sql<{ school_code: string; flag_code: string; n: number }>`
    SELECT school_code, flag_code, count(*)::INTEGER AS n FROM complaints
    WHERE month >= ${from} AND month <= ${to} AND ${only}
    GROUP BY school_code, flag_code ORDER BY school_code, flag_code`.execute(db);
  return result.rows.map((r) => ({ schoolCode: r.school_code, category: r.flag_code, count: r.n }));
}
