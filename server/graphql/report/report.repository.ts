/**
 * The monthly report's own questions; its figures come from the overview, schools and
 * flags repositories. Flags lists reuse the flags area's SELECT and WHERE, so the report
 * shows a user exactly the flags `flags` shows them.
 */
import { sql, type Kysely } from 'kysely';
import { currentDate, shanghaiDateSql } from '../../db/calendar.ts';
import type { Database } from '../../db/database.ts';
import { finishingActionSql, flagOpenSql } from '../../db/flag-statuses.ts';
import { flagSelect, flagViewOf, type FlagRow, type FlagView } from '../flags/flag-row.ts';
import {
  openFlagsBySchoolSql,
  whereSql as flagWhereSql,
  type FlagFilter,
} from '../flags/flags.repository.ts';
import { OVERALL_ANSWERS, SCOPED_RESPONSES } from '../satisfaction/satisfaction.repository.ts';
import { withScope, type ScopeRequest } from '../scope/scope.ts';

export interface OverdueSchoolRow {
  school_code: string;
  overdue_flags: number;
  days_overdue: number;
}

/**
 * Overview.overdueFlags by school (the shared open-flag count, openFlagsBySchoolSql): open
 * flags past their rectification deadline as of `request.today`; longest overdue first.
 */
export async function overdueBySchool(
  db: Kysely<Database>,
  request: ScopeRequest,
): Promise<OverdueSchoolRow[]> {
  const result = await sql<OverdueSchoolRow>`SELECT o.school_code, o.overdue_flags, o.days_overdue
    FROM (${openFlagsBySchoolSql(flagViewOf(request), request.filter)}) o
    WHERE o.overdue_flags > 0
    ORDER BY o.days_overdue DESC, o.school_code`.execute(db);
  return result.rows;
}

/**
 * The newest month, up to the request's month, in which a parent or student of a scope
 * school answered the overall item; null when none ever did.
 */
export async function latestAnsweredMonth(
  db: Kysely<Database>,
  request: ScopeRequest,
): Promise<string | null> {
  const result = await sql<{ month: string | null }>`${withScope(request)}
    SELECT max(r.month) AS month
    FROM scope sc
    JOIN survey_responses r ON r.school_code = sc.school_code AND r.month <= sc.month
    JOIN ${OVERALL_ANSWERS} a ON a.batch_id = r.batch_id AND a.response_no = r.response_no
    WHERE r.respondent IN ('parent', 'student') AND a.score IS NOT NULL`.execute(db);
  return result.rows[0]?.month ?? null;
}

export interface OpenFlagAgeRow {
  long_open: number;
  /** "YYYY-MM-DD": since when the oldest open flag has been open; null without open flags. */
  oldest_since: string | null;
}

/**
 * Of Overview.openFlags (the same WHERE as openFlagTotalsSelect), those open more than
 * `longOpenDays` as of `request.today`, and the oldest. A flag about a month is open from
 * the first day after that month (when its report could first show the breach), one
 * without a month (a visit's) from the day it was raised (Asia/Shanghai).
 */
export async function openFlagAges(
  db: Kysely<Database>,
  request: ScopeRequest,
  longOpenDays: number,
): Promise<OpenFlagAgeRow> {
  const today = request.today ?? currentDate();
  const result = await sql<OpenFlagAgeRow>`${withScope(request)},
    open_since AS (
      SELECT coalesce(CAST(strptime(f.month, '%Y-%m') + INTERVAL 1 MONTH AS DATE),
          ${sql.raw(shanghaiDateSql('f.created_at'))}) AS since
      FROM scope sc
      JOIN flags f ON f.school_code = sc.school_code
      WHERE ${flagOpenSql('f')})
    SELECT count(*) FILTER (
        WHERE date_diff('day', since, ${today}::DATE) > ${longOpenDays})::INTEGER AS long_open,
      strftime(min(since), '%Y-%m-%d') AS oldest_since
    FROM open_since`.execute(db);
  return result.rows[0] ?? { long_open: 0, oldest_since: null };
}

/**
 * loaded_at (epoch ms) of the newest batch behind the scope's figures: the registry rows
 * of its schools, their monthly reports and participation rows of the month, and the
 * survey responses of the satisfaction window; null when there is none.
 */
export async function newestBatchMs(
  db: Kysely<Database>,
  request: ScopeRequest,
): Promise<number | bigint | null> {
  const result = await sql<{
    loaded_ms: number | bigint | null;
  }>`${withScope(request)}${SCOPED_RESPONSES},
    used AS (
      SELECT s.batch_id FROM scope sc JOIN schools s ON s.school_code = sc.school_code
      UNION SELECT r.batch_id FROM scope sc
        JOIN monthly_reports r ON r.school_code = sc.school_code AND r.month = sc.month
      UNION SELECT p.batch_id FROM scope sc
        JOIN participation p ON p.school_code = sc.school_code AND p.month = sc.month
      UNION SELECT batch_id FROM resp)
    SELECT epoch_ms(max(b.loaded_at)) AS loaded_ms
    FROM used JOIN load_batches b ON b.batch_id = used.batch_id`.execute(db);
  return result.rows[0]?.loaded_ms ?? null;
}

/** Flags the filter matches, by code, then school, then ID; at most `limit`. */
export async function flagsByCode(
  db: Kysely<Database>,
  view: FlagView,
  filter: FlagFilter,
  limit: number,
): Promise<FlagRow[]> {
  const result = await sql<FlagRow>`${flagSelect(view)}
    WHERE ${flagWhereSql(view, filter)}
    ORDER BY f.code, f.school_code, f.flag_id
    LIMIT ${limit}`.execute(db);
  return result.rows;
}

/**
 * Flags the filter matches with a closing step (CLOSED, DISMISSED, AUTO_RESOLVED) at or
 * after `from` and before `until` (ISO instants), by code, school and ID; at most `limit`.
 */
export async function flagsClosedBetween(
  db: Kysely<Database>,
  view: FlagView,
  filter: FlagFilter,
  window: { from: string; until: string },
  limit: number,
): Promise<FlagRow[]> {
  const result = await sql<FlagRow>`${flagSelect(view)}
    WHERE ${flagWhereSql(view, filter)}
      AND EXISTS (SELECT 1 FROM flag_events e
        WHERE e.flag_id = f.flag_id AND ${finishingActionSql('e')}
          AND e.occurred_at >= ${window.from}::TIMESTAMPTZ
          AND e.occurred_at < ${window.until}::TIMESTAMPTZ)
    ORDER BY f.code, f.school_code, f.flag_id
    LIMIT ${limit}`.execute(db);
  return result.rows;
}
