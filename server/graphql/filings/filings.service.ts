/**
 * 学期备案: the semester grid, one school's filings, filing (a school its own, the bureau
 * any) and the bureau's review. Visibility is holderSeesSchoolSql in the semester's latest
 * month so far (a past semester's last month, the current one's this month): the 督学
 * responsible for the school now answers for this semester's filings, like the 走访计划's
 * semester view. A school outside the viewer's remit reads
 * exactly like an unknown one (null, or the same FORBIDDEN). Every write, refused or not,
 * leaves an audit row; deviations are computed on read from the policy in force, so a new
 * policy version re-judges old filings without a migration.
 */
import { sql, type Kysely } from 'kysely';
import type { Viewer } from '../../auth/viewer.ts';
import { currentMonth, shanghaiIso } from '../../db/calendar.ts';
import type { Database } from '../../db/database.ts';
import { holderSeesSchoolSql } from '../../db/remit.ts';
import type { Stage } from '../../db/tables/schools.table.ts';
import type {
  FilingAction,
  FilingKind,
  FilingStatus,
} from '../../db/tables/semester-filings.table.ts';
import {
  dueDate,
  filingDeviations,
  filingSemester,
  surveyCoverage,
  type FilingSemester,
} from '../../policy/filing-checks.ts';
import { parseFields } from '../../policy/filing-payloads.ts';
import { ROLE_LABEL } from '../../db/roles.ts';
import type { GraphQLContext } from '../context.ts';
import { BadUserInputError, ForbiddenError, NotFoundError } from '../errors.ts';
import { parseId } from '../inspections/user-input.ts';
import { filterConditions, type ScopeFilter } from '../scope/scope.ts';
import { insertAudit } from '../users/users.repository.ts';

export const FILING_KIND_LABEL: Record<FilingKind, string> = {
  PLAN: '一校一案',
  SURVEY: '需求征询',
  AGREEMENT: '服务协议',
  FEES: '收费公示与退费',
  PAY: '教师补助与经费',
};
export const FILING_STATUS_LABEL: Record<FilingStatus, string> = {
  FILED: '已备案',
  ACCEPTED: '已受理',
  RETURNED: '已退回',
};

/** The one refusal for a school the viewer may not file for, known or not. */
export const FILING_FORBIDDEN = '只能为本人负责的学校备案 / you may file only for your own school';
export const FILING_NOT_FOUND = '备案不存在 / filing not found';
const MAX_NOTE = 1000;

export interface SemesterFilingOut {
  id: string;
  schoolCode: string;
  schoolName: string;
  semester: string;
  kind: FilingKind;
  kindLabel: string;
  status: FilingStatus;
  statusLabel: string;
  fields: string;
  deviations: Array<{ check: string; message: string }>;
  coverage: number | null;
  filedAt: string;
  filedBy: string;
  reviewNote: string | null;
  reviewedAt: string | null;
  reviewedBy: string | null;
}

export interface SchoolFilingsOut {
  schoolCode: string;
  schoolName: string;
  township: string;
  semester: string;
  plan: SemesterFilingOut | null;
  surveys: SemesterFilingOut[];
  agreement: SemesterFilingOut | null;
  fees: SemesterFilingOut | null;
  pay: SemesterFilingOut | null;
  deviationCount: number;
  history: SemesterFilingOut[];
}

interface SchoolRow {
  school_code: string;
  school_name: string;
  township: string;
  stage: Stage;
  enrolled: number | null;
}

interface FilingRow {
  filing_id: number;
  school_code: string;
  semester: string;
  kind: FilingKind;
  payload: string;
  status: FilingStatus;
  filed_at: string | Date;
  filed_by_name: string;
  review_note: string | null;
  reviewed_at: string | Date | null;
  reviewed_by_name: string | null;
}

const iso = (at: string | Date): string => shanghaiIso(new Date(at).getTime());

/** The semester's latest month so far: its last month once over, this month while it runs. */
function remitMonth(semester: FilingSemester, now: Date): string {
  const months = semester.period.months;
  const today = currentMonth(now);
  const first = months[0] as string;
  const last = months[months.length - 1] as string;
  return today < first ? first : today > last ? last : today;
}

function semesterOf(ctx: GraphQLContext, key: string): FilingSemester {
  const semester = filingSemester(ctx.policy, key);
  if (semester === null)
    throw new BadUserInputError(
      `学期格式应为 YYYY-YYYY-1 或 YYYY-YYYY-2（如 2025-2026-1） / semester must be like 2025-2026-1`,
    );
  return semester;
}

/** The viewer's schools (one registry row each), with the latest enrolment of the semester. */
async function visibleSchools(
  db: Kysely<Database>,
  viewer: Viewer,
  semester: FilingSemester,
  where: { schoolCode?: string; scope?: ScopeFilter; now: Date },
): Promise<SchoolRow[]> {
  const months = semester.period.months;
  const month = remitMonth(semester, where.now);
  const conditions = [
    holderSeesSchoolSql(viewer, sql`s.school_code`, sql`${month}`),
    ...filterConditions(where.scope ?? {}),
  ];
  if (where.schoolCode !== undefined) conditions.push(sql`s.school_code = ${where.schoolCode}`);
  const result = await sql<SchoolRow>`SELECT s.school_code, any_value(s.school_name) AS school_name,
      any_value(s.township) AS township, any_value(s.stage) AS stage,
      (SELECT CAST(p.enrolled AS INTEGER) FROM participation_monthly p
        WHERE p.school_code = s.school_code AND p.month IN (${sql.join(months)})
        ORDER BY p.month DESC LIMIT 1) AS enrolled
    FROM schools s
    WHERE ${sql.join(conditions, sql` AND `)}
    GROUP BY s.school_code ORDER BY s.school_code`.execute(db);
  return result.rows;
}

async function filingsOf(
  db: Kysely<Database>,
  semester: string,
  schoolCodes: readonly string[],
): Promise<FilingRow[]> {
  if (schoolCodes.length === 0) return [];
  const result =
    await sql<FilingRow>`SELECT filing_id, school_code, semester, kind, payload, status,
      filed_at, filed_by_name, review_note, reviewed_at, reviewed_by_name
    FROM semester_filings
    WHERE semester = ${semester} AND school_code IN (${sql.join(schoolCodes)})
    ORDER BY filed_at, filing_id`.execute(db);
  return result.rows;
}

function toFiling(row: FilingRow, school: SchoolRow, semester: FilingSemester): SemesterFilingOut {
  const parsed = parseFields(row.kind, JSON.parse(row.payload) as unknown);
  const deviations = parsed.ok
    ? filingDeviations(parsed.value, semester, { stage: school.stage, enrolled: school.enrolled })
    : parsed.issues.map((message) => ({ check: 'fields', message }));
  const coverage =
    parsed.ok && parsed.value.kind === 'SURVEY'
      ? surveyCoverage(parsed.value.fields.respondents, school.enrolled)
      : null;
  return {
    id: String(row.filing_id),
    schoolCode: row.school_code,
    schoolName: school.school_name,
    semester: row.semester,
    kind: row.kind,
    kindLabel: FILING_KIND_LABEL[row.kind],
    status: row.status,
    statusLabel: FILING_STATUS_LABEL[row.status],
    fields: row.payload,
    deviations,
    coverage,
    filedAt: iso(row.filed_at),
    filedBy: row.filed_by_name,
    reviewNote: row.review_note,
    reviewedAt: row.reviewed_at === null ? null : iso(row.reviewed_at),
    reviewedBy: row.reviewed_by_name,
  };
}

function schoolFilingsOf(
  school: SchoolRow,
  rows: readonly FilingRow[],
  semester: FilingSemester,
  key: string,
): SchoolFilingsOut {
  const all = rows.map((r) => toFiling(r, school, semester));
  const inForce = all.filter((f) => f.status !== 'RETURNED');
  const latest = (kind: FilingKind) => inForce.filter((f) => f.kind === kind).at(-1) ?? null;
  const surveys = inForce.filter((f) => f.kind === 'SURVEY');
  const current = [latest('PLAN'), ...surveys, latest('AGREEMENT'), latest('FEES'), latest('PAY')];
  return {
    schoolCode: school.school_code,
    schoolName: school.school_name,
    township: school.township,
    semester: key,
    plan: latest('PLAN'),
    surveys,
    agreement: latest('AGREEMENT'),
    fees: latest('FEES'),
    pay: latest('PAY'),
    deviationCount: current.reduce((n, f) => n + (f?.deviations.length ?? 0), 0),
    history: [...all].reverse(),
  };
}

/** Query.semesterFilings. */
export async function semesterFilings(
  ctx: GraphQLContext,
  key: string,
  scope: ScopeFilter,
): Promise<{
  semester: string;
  semesterLabel: string;
  startDate: string;
  planDue: string;
  surveyDue: string;
  feesDue: string;
  minDemandSurveys: number;
  schools: SchoolFilingsOut[];
}> {
  const semester = semesterOf(ctx, key);
  const schools = await visibleSchools(ctx.db, ctx.viewer, semester, { scope, now: ctx.now() });
  const rows = await filingsOf(
    ctx.db,
    key,
    schools.map((s) => s.school_code),
  );
  const rules = semester.version.filings;
  return {
    semester: key,
    semesterLabel: semester.period.label,
    startDate: semester.startDate,
    planDue: dueDate(semester, rules.plan_due_days),
    surveyDue: dueDate(semester, rules.survey_due_days),
    feesDue: dueDate(semester, rules.fees_due_days),
    minDemandSurveys: rules.min_demand_surveys,
    schools: schools.map((s) =>
      schoolFilingsOf(
        s,
        rows.filter((r) => r.school_code === s.school_code),
        semester,
        key,
      ),
    ),
  };
}

/** Query.schoolFilings: null when the school is unknown or not the viewer's. */
export async function schoolFilings(
  ctx: GraphQLContext,
  schoolCode: string,
  key: string,
): Promise<SchoolFilingsOut | null> {
  const semester = semesterOf(ctx, key);
  const [school] = await visibleSchools(ctx.db, ctx.viewer, semester, {
    schoolCode,
    now: ctx.now(),
  });
  if (school === undefined) return null;
  return schoolFilingsOf(school, await filingsOf(ctx.db, key, [schoolCode]), semester, key);
}

/** Who may file for a school: its own 学校填报员, or the bureau. */
function mayFile(viewer: Viewer, schoolCode: string): boolean {
  if (viewer.role === 'BUREAU_INSPECTOR') return true;
  return viewer.role === 'SCHOOL_REPORTER' && viewer.schoolCode === schoolCode;
}

/** A filing mutation: validated, stored and audited in one writer transaction. */
export async function fileFiling(
  ctx: GraphQLContext,
  kind: FilingKind,
  request: { schoolCode: string; semester: string; input: unknown },
): Promise<SemesterFilingOut> {
  const { viewer } = ctx;
  const at = ctx.now();
  const target = `filing:${request.schoolCode}:${request.semester}:${kind}`;
  const audit = (db: Kysely<Database>, outcome: 'ok' | 'denied' | 'failed', detail: string) =>
    insertAudit(db, {
      at,
      userId: viewer.userId,
      username: viewer.username,
      action: 'filings.file',
      target: outcome === 'ok' ? target : null,
      outcome,
      detail,
      ip: null,
    });
  const outcome = await ctx.writer.write(async ({ db }) => {
    // The school is checked before anything else: a foreign school's refusal says nothing
    // of whether it exists, nor of the input.
    const semester = filingSemester(ctx.policy, request.semester);
    const school =
      semester === null || !mayFile(viewer, request.schoolCode)
        ? undefined
        : (
            await visibleSchools(db, viewer, semester, { schoolCode: request.schoolCode, now: at })
          )[0];
    if (!mayFile(viewer, request.schoolCode) || (semester !== null && school === undefined)) {
      await audit(db, 'denied', 'school');
      return { refused: new ForbiddenError(FILING_FORBIDDEN) as Error };
    }
    if (semester === null) {
      await audit(db, 'failed', 'semester');
      return { refused: semesterError() };
    }
    const parsed = parseFields(kind, request.input);
    if (!parsed.ok) {
      await audit(db, 'failed', 'fields');
      return {
        refused: new BadUserInputError(
          `备案内容有误 / the filing is invalid: ${parsed.issues.join('；')}`,
        ) as Error,
      };
    }
    const inserted = await sql<{ filing_id: number }>`INSERT INTO semester_filings
        (school_code, semester, kind, payload, status, filed_at, filed_by, filed_by_name)
      VALUES (${request.schoolCode}, ${request.semester}, ${kind},
        ${JSON.stringify(parsed.value.fields)}, 'FILED', ${at.toISOString()}::TIMESTAMPTZ,
        ${viewer.userId}, ${viewer.name})
      RETURNING filing_id`.execute(db);
    const id = inserted.rows[0]?.filing_id as number;
    await insertEvent(db, id, 'FILE', null, viewer, at);
    await audit(db, 'ok', kind);
    return { id };
  });
  if ('refused' in outcome) throw outcome.refused;
  return filingById(ctx, outcome.id);
}

function semesterError(): Error {
  return new BadUserInputError(
    `学期格式应为 YYYY-YYYY-1 或 YYYY-YYYY-2（如 2025-2026-1） / semester must be like 2025-2026-1`,
  );
}

async function insertEvent(
  db: Kysely<Database>,
  filingId: number,
  action: FilingAction,
  note: string | null,
  viewer: Viewer,
  at: Date,
): Promise<void> {
  await sql`INSERT INTO semester_filing_events (filing_id, action, note, user_id, username, occurred_at)
    VALUES (${filingId}, ${action}, ${note}, ${viewer.userId}, ${viewer.username},
      ${at.toISOString()}::TIMESTAMPTZ)`.execute(db);
}

/** A filing as the viewer sees it; NOT_FOUND when missing or outside the remit. */
async function filingById(ctx: GraphQLContext, id: number): Promise<SemesterFilingOut> {
  const row = (
    await sql<FilingRow>`SELECT filing_id, school_code, semester, kind, payload, status,
        filed_at, filed_by_name, review_note, reviewed_at, reviewed_by_name
      FROM semester_filings WHERE filing_id = ${id}`.execute(ctx.db)
  ).rows[0];
  const semester = row === undefined ? null : filingSemester(ctx.policy, row.semester);
  const school =
    row === undefined || semester === null
      ? undefined
      : (
          await visibleSchools(ctx.db, ctx.viewer, semester, {
            schoolCode: row.school_code,
            now: ctx.now(),
          })
        )[0];
  if (row === undefined || semester === null || school === undefined)
    throw new NotFoundError(FILING_NOT_FOUND);
  return toFiling(row, school, semester);
}

/** Mutation.reviewFiling: the bureau accepts or returns (with a note) a filed filing. */
export async function reviewFiling(
  ctx: GraphQLContext,
  request: { id: string; decision: 'ACCEPT' | 'RETURN'; note: string | null | undefined },
): Promise<SemesterFilingOut> {
  const { viewer } = ctx;
  const at = ctx.now();
  const id = parseId(request.id);
  const note = request.note?.trim() ?? '';
  const audit = (db: Kysely<Database>, outcome: 'ok' | 'denied' | 'failed', detail: string) =>
    insertAudit(db, {
      at,
      userId: viewer.userId,
      username: viewer.username,
      action: 'filings.review',
      target: id === null ? null : `filing:${id}`,
      outcome,
      detail,
      ip: null,
    });
  const outcome = await ctx.writer.write(async ({ db }) => {
    if (viewer.role !== 'BUREAU_INSPECTOR') {
      await audit(db, 'denied', 'role');
      return {
        refused: new ForbiddenError(
          `只有${ROLE_LABEL.BUREAU_INSPECTOR}可以受理或退回备案 / only the bureau reviews filings`,
        ) as Error,
      };
    }
    if (request.decision === 'RETURN' && note.length === 0) {
      await audit(db, 'failed', 'note');
      return {
        refused: new BadUserInputError('退回须写明原因 / a return needs a reason') as Error,
      };
    }
    if (note.length > MAX_NOTE) {
      await audit(db, 'failed', 'note');
      return {
        refused: new BadUserInputError(
          `说明不能超过 ${MAX_NOTE} 字 / the note is longer than ${MAX_NOTE} characters`,
        ) as Error,
      };
    }
    const to: FilingStatus = request.decision === 'ACCEPT' ? 'ACCEPTED' : 'RETURNED';
    const moved =
      id === null
        ? []
        : (
            await sql<{ filing_id: number }>`UPDATE semester_filings
              SET status = ${to}, review_note = ${note === '' ? null : note},
                reviewed_at = ${at.toISOString()}::TIMESTAMPTZ, reviewed_by_name = ${viewer.name}
              WHERE filing_id = ${id} AND status = 'FILED' RETURNING filing_id`.execute(db)
          ).rows;
    if (id === null || moved.length === 0) {
      const exists =
        id !== null &&
        (
          await sql<{ n: number }>`SELECT count(*)::INTEGER AS n FROM semester_filings
          WHERE filing_id = ${id}`.execute(db)
        ).rows[0]?.n === 1;
      await audit(db, 'failed', exists ? 'status' : 'not_found');
      return {
        refused: exists
          ? (new BadUserInputError(
              '该备案已受理或已退回，只能审核「已备案」的备案 / only a FILED filing can be reviewed',
            ) as Error)
          : (new NotFoundError(FILING_NOT_FOUND) as Error),
      };
    }
    await insertEvent(
      db,
      id,
      request.decision === 'ACCEPT' ? 'ACCEPT' : 'RETURN',
      note || null,
      viewer,
      at,
    );
    await audit(db, 'ok', to);
    return { id };
  });
  if ('refused' in outcome) throw outcome.refused;
  return filingById(ctx, outcome.id);
}
