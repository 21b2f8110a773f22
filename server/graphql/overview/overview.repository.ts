/**
 * Aggregates behind Overview, one SELECT per fact table, each grouped by month so a
 * 24-month trend costs the same as one month, and optionally by township so every
 * township's overview costs the same too. overviewTotalRows runs the four as one statement.
 * Every query starts from the viewer's scope (withScope, joinScope).
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/database.ts';
import { flagViewOf } from '../flags/flag-row.ts';
import { openFlagsBySchoolSql } from '../flags/flags.repository.ts';
import {
  answerScoreSql,
  OVERALL_ANSWERS,
  SCOPED_RESPONSES,
} from '../satisfaction/satisfaction.repository.ts';
import { joinScope, withScope, type ScopeRequest } from '../scope/scope.ts';

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
  if (grouping === 'scope') return { column: sql`NULL::VARCHAR`, join: sql``, terms: [] };
  return {
    column: sql`st.township`,
    join: sql`JOIN schools st ON st.school_code = ${code}`,
    terms: [sql`st.township`],
  };
}

/**
 * A totals SELECT's `month` column and GROUP BY clause: the month (and `terms`) over a
 * range of months. A one-month request (every overview) names its month as a constant and
 * groups by `terms` only, so with no terms DuckDB aggregates without a hash table (a hash
 * aggregate costs 1–4 ms even for ten rows on 2 busy cores). That aggregate gives its row
 * even without input rows: counts 0 and sums null, which overviewCore reads exactly as
 * it reads a missing row.
 */
function monthGroups(
  request: ScopeRequest,
  month: RawBuilder<unknown>,
  terms: readonly RawBuilder<unknown>[],
): { month: RawBuilder<unknown>; groupBy: RawBuilder<unknown> } {
  const [only, ...more] = request.months;
  if (only !== undefined && more.length === 0)
    return {
      month: sql`${only}::VARCHAR`,
      groupBy: terms.length > 0 ? sql`GROUP BY ${sql.join(terms)}` : sql``,
    };
  return { month, groupBy: sql`GROUP BY ${sql.join([month, ...terms])}` };
}

/** The township of a fact row joined by joinScope (`ss`), as byTownship gives it. */
function scopeTownship(grouping: OverviewGrouping) {
  return grouping === 'township'
    ? { column: sql`ss.township`, terms: [sql`ss.township`] }
    : { column: sql`NULL::VARCHAR`, terms: [] };
}

/**
 * SQL truth of "the monthly report `r` meets 5+2" in the months row `m` (withScope's
 * months): service on the required share of school days, each at least the daily minimum.
 * The overview's rate and the evaluation's measure (evaluation-measures.repository.ts) both
 * count with it.
 */
export const FIVE_PLUS_TWO = sql<boolean>`(r.service_days >= r.school_days * m.required_day_share
          AND r.daily_minutes >= m.min_daily_minutes)`;

/**
 * SQL truth of "the monthly report `r`, loaded by batch `b`, arrived by the deadline of
 * the months row `m`" (report timeliness), for the overview and the evaluation alike.
 */
export const REPORT_ON_TIME = sql<boolean>`(b.loaded_at <= m.report_due)`;

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

/**
 * Report totals after withScope, unordered: the scope's schools counted per month (and
 * township), and the reports of scope schools summed (joinScope, not a join with every
 * scope pair), joined. A month without scope schools still gives a row, township null,
 * for its policy minutes.
 */
function reportTotalsSelect(
  request: ScopeRequest,
  grouping: OverviewGrouping,
): RawBuilder<unknown> {
  const by = byTownship(grouping, sql`sc.school_code`);
  const counted = monthGroups(request, sql`sc.month`, by.terms);
  const township = scopeTownship(grouping);
  const reported = monthGroups(request, sql`m.month`, township.terms);
  return sql`SELECT m.month, cnt.township,
      coalesce(cnt.schools_in_scope, 0) AS schools_in_scope,
      coalesce(rep.schools_reporting, 0) AS schools_reporting,
      coalesce(rep.schools_offering, 0) AS schools_offering,
      coalesce(rep.schools_five_plus_two, 0) AS schools_five_plus_two,
      coalesce(rep.schools_on_time, 0) AS schools_on_time,
      rep.teachers_serving, rep.teachers_total, rep.external_staff, rep.providers,
      rep.providers_unapproved,
      m.min_daily_minutes
    FROM months m
    LEFT JOIN (
      SELECT ${counted.month} AS month, ${by.column} AS township,
        count(*)::INTEGER AS schools_in_scope
      FROM scope sc ${by.join}
      ${counted.groupBy}) cnt ON cnt.month = m.month
    LEFT JOIN (
      SELECT ${reported.month} AS month, ${township.column} AS township,
        count(*)::INTEGER AS schools_reporting,
        count(*) FILTER (WHERE r.service_days > 0)::INTEGER AS schools_offering,
        count(*) FILTER (WHERE ${FIVE_PLUS_TWO})::INTEGER AS schools_five_plus_two,
        count(*) FILTER (WHERE ${REPORT_ON_TIME})::INTEGER AS schools_on_time,
        sum(r.teachers_serving)::DOUBLE AS teachers_serving,
        sum(ss.teachers_total)::DOUBLE AS teachers_total,
        sum(r.external_staff)::DOUBLE AS external_staff,
        sum(r.providers)::DOUBLE AS providers,
        sum(r.providers_unapproved)::DOUBLE AS providers_unapproved
      FROM monthly_reports r ${joinScope(request, 'r')}
      LEFT JOIN load_batches b ON b.batch_id = r.batch_id
      ${reported.groupBy}) rep
      ON rep.month = m.month AND rep.township IS NOT DISTINCT FROM cnt.township`;
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

/** Participation totals after withScope: the rollup's rows of scope pairs, summed. */
function participationTotalsSelect(
  request: ScopeRequest,
  grouping: OverviewGrouping,
): RawBuilder<unknown> {
  const township = scopeTownship(grouping);
  const g = monthGroups(request, sql`m.month`, township.terms);
  return sql`SELECT ${g.month} AS month, ${township.column} AS township, ${ROLLUP_SUMS}
    FROM participation_monthly p ${joinScope(request, 'p')}
    ${g.groupBy}`;
}

export interface SatisfactionTotalsRow {
  month: string;
  respondent: string;
  responses: number;
  answers: number;
  score_sum: number | null;
  satisfied: number;
}

/** satisfactionTotals' SELECT over `resp` (SCOPED_RESPONSES). */
function satisfactionTotalsSelect(
  request: ScopeRequest,
  grouping: OverviewGrouping,
): RawBuilder<unknown> {
  const by = byTownship(grouping, sql`resp.school_code`);
  const g = monthGroups(request, sql`resp.scope_month`, [...by.terms, sql`resp.respondent`]);
  return sql`SELECT ${g.month} AS month, ${by.column} AS township, resp.respondent,
      count(*)::INTEGER AS responses,
      count(a.score)::INTEGER AS answers,
      sum(${answerScoreSql('a')})::DOUBLE AS score_sum,
      count(*) FILTER (WHERE a.score >= 4)::INTEGER AS satisfied
    FROM resp LEFT JOIN ${OVERALL_ANSWERS} a
      ON a.batch_id = resp.batch_id AND a.response_no = resp.response_no
    ${by.join}
    ${g.groupBy}`;
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
  const result = await sql<
    SatisfactionTotalsRow & GroupedRow
  >`${withScope(request)}${SCOPED_RESPONSES}
    ${satisfactionTotalsSelect(request, grouping)}`.execute(db);
  return result.rows;
}

export interface OpenFlagsRow extends GroupedRow {
  open_flags: number;
  overdue_flags: number;
}

/**
 * Open flags and, of them, the overdue ones: the shared count (openFlagsBySchoolSql), as
 * of now and the same for every month of the request. After withScope.
 */
function openFlagTotalsSelect(
  request: ScopeRequest,
  grouping: OverviewGrouping,
): RawBuilder<unknown> {
  const by = byTownship(grouping, sql`o.school_code`);
  const g = monthGroups(request, sql`m.month`, by.terms);
  return sql`SELECT ${g.month} AS month, ${by.column} AS township,
      coalesce(sum(o.open_flags), 0)::INTEGER AS open_flags,
      coalesce(sum(o.overdue_flags), 0)::INTEGER AS overdue_flags
    FROM months m CROSS JOIN (${openFlagsBySchoolSql(flagViewOf(request), request.filter)}) o
    ${by.join}
    ${g.groupBy}`;
}

/** The rows behind a set of overviews (overview.service.ts), one array per fact. */
export interface OverviewTotalsRows {
  reports: ReportTotalsRow[];
  participation: (ParticipationTotalsRow & GroupedRow)[];
  satisfaction: (SatisfactionTotalsRow & GroupedRow)[];
  flags: OpenFlagsRow[];
}

/**
 * The four totals in one statement: the scope (a 督学's remit above all) is computed and
 * planned once, not four times, and one statement's fixed costs are paid instead of four
 * (four statements in parallel cost a 督学's overview twice the hand-written SQL). Reports
 * come ordered by month and township (a null township last); each row also carries the
 * other facts' columns, as null (UNION ALL BY NAME).
 */
export async function overviewTotalRows(
  db: Kysely<Database>,
  request: ScopeRequest,
  grouping: OverviewGrouping = 'scope',
): Promise<OverviewTotalsRows> {
  const result = await sql<
    { kind: keyof OverviewTotalsRows } & Record<string, unknown>
  >`${withScope(request)}${SCOPED_RESPONSES},
    rep AS (${reportTotalsSelect(request, grouping)}),
    par AS (${participationTotalsSelect(request, grouping)}),
    sat AS (${satisfactionTotalsSelect(request, grouping)}),
    fl AS (${openFlagTotalsSelect(request, grouping)})
    SELECT 'reports' AS kind, * FROM rep
    UNION ALL BY NAME SELECT 'participation' AS kind, * FROM par
    UNION ALL BY NAME SELECT 'satisfaction' AS kind, * FROM sat
    UNION ALL BY NAME SELECT 'flags' AS kind, * FROM fl
    ORDER BY month, township`.execute(db);
  const out: OverviewTotalsRows = { reports: [], participation: [], satisfaction: [], flags: [] };
  for (const { kind, ...row } of result.rows) (out[kind] as unknown[]).push(row);
  return out;
}
