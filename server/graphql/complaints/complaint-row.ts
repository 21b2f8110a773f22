/**
 * One complaint as the API shows it: the SELECT every complaint query shares, who may see
 * it and its complainant, and its mapping to the GraphQL parent. Bureau inspectors see every
 * complaint; a 责任督学 those of schools assigned to them in the complaint's month or now
 * (server/db/remit.ts, as flags); leadership none (refused before any SQL runs). The
 * complainant's name and contact leave the database only for the bureau and the handler.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Viewer } from '../../auth/viewer.ts';
import { shanghaiIso } from '../../db/calendar.ts';
import type { Database } from '../../db/database.ts';
import { holderSeesSchoolSql } from '../../db/remit.ts';
import type { ComplaintSource, ComplaintStatus } from '../../db/tables/complaints.table.ts';
import {
  complaintSourceLabel,
  complaintStatusLabel,
  OPEN_COMPLAINT_STATUSES,
} from '../../db/vocabulary/complaint-vocabulary.ts';
import { flagCode, inspectionCodes } from '../../policy/flag-catalogue.ts';
import type { ComplaintStep } from '../__generated__/resolvers-types.ts';
import { actsOnSchoolSql } from '../flags/flag-permissions.ts';
import type { ComplaintParent } from './complaints.types.ts';

export interface ComplaintView {
  viewer: Viewer;
  /** "YYYY-MM-DD" in Asia/Shanghai: overdue is judged against it. */
  today: string;
  /** "YYYY-MM": a 督学 acts on the schools assigned in this month. */
  currentMonth: string;
}

export interface ComplaintRow {
  complaint_id: number | bigint;
  school_code: string;
  school_name: string | null;
  township: string | null;
  source: ComplaintSource;
  flag_code: string;
  received_on: string;
  month: string;
  allegation: string;
  complainant_name: string | null;
  complainant_contact: string | null;
  sees_complainant: boolean;
  status: ComplaintStatus;
  handler_name: string | null;
  handler_username: string | null;
  deadline: string;
  overdue: boolean;
  flag_id: number | bigint | null;
  visit_id: number | bigint | null;
  finding: string | null;
  substantiated: boolean | null;
  created_by: string;
  created_at: Date | string;
  closed_at: Date | string | null;
  acts_on_school: boolean;
}

const openStatuses = () => sql.join(OPEN_COMPLAINT_STATUSES.map((s) => sql`${s}`));

/** SQL truth of "complaint `c` is open and past its deadline on `today`". */
export function complaintOverdueSql(today: string): RawBuilder<boolean> {
  return sql<boolean>`(c.status IN (${openStatuses()}) AND c.deadline < CAST(${today} AS DATE))`;
}

/** SQL truth of "the viewer may read complaint `c`'s complainant": the bureau and its handler. */
function seesComplainantSql(viewer: Viewer): RawBuilder<boolean> {
  if (viewer.role === 'BUREAU_INSPECTOR') return sql<boolean>`TRUE`;
  return sql<boolean>`coalesce(c.handler_user_id = ${viewer.userId}, FALSE)`;
}

/**
 * `SELECT … FROM complaints c …` with every column of ComplaintRow; callers add WHERE and
 * ORDER. The complainant columns are NULL unless the viewer may read them.
 */
export function complaintSelect(view: ComplaintView): RawBuilder<unknown> {
  const sees = seesComplainantSql(view.viewer);
  const acts = actsOnSchoolSql(view.viewer, sql`c.school_code`, view.currentMonth);
  return sql`SELECT c.complaint_id, c.school_code, s.school_name, s.township, c.source,
      c.flag_code, strftime(c.received_on, '%Y-%m-%d') AS received_on, c.month, c.allegation,
      CASE WHEN ${sees} THEN c.complainant_name END AS complainant_name,
      CASE WHEN ${sees} THEN c.complainant_contact END AS complainant_contact,
      ${sees} AS sees_complainant, c.status, h.display_name AS handler_name,
      h.username AS handler_username, strftime(c.deadline, '%Y-%m-%d') AS deadline,
      ${complaintOverdueSql(view.today)} AS overdue, c.flag_id, c.visit_id, c.finding,
      c.substantiated, c.created_by, c.created_at, c.closed_at, ${acts} AS acts_on_school
    FROM complaints c
    LEFT JOIN schools s ON s.school_code = c.school_code
    LEFT JOIN users h ON h.user_id = c.handler_user_id`;
}

/**
 * SQL truth of "the viewer may see complaint `c`": the school is in the viewer's remit
 * (server/db/remit.ts) in the complaint's month or now: every complaint for a bureau
 * inspector, a 责任督学's assigned schools', a 学区审核员's township's (read only).
 */
export function complaintVisibleSql(view: ComplaintView): RawBuilder<boolean> {
  const { viewer } = view;
  // Leadership and a school reporter are refused before any SQL (assertMayReadComplaints):
  // this guards a caller that forgot, never widening to them.
  if (viewer.role === 'LEADERSHIP' || viewer.role === 'SCHOOL_REPORTER') return sql<boolean>`FALSE`;
  const school = sql`c.school_code`;
  return sql<boolean>`(${holderSeesSchoolSql(viewer, school, sql`c.month`)}
    OR ${holderSeesSchoolSql(viewer, school, sql`${view.currentMonth}`)})`;
}

const INSPECTION_CODES = new Set(inspectionCodes());

/** Whether a complaint of this category may raise a flag (an inspection-evidenced code). */
export function mayRaiseFlagFor(category: string): boolean {
  return INSPECTION_CODES.has(category);
}

/** The steps the viewer may take now on the complaint of `row`. */
export function allowedComplaintSteps(viewer: Viewer, row: ComplaintRow): ComplaintStep[] {
  if (!OPEN_COMPLAINT_STATUSES.includes(row.status) || !row.acts_on_school) return [];
  const steps: ComplaintStep[] = [];
  if (viewer.role === 'BUREAU_INSPECTOR') steps.push('ASSIGN');
  if (row.flag_id === null && mayRaiseFlagFor(row.flag_code)) steps.push('RAISE_FLAG');
  steps.push('LINK_VISIT', 'CLOSE');
  return steps;
}

const iso = (at: Date | string): string => shanghaiIso(new Date(at).getTime());
const id = (value: number | bigint | null): number | null =>
  value === null ? null : Number(value);

export function toComplaintParent(viewer: Viewer, row: ComplaintRow): ComplaintParent {
  return {
    id: String(row.complaint_id),
    schoolCode: row.school_code,
    schoolName: row.school_name,
    township: row.township,
    source: row.source,
    sourceLabel: complaintSourceLabel(row.source),
    category: row.flag_code,
    categoryLabel: flagCode(row.flag_code)?.zh ?? row.flag_code,
    receivedOn: row.received_on,
    month: row.month,
    allegation: row.allegation,
    complainant: row.sees_complainant
      ? { name: row.complainant_name, contact: row.complainant_contact }
      : null,
    status: row.status,
    statusLabel: complaintStatusLabel(row.status),
    handlerName: row.handler_name,
    handlerUsername: row.handler_username,
    deadline: row.deadline,
    overdue: row.overdue,
    finding: row.finding,
    substantiated: row.substantiated,
    createdBy: row.created_by,
    createdAt: iso(row.created_at),
    closedAt: row.closed_at === null ? null : iso(row.closed_at),
    allowedSteps: allowedComplaintSteps(viewer, row),
    flagId: id(row.flag_id),
    visitId: id(row.visit_id),
  };
}

/** One complaint's row the viewer may see, or null (missing and out-of-remit look the same). */
export async function complaintRowById(
  db: Kysely<Database>,
  view: ComplaintView,
  complaintId: number,
): Promise<ComplaintRow | null> {
  const result = await sql<ComplaintRow>`${complaintSelect(view)}
    WHERE c.complaint_id = ${complaintId} AND ${complaintVisibleSql(view)}`.execute(db);
  return result.rows[0] ?? null;
}
