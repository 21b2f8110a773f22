/**
 * The one place a viewer's remit meets a question's scope. Every metric query joins the
 * `scope(school_code, month)` relation built here, so a repository cannot forget it:
 * district-wide roles see every school open in the month; a supervising inspector sees
 * exactly the schools the assignments give their inspector ID in that month. The filter
 * (township, stage, locality, schoolCodes) only narrows it.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Viewer } from '../../auth/viewer.ts';
import { isDistrictWide } from '../../auth/viewer.ts';
import type { Locality, Stage } from '../../db/tables/schools.table.ts';
import { UnreachableCaseError } from '../errors.ts';
import type { DistrictPolicy } from '../../policy/policy.ts';
import { monthRules } from '../../policy/month-rules.ts';
import { semesterStart } from './months.ts';

export interface ScopeFilter {
  township?: string | null;
  schoolCodes?: readonly string[] | null;
  stage?: Stage | null;
  locality?: Locality | null;
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

/**
 * A supervising inspector's schools and the months each is theirs. This is the
 * inspector_assignment_periods view computed for their own schools only: the view runs
 * lead() over every assignment of the city, which cost ~20 ms a query at 10,000 schools.
 */
function remitCte(inspectorId: string): RawBuilder<unknown> {
  return sql`mine AS (SELECT DISTINCT school_code FROM inspector_assignments WHERE inspector_id = ${inspectorId}),
    remit AS (
      SELECT a.school_code, p.valid_from, p.valid_until
      FROM (SELECT school_code, effective_month AS valid_from,
              lead(effective_month) OVER (PARTITION BY school_code ORDER BY effective_month) AS valid_until
            FROM (SELECT DISTINCT school_code, effective_month FROM inspector_assignments
                  WHERE school_code IN (SELECT school_code FROM mine))) p
      JOIN inspector_assignments a ON a.school_code = p.school_code AND a.effective_month = p.valid_from
      WHERE a.inspector_id = ${inspectorId}),`;
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
 * `WITH months AS (…), scope AS (…)` for a query that continues with `, other_cte AS …`
 * or a SELECT; scope rows are (school_code, month) pairs within the viewer's remit.
 */
export function withScope(request: ScopeRequest): RawBuilder<unknown> {
  const conditions = [
    sql`(s.valid_from IS NULL OR s.valid_from <= last_day(m.month_start))`,
    sql`(s.valid_to IS NULL OR s.valid_to > m.month_start)`,
    ...filterConditions(request.filter),
  ];
  const where = sql.join(conditions, sql` AND `);
  const { role, inspectorId } = request.viewer;
  if (isDistrictWide(role)) {
    return sql`WITH months AS (${monthsValues(request)}),
      scope AS (SELECT s.school_code, m.month FROM schools s CROSS JOIN months m WHERE ${where})`;
  }
  // A supervising inspector without an inspector ID has no schools, not all of them.
  if (inspectorId === null) {
    return sql`WITH months AS (${monthsValues(request)}),
      scope AS (SELECT s.school_code, m.month FROM schools s CROSS JOIN months m WHERE FALSE)`;
  }
  return sql`WITH months AS (${monthsValues(request)}), ${remitCte(inspectorId)}
    scope AS (
      SELECT s.school_code, m.month FROM months m
      JOIN remit r ON r.valid_from <= m.month AND (r.valid_until IS NULL OR r.valid_until > m.month)
      JOIN schools s ON s.school_code = r.school_code
      WHERE ${where})`;
}
