/**
 * Per-school figures, one row per (school, month) in scope, with the page cut in SQL so
 * a page of 100 schools is one query whatever the sort. Series reuse the same query with
 * many months and one school.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/database.ts';
import { PRIORITY_GROUP_COLUMNS } from '../../db/vocabulary/priority-groups.ts';
import { UnreachableCaseError } from '../errors.ts';
import { flagViewOf } from '../flags/flag-row.ts';
import { openFlagsBySchoolSql } from '../flags/flags.repository.ts';
import { rateSql } from '../metrics/rates.ts';
import type { ParticipationTotalsRow } from '../overview/overview.repository.ts';
import {
  answerScoreSql,
  OVERALL_ANSWERS,
  responsesOf,
} from '../satisfaction/satisfaction.repository.ts';
import { withScope, type ScopeRequest } from '../scope/scope.ts';

export interface SchoolMonthRow extends ParticipationTotalsRow {
  school_code: string;
  school_name: string;
  township: string;
  stage: string;
  locality: string;
  ownership: string;
  remote: boolean;
  teachers_total: number;
  /**
   * Over a period (school-periods.repository.ts): the school's teachers summed over the
   * months it reported, the denominator of its teacher participation. Absent for a month.
   */
  teachers_base?: number | null;
  reported: boolean;
  school_days: number | null;
  service_days: number | null;
  daily_minutes: number | null;
  latest_end_time: string | null;
  fee_per_period: number | null;
  teachers_serving: number | null;
  external_staff: number | null;
  providers_unapproved: number | null;
  incidents: number | null;
  complaints: number | null;
  satisfaction_responses: number;
  satisfaction_answers: number;
  satisfaction_score_sum: number | null;
  open_flags: number;
  total: number;
}

export type SchoolSortKey =
  | 'CODE'
  | 'NAME'
  | 'TOWNSHIP'
  | 'PARTICIPATION_RATE'
  | 'DEMAND_MET_RATE'
  | 'PRIORITY_GAP'
  | 'PRIORITY_SHORTFALL'
  | 'SATISFACTION'
  | 'OPEN_FLAGS'
  | 'ENROLLED';

export interface SchoolQuery {
  sort: SchoolSortKey;
  descending: boolean;
  /** Column prefix of one priority group for PRIORITY_GAP, else the most negative gap. */
  gapGroup: string | null;
  limit: number;
  offset: number;
}

const GROUP_COLUMNS = PRIORITY_GROUP_COLUMNS;

/** A school-month's sums straight from the rollup (one row per school and month). */
const PART_COLUMNS = sql.join(
  [
    'enrolled',
    'applicants',
    'participants',
    'five_day_participants',
    'five_day_base',
    ...GROUP_COLUMNS.flatMap((g) => [`${g}_enrolled`, `${g}_participants`]),
  ].map((c) => sql`${sql.ref(`p.${c}`)}::DOUBLE AS ${sql.ref(c)}`),
);

function gapSql(column: string): RawBuilder<unknown> {
  return sql`(${rateSql(sql.ref(`${column}_participants`), sql.ref(`${column}_enrolled`))} - ${rateSql(sql.ref('participants'), sql.ref('enrolled'))})`;
}

/** The most negative gap among the groups the school enrols (least() skips nulls). */
const LEAST_GAP = sql`least(${sql.join(GROUP_COLUMNS.map(gapSql))})`;

/** Keep in step with priorityShortfall in toSchoolMonth (schools.service.ts). */
const SHORTFALL = sql`(CASE WHEN ${LEAST_GAP} IS NOT NULL THEN greatest(0, -${LEAST_GAP}) END)`;

export function sortExpression(query: SchoolQuery): RawBuilder<unknown> {
  switch (query.sort) {
    case 'CODE':
      return sql`school_code`;
    case 'NAME':
      return sql`school_name COLLATE nocase`;
    case 'TOWNSHIP':
      return sql`township`;
    case 'PARTICIPATION_RATE':
      return rateSql(sql`participants`, sql`enrolled`);
    case 'DEMAND_MET_RATE':
      return rateSql(sql`participants`, sql`applicants`);
    case 'PRIORITY_GAP':
      return query.gapGroup ? gapSql(query.gapGroup) : LEAST_GAP;
    case 'PRIORITY_SHORTFALL':
      return SHORTFALL;
    case 'SATISFACTION':
      return rateSql(sql`satisfaction_score_sum`, sql`satisfaction_answers`);
    case 'OPEN_FLAGS':
      return sql`open_flags`;
    case 'ENROLLED':
      return sql`enrolled`;
    default:
      throw new UnreachableCaseError(query.sort);
  }
}

/** The relations a sort key reads besides the (school, month) pair. */
type Source = 'schools' | 'part' | 'sat' | 'fl';

function sortSource(sort: SchoolSortKey): Source | null {
  switch (sort) {
    case 'CODE':
      return null;
    case 'NAME':
    case 'TOWNSHIP':
      return 'schools';
    case 'PARTICIPATION_RATE':
    case 'DEMAND_MET_RATE':
    case 'PRIORITY_GAP':
    case 'PRIORITY_SHORTFALL':
    case 'ENROLLED':
      return 'part';
    case 'SATISFACTION':
      return 'sat';
    case 'OPEN_FLAGS':
      return 'fl';
    default:
      throw new UnreachableCaseError(sort);
  }
}

/** (school, month) pairs: the whole scope, or the page cut from it. */
export type Pairs = 'scope' | 'page';

/** A school-month's participation sums from the rollup. */
export function partOf(pairs: Pairs): RawBuilder<unknown> {
  return sql`SELECT p.school_code, p.month, ${PART_COLUMNS}
      FROM ${sql.table(pairs)} sc
      JOIN participation_monthly p ON p.school_code = sc.school_code AND p.month = sc.month`;
}

/** A school-month's parent respondents in its window and their overall answers. */
export function satOf(pairs: Pairs): RawBuilder<unknown> {
  return sql`SELECT resp.school_code, resp.scope_month AS month,
        count(*)::INTEGER AS satisfaction_responses,
        count(a.score)::INTEGER AS satisfaction_answers,
        sum(${answerScoreSql('a')})::DOUBLE AS satisfaction_score_sum
      FROM (${responsesOf(pairs)}) resp LEFT JOIN ${OVERALL_ANSWERS} a
        ON a.batch_id = resp.batch_id AND a.response_no = resp.response_no
      WHERE resp.respondent = 'parent'
      GROUP BY resp.school_code, resp.scope_month`;
}

/** A school's open flags (the shared count, as of now), on each of its months. */
export function flOf(pairs: Pairs, request: ScopeRequest): RawBuilder<unknown> {
  return sql`SELECT sc.school_code, sc.month, o.open_flags
      FROM ${sql.table(pairs)} sc
      JOIN (${openFlagsBySchoolSql(flagViewOf(request), {})}) o ON o.school_code = sc.school_code`;
}

const SAT_COLUMNS = sql`coalesce(sat.satisfaction_responses, 0) AS satisfaction_responses,
        coalesce(sat.satisfaction_answers, 0) AS satisfaction_answers,
        sat.satisfaction_score_sum`;
const FL_COLUMNS = sql`coalesce(fl.open_flags, 0) AS open_flags`;

/** Each school-month of `pairs` with its figures, as SchoolMonthRow without `total`. */
export function rowsOf(pairs: Pairs): RawBuilder<unknown> {
  return sql`SELECT sc.school_code, sc.month, s.school_name, s.township, s.stage, s.locality,
        s.ownership, s.remote, s.teachers_total,
        r.school_code IS NOT NULL AS reported, r.school_days, r.service_days, r.daily_minutes,
        r.latest_end_time, r.fee_per_period::DOUBLE AS fee_per_period, r.teachers_serving,
        r.external_staff, r.providers_unapproved, r.incidents, r.complaints,
        part.* EXCLUDE (school_code, month),
        ${SAT_COLUMNS},
        ${FL_COLUMNS}
      FROM ${sql.table(pairs)} sc
      JOIN schools s ON s.school_code = sc.school_code
      LEFT JOIN monthly_reports r ON r.school_code = sc.school_code AND r.month = sc.month
      LEFT JOIN part ON part.school_code = sc.school_code AND part.month = sc.month
      LEFT JOIN sat ON sat.school_code = sc.school_code AND sat.month = sc.month
      LEFT JOIN fl ON fl.school_code = sc.school_code AND fl.month = sc.month`;
}

/**
 * `keyed AS (…), page AS (…)`: the scope pairs with the columns the sort reads (named as
 * in rowsOf, so sortExpression means the same on both), cut to the page. The source the
 * key needs is computed for the whole scope once and its columns ride along with the page.
 */
function pageCte(page: SchoolQuery, request: ScopeRequest): RawBuilder<unknown> {
  const source = sortSource(page.sort);
  const order = sql`ORDER BY ${sortExpression(page)} ${page.descending ? sql`DESC` : sql`ASC`} NULLS LAST, school_code, month`;
  const keyed = (() => {
    switch (source) {
      case null:
        return sql`SELECT sc.school_code, sc.month FROM scope sc`;
      case 'schools':
        return sql`SELECT sc.school_code, sc.month, s.school_name, s.township
          FROM scope sc JOIN schools s ON s.school_code = sc.school_code`;
      case 'part':
        return sql`SELECT sc.school_code, sc.month, ${PART_COLUMNS}
          FROM scope sc LEFT JOIN participation_monthly p
            ON p.school_code = sc.school_code AND p.month = sc.month`;
      case 'sat':
        return sql`SELECT sc.school_code, sc.month, ${SAT_COLUMNS}
          FROM scope sc LEFT JOIN (${satOf('scope')}) sat
            ON sat.school_code = sc.school_code AND sat.month = sc.month`;
      case 'fl':
        return sql`SELECT sc.school_code, sc.month, ${FL_COLUMNS}
          FROM scope sc LEFT JOIN (${flOf('scope', request)}) fl
            ON fl.school_code = sc.school_code AND fl.month = sc.month`;
      default:
        throw new UnreachableCaseError(source);
    }
  })();
  return sql`keyed AS (${keyed}),
    page AS (SELECT * FROM keyed ${order} LIMIT ${page.limit} OFFSET ${page.offset})`;
}

/**
 * Rows of scope (school, month) pairs with their figures; `page` cuts and orders them.
 * A page is one statement: the sort key is computed for every scope pair from the one
 * source it reads, the page is cut, and only the page's pairs get their other figures;
 * `total` counts the scope.
 */
export async function schoolMonths(
  db: Kysely<Database>,
  request: ScopeRequest,
  page: SchoolQuery | null,
): Promise<SchoolMonthRow[]> {
  if (!page) {
    const result = await sql<SchoolMonthRow>`${withScope(request)},
      part AS (${partOf('scope')}),
      sat AS (${satOf('scope')}),
      fl AS (${flOf('scope', request)}),
      rows AS (${rowsOf('scope')})
      SELECT *, (count(*) OVER ())::INTEGER AS total FROM rows
      ORDER BY school_code, month`.execute(db);
    return result.rows;
  }
  const carried = sortSource(page.sort);
  // The page's pairs already carry the key's source; the others are computed for them only.
  const source = (name: 'part' | 'sat' | 'fl', of: (pairs: Pairs) => RawBuilder<unknown>) =>
    carried === name
      ? sql`${sql.table(name)} AS (SELECT * FROM page)`
      : sql`${sql.table(name)} AS (${of('page')})`;
  const result = await sql<SchoolMonthRow>`${withScope(request)},
    ${pageCte(page, request)},
    ${source('part', partOf)},
    ${source('sat', satOf)},
    ${source('fl', (pairs) => flOf(pairs, request))},
    rows AS (${rowsOf('page')})
    SELECT *, (SELECT count(*) FROM scope)::INTEGER AS total FROM rows
    ORDER BY ${sortExpression(page)} ${page.descending ? sql`DESC` : sql`ASC`} NULLS LAST, school_code, month`.execute(
    db,
  );
  return result.rows;
}
