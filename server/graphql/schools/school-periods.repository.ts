/**
 * Per-school figures of a semester or school year: the school-month rows of
 * schools.repository.ts summed per school, then sorted and paged in SQL. Counts are summed
 * over the period's summed months (those with service, summedMonths in period-arg.ts) and
 * the rates toSchoolMonth computes are their quotients; parents' answers count over all the
 * period's months (single-month windows, so each once); open flags are as of now. Unlike a
 * month's page, every scope school's figures are computed before the page is cut (the sort
 * key is an aggregate over months).
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/database.ts';
import { PRIORITY_GROUP_COLUMNS } from '../../db/vocabulary/priority-groups.ts';
import { withScope, type ScopeRequest } from '../scope/scope.ts';
import {
  flOf,
  partOf,
  rowsOf,
  satOf,
  sortExpression,
  type SchoolMonthRow,
  type SchoolQuery,
} from './schools.repository.ts';

const SUMMED_COUNTS = [
  'school_days',
  'service_days',
  'teachers_serving',
  'external_staff',
  'providers_unapproved',
  'incidents',
  'complaints',
  'enrolled',
  'applicants',
  'participants',
  'five_day_participants',
  'five_day_base',
  ...PRIORITY_GROUP_COLUMNS.flatMap((g) => [`${g}_enrolled`, `${g}_participants`]),
];

/** One row per scope school over the period's months (`month` = the period's last month). */
function periodRowsSql(summed: readonly string[], lastMonth: string): RawBuilder<unknown> {
  const inSum =
    summed.length === 0 ? sql`FALSE` : sql`month IN (${sql.join(summed.map((m) => sql`${m}`))})`;
  const sums = sql.join(
    SUMMED_COUNTS.map(
      (c) => sql`(sum(${sql.ref(c)}) FILTER (WHERE ${inSum}))::DOUBLE AS ${sql.ref(c)}`,
    ),
  );
  return sql`SELECT school_code, ${lastMonth}::VARCHAR AS month,
      any_value(school_name) AS school_name, any_value(township) AS township,
      any_value(stage) AS stage, any_value(locality) AS locality,
      any_value(ownership) AS ownership, any_value(remote) AS remote,
      any_value(teachers_total) AS teachers_total,
      coalesce(bool_or(reported) FILTER (WHERE ${inSum}), FALSE) AS reported,
      (sum(teachers_total) FILTER (WHERE ${inSum} AND reported))::DOUBLE AS teachers_base,
      ${sums},
      -- Minutes per service day over the period: service minutes / service days.
      (CASE WHEN sum(service_days) FILTER (WHERE ${inSum}) > 0
        THEN round(sum(daily_minutes * service_days) FILTER (WHERE ${inSum})
          / sum(service_days) FILTER (WHERE ${inSum})) END)::INTEGER AS daily_minutes,
      max(latest_end_time) FILTER (WHERE ${inSum}) AS latest_end_time,
      max(fee_per_period) FILTER (WHERE ${inSum}) AS fee_per_period,
      sum(satisfaction_responses)::INTEGER AS satisfaction_responses,
      sum(satisfaction_answers)::INTEGER AS satisfaction_answers,
      sum(satisfaction_score_sum)::DOUBLE AS satisfaction_score_sum,
      max(open_flags)::INTEGER AS open_flags
    FROM rows GROUP BY school_code`;
}

/**
 * The schools of `request` (months: every month of the period; window MONTH) with their
 * figures over the period, sorted and cut to `page` (all of them without a page).
 */
export async function schoolPeriods(
  db: Kysely<Database>,
  request: ScopeRequest,
  summed: readonly string[],
  page: SchoolQuery | null,
): Promise<SchoolMonthRow[]> {
  const last = request.months[request.months.length - 1] as string;
  const order = page
    ? sql`ORDER BY ${sortExpression(page)} ${page.descending ? sql`DESC` : sql`ASC`} NULLS LAST, school_code`
    : sql`ORDER BY school_code`;
  const cut = page ? sql`LIMIT ${page.limit} OFFSET ${page.offset}` : sql``;
  const result = await sql<SchoolMonthRow>`${withScope(request)},
    part AS (${partOf('scope')}),
    sat AS (${satOf('scope')}),
    fl AS (${flOf('scope', request)}),
    rows AS (${rowsOf('scope')}),
    per_school AS (${periodRowsSql(summed, last)})
    SELECT *, (count(*) OVER ())::INTEGER AS total FROM per_school ${order} ${cut}`.execute(db);
  return result.rows;
}
