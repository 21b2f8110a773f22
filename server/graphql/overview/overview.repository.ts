/**
 * Aggregates behind Overview, one query per fact table, each grouped by month so a
 * 24-month trend costs the same four queries as one month, and optionally by township so
 * every township's overview costs the same four queries too. Every query starts from the
 * viewer's scope (withScope).
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { currentDate } from '../../db/calendar.ts';
import type { Database } from '../../db/database.ts';
import { OVERALL_ANSWERS, SCOPED_RESPONSES } from '../satisfaction/satisfaction.repository.ts';
import { withScope, type ScopeRequest } from '../scope/scope.ts';

/** What rows are grouped by besides the month: the whole scope, or each township in it. */
export type OverviewGrouping = 'scope' | 'township';

/** Every totals row names its group; `township` is null when grouped by 'scope'. */
export interface GroupedRow {
  month: string;
  township: string | null;
}

/**
 * The township column, its join and GROUP BY term for a query whose scope school code is
 * `code`. Grouping by 'scope' adds nothing, so the district query stays as it was.
 */
function byTownship(grouping: OverviewGrouping, code: RawBuilder<unknown>) {
  if (grouping === 'scope') return { column: sql`NULL::VARCHAR`, join: sql``, group: sql`` };
  return {
    column: sql`st.township`,
    join: sql`JOIN schools st ON st.school_code = ${code}`,
    group: sql`, st.township`,
  };
}

export interface ReportTotalsRow extends GroupedRow {
  schools_in_scope: number;
  schools_reporting: number;
  schools_offering: number;
  schools_five_plus_two: number;
  schools_on_time: number;
  teachers_serving: number | null;
  teachers_total: number | null;
  external_staff: number | null;
  providers: number | null;
  providers_unapproved: number | null;
  min_daily_minutes: number;
}

export async function reportTotals(
  db: Kysely<Database>,
  request: ScopeRequest,
  grouping: OverviewGrouping = 'scope',
): Promise<ReportTotalsRow[]> {
  // Schools are joined already (as s). A month without scope schools still gives a row,
  // township null, for its policy minutes.
  const township = grouping === 'township' ? sql`s.township` : sql`NULL::VARCHAR`;
  const result = await sql<ReportTotalsRow>`${withScope(request)}
    SELECT m.month, ${township} AS township,
      count(sc.school_code)::INTEGER AS schools_in_scope,
      count(r.school_code)::INTEGER AS schools_reporting,
      count(r.school_code) FILTER (WHERE r.service_days > 0)::INTEGER AS schools_offering,
      count(r.school_code) FILTER (WHERE r.service_days >= r.school_days * m.required_day_share
        AND r.daily_minutes >= m.min_daily_minutes)::INTEGER AS schools_five_plus_two,
      count(r.school_code) FILTER (WHERE b.loaded_at <= m.report_due)::INTEGER AS schools_on_time,
      sum(r.teachers_serving)::DOUBLE AS teachers_serving,
      sum(s.teachers_total) FILTER (WHERE r.school_code IS NOT NULL)::DOUBLE AS teachers_total,
      sum(r.external_staff)::DOUBLE AS external_staff,
      sum(r.providers)::DOUBLE AS providers,
      sum(r.providers_unapproved)::DOUBLE AS providers_unapproved,
      any_value(m.min_daily_minutes) AS min_daily_minutes
    FROM months m
    LEFT JOIN scope sc ON sc.month = m.month
    LEFT JOIN schools s ON s.school_code = sc.school_code
    LEFT JOIN monthly_reports r ON r.school_code = sc.school_code AND r.month = sc.month
    LEFT JOIN load_batches b ON b.batch_id = r.batch_id
    GROUP BY m.month${grouping === 'township' ? sql`, s.township` : sql``}
    ORDER BY m.month, township`.execute(db);
  return result.rows;
}

const GROUP_SUMS = sql`
      sum(p.left_behind_enrolled)::DOUBLE AS left_behind_enrolled,
      sum(p.left_behind_participants)::DOUBLE AS left_behind_participants,
      sum(p.migrant_enrolled)::DOUBLE AS migrant_enrolled,
      sum(p.migrant_participants)::DOUBLE AS migrant_participants,
      sum(p.disabled_enrolled)::DOUBLE AS disabled_enrolled,
      sum(p.disabled_participants)::DOUBLE AS disabled_participants,
      sum(p.poor_enrolled)::DOUBLE AS poor_enrolled,
      sum(p.poor_participants)::DOUBLE AS poor_participants`;

export interface ParticipationTotalsRow {
  month: string;
  enrolled: number | null;
  applicants: number | null;
  participants: number | null;
  five_day_participants: number | null;
  five_day_base: number | null;
  left_behind_enrolled: number | null;
  left_behind_participants: number | null;
  migrant_enrolled: number | null;
  migrant_participants: number | null;
  disabled_enrolled: number | null;
  disabled_participants: number | null;
  poor_enrolled: number | null;
  poor_participants: number | null;
}

/** Summed counts; five_day_base counts participants only where five-day data was reported. */
export const PARTICIPATION_SUMS = sql`
      sum(p.enrolled)::DOUBLE AS enrolled,
      sum(p.applicants)::DOUBLE AS applicants,
      sum(p.participants)::DOUBLE AS participants,
      sum(p.five_day_participants)::DOUBLE AS five_day_participants,
      sum(p.participants) FILTER (WHERE p.five_day_participants IS NOT NULL)::DOUBLE AS five_day_base,
      ${GROUP_SUMS}`;

/** The same sums over participation_monthly, whose rows already sum a school-month. */
export const ROLLUP_SUMS = sql`
      sum(p.enrolled)::DOUBLE AS enrolled,
      sum(p.applicants)::DOUBLE AS applicants,
      sum(p.participants)::DOUBLE AS participants,
      sum(p.five_day_participants)::DOUBLE AS five_day_participants,
      sum(p.five_day_base)::DOUBLE AS five_day_base,
      ${GROUP_SUMS}`;

export async function participationTotals(
  db: Kysely<Database>,
  request: ScopeRequest,
  grouping: OverviewGrouping = 'scope',
): Promise<(ParticipationTotalsRow & GroupedRow)[]> {
  const by = byTownship(grouping, sql`sc.school_code`);
  const result = await sql<ParticipationTotalsRow & GroupedRow>`${withScope(request)}
    SELECT sc.month, ${by.column} AS township, ${ROLLUP_SUMS}
    FROM scope sc
    JOIN participation_monthly p ON p.school_code = sc.school_code AND p.month = sc.month
    ${by.join}
    GROUP BY sc.month${by.group}`.execute(db);
  return result.rows;
}

export interface SatisfactionTotalsRow {
  month: string;
  respondent: string;
  responses: number;
  answers: number;
  score_sum: number | null;
  satisfied: number;
}

/**
 * Respondents of scope schools submitted in each month's window, and their answers to
 * the overall item (score 5..1 → 100..0).
 */
export async function satisfactionTotals(
  db: Kysely<Database>,
  request: ScopeRequest,
  grouping: OverviewGrouping = 'scope',
): Promise<(SatisfactionTotalsRow & GroupedRow)[]> {
  const by = byTownship(grouping, sql`resp.school_code`);
  const result = await sql<
    SatisfactionTotalsRow & GroupedRow
  >`${withScope(request)}${SCOPED_RESPONSES}
    SELECT resp.scope_month AS month, ${by.column} AS township, resp.respondent,
      count(*)::INTEGER AS responses,
      count(a.score)::INTEGER AS answers,
      sum((a.score - 1) * 25)::DOUBLE AS score_sum,
      count(*) FILTER (WHERE a.score >= 4)::INTEGER AS satisfied
    FROM resp LEFT JOIN ${OVERALL_ANSWERS} a
      ON a.batch_id = resp.batch_id AND a.response_no = resp.response_no
    ${by.join}
    GROUP BY resp.scope_month${by.group}, resp.respondent`.execute(db);
  return result.rows;
}

export interface OpenFlagsRow extends GroupedRow {
  open_flags: number;
  overdue_flags: number;
}

/**
 * Flags not yet CLOSED or DISMISSED, raised for the month or earlier, of scope schools;
 * of them, rectifications past their deadline as of `request.today`.
 */
export async function openFlagTotals(
  db: Kysely<Database>,
  request: ScopeRequest,
  grouping: OverviewGrouping = 'scope',
): Promise<OpenFlagsRow[]> {
  const by = byTownship(grouping, sql`sc.school_code`);
  const result = await sql<OpenFlagsRow>`${withScope(request)}
    SELECT sc.month, ${by.column} AS township, count(*)::INTEGER AS open_flags,
      count(*) FILTER (WHERE f.status = 'RECTIFYING'
        AND f.rectify_deadline < ${request.today ?? currentDate()}::DATE)::INTEGER AS overdue_flags
    FROM scope sc
    JOIN flags f ON f.school_code = sc.school_code
    ${by.join}
    WHERE f.status NOT IN ('CLOSED', 'DISMISSED') AND (f.month IS NULL OR f.month <= sc.month)
    GROUP BY sc.month${by.group}`.execute(db);
  return result.rows;
}
