/**
 * The one place a viewer's remit meets a question's scope. Every metric query joins the
 * `scope(school_code, month)` relation built here, so a repository cannot forget it:
 * district-wide roles see every school open in the month; a supervising inspector sees
 * exactly the schools the assignments give their inspector ID in that month; a school
 * reporter their one school; a township reviewer the township's schools. The filter
 * (township, stage, locality, schoolCodes) only narrows it.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Viewer } from '../../auth/viewer.ts';
import type { Locality, Stage } from '../../db/tables/schools.table.ts';
import { UnreachableCaseError } from '../errors.ts';
import type { DistrictPolicy } from '../../policy/policy.ts';
import { monthRules } from '../../policy/month-rules.ts';
import { semesterStart } from './months.ts';
import { assignmentPeriodsSql, periodHoldsSql, remitOf } from '../../db/remit.ts';
import type { Disclosure } from './disclosure.ts';

export interface ScopeFilter {
  township?: string | null;
  schoolCodes?: readonly string[] | null;
  stage?: Stage | null;
  locality?: Locality | null;
  /**
   * Only school-months whose review is APPROVED (已审核, issue 17): every metric then counts
   * the locked figures only.
   */
  approvedOnly?: boolean | null;
}

export type SatisfactionWindow = 'MONTH' | 'SEMESTER_TO_DATE';

export interface ScopeRequest {
  viewer: Viewer;
  filter: ScopeFilter;
  months: readonly string[];
  policy: DistrictPolicy;
  window?: SatisfactionWindow;
  /** "YYYY-MM-DD" in Asia/Shanghai, for overdue rectifications; default: today. */
  today?: string;
  /** Exact or protected priority-group counts (scope/disclosure.ts); default: exact. */
  disclosure?: Disclosure;
}

function windowStart(month: string, window: SatisfactionWindow): string {
  switch (window) {
    case 'MONTH':
      return month;
    case 'SEMESTER_TO_DATE':
      return semesterStart(month);
    default:
      throw new UnreachableCaseError(window);
  }
}

/** Each month with the parameters its metrics are judged by (policy version, windows). */
function monthsValues(request: ScopeRequest): RawBuilder<unknown> {
  const rows = request.months.map((month) => {
    const rules = monthRules(request.policy, month);
    return sql`(${month}, ${windowStart(month, request.window ?? 'SEMESTER_TO_DATE')}, ${rules.version.service.min_daily_minutes}::INTEGER, ${rules.requiredDayShare}::DOUBLE, ${rules.reportDueAt}::TIMESTAMPTZ, ${`${month}-01`}::DATE)`;
  });
  return sql`SELECT * FROM (VALUES ${sql.join(rows)}) AS v(month, window_start, min_daily_minutes, required_day_share, report_due, month_start)`;
}

/** A supervising inspector's schools and the months each is theirs (see server/db/remit.ts). */
function remitCte(inspectorId: string): RawBuilder<unknown> {
  return sql`remit AS (${assignmentPeriodsSql(inspectorId)}),`;
}

/** The scope filter's conditions on a registry row aliased `s`. */
export function filterConditions(filter: ScopeFilter): RawBuilder<unknown>[] {
  const out: RawBuilder<unknown>[] = [];
  if (filter.township != null) out.push(sql`s.township = ${filter.township}`);
  if (filter.stage != null) out.push(sql`s.stage = ${filter.stage}`);
  if (filter.locality != null) out.push(sql`s.locality = ${filter.locality}`);
  if (filter.schoolCodes != null) {
    out.push(
      filter.schoolCodes.length === 0
        ? sql`FALSE`
        : sql`s.school_code IN (${sql.join(filter.schoolCodes.map((c) => sql`${c}`))})`,
    );
  }
  return out;
}

/**
 * `months AS (…), [mine, remit,] scope_schools AS (…)`: the registry rows the viewer may
 * see, each with the months it is theirs as bounds (the school's own validity dates and,
 * for a supervising inspector, the assignment period), already narrowed by the filter.
 */
function scopeSchoolsCtes(request: ScopeRequest): RawBuilder<unknown> {
  const filter = filterConditions(request.filter);
  const where = filter.length > 0 ? sql.join(filter, sql` AND `) : sql`TRUE`;
  const remit = remitOf(request.viewer);
  const registry = (bound: RawBuilder<unknown>) => sql`months AS (${monthsValues(request)}),
      scope_schools AS (
        SELECT s.school_code, s.township, s.teachers_total, s.valid_from, s.valid_to,
          NULL::VARCHAR AS remit_from, NULL::VARCHAR AS remit_until
        FROM schools s WHERE ${bound} AND ${where})`;
  switch (remit.kind) {
    case 'district':
      return registry(sql`TRUE`);
    case 'none':
      return registry(sql`FALSE`);
    case 'school':
      return registry(sql`s.school_code = ${remit.schoolCode}`);
    case 'township':
      return registry(sql`s.township = ${remit.township}`);
    case 'inspector':
      return sql`months AS (${monthsValues(request)}), ${remitCte(remit.inspectorId)}
      scope_schools AS (
        SELECT s.school_code, s.township, s.teachers_total, s.valid_from, s.valid_to,
          r.valid_from AS remit_from, r.valid_until AS remit_until
        FROM remit r JOIN schools s ON s.school_code = r.school_code
        WHERE ${where})`;
    default:
      throw new UnreachableCaseError(remit);
  }
}

/**
 * The condition under which the scope_schools row `ss` is in scope in the months row `m`:
 * the school is open in the month and, for a supervising inspector, assigned to them then;
 * with approvedOnly, the school-month's review is APPROVED.
 */
function inScope(request: ScopeRequest, ss: string, m: string): RawBuilder<unknown> {
  const school = sql.ref(ss);
  const month = sql.ref(m);
  const open = sql`(${school}.valid_from IS NULL OR ${school}.valid_from <= last_day(${month}.month_start))
    AND (${school}.valid_to IS NULL OR ${school}.valid_to > ${month}.month_start)`;
  const approved = request.filter.approvedOnly
    ? sql` AND EXISTS (SELECT 1 FROM unit_reviews ur WHERE ur.school_code = ${school}.school_code
        AND ur.month = ${month}.month AND ur.status = 'APPROVED')`
    : sql``;
  if (remitOf(request.viewer).kind !== 'inspector') return sql`${open}${approved}`;
  return sql`${open} AND ${periodHoldsSql(sql`${school}.remit_from`, sql`${school}.remit_until`, sql`${month}.month`)}${approved}`;
}

/**
 * `WITH months AS (…), …, scope AS (…)` for a query that continues with `, other_cte AS …`
 * or a SELECT; scope rows are (school_code, month) pairs within the viewer's remit.
 * Also defined: `scope_schools` (see scopeSchoolsCtes) for joinScope.
 */
export function withScope(request: ScopeRequest): RawBuilder<unknown> {
  return sql`WITH ${scopeSchoolsCtes(request)},
    scope AS (
      SELECT ss.school_code, m.month FROM months m
      JOIN scope_schools ss ON ${inScope(request, 'ss', 'm')})`;
}

/**
 * `JOIN months m … JOIN scope_schools ss …` after `FROM <fact table> <alias>`: keeps the
 * fact rows (keyed by school_code and month) whose pair is in scope, exactly the rows a
 * join with `scope` on both columns keeps, each once per scope pair. Planned as two
 * small joins (the request's months; the scope's schools) instead of a join with every
 * (school, month) pair, which costs ~80 ms for a 24-month trend of 10,000 schools. `m`
 * and `ss` (with township and teachers_total) are then there to read.
 */
export function joinScope(
  request: ScopeRequest,
  fact: string,
  aliases: { months: string; schools: string } = { months: 'm', schools: 'ss' },
): RawBuilder<unknown> {
  const f = sql.ref(fact);
  const m = sql.ref(aliases.months);
  const ss = sql.ref(aliases.schools);
  return sql`JOIN months ${m} ON ${m}.month = ${f}.month
    JOIN scope_schools ${ss} ON ${ss}.school_code = ${f}.school_code
      AND ${inScope(request, aliases.schools, aliases.months)}`;
}
