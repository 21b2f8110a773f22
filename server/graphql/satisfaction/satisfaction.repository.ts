/**
 * Survey answers of respondents from scope schools. A scope month's responses are those
 * submitted from the month's window start to the month (a single month, or the semester
 * to date); a range report uses single-month windows so no response counts twice.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/database.ts';
import { MAX_MONTHS } from '../scope/months.ts';
import { joinScope, withScope, type ScopeRequest } from '../scope/scope.ts';

/** Answers to the overall (总体) item of each export, one per respondent. */
export const OVERALL_ANSWERS = sql`(SELECT a.batch_id, a.response_no, a.score FROM survey_answers a
  JOIN survey_items i ON i.batch_id = a.batch_id AND i.item_no = a.item_no AND i.is_overall)`;

/**
 * An answer's score on the 0..100 scale (5 非常满意 → 100 … 1 → 0), of the answer aliased
 * `alias`: the one conversion the overview, the school list and the evaluation share.
 */
export function answerScoreSql(alias: string): RawBuilder<number> {
  return sql<number>`((${sql.ref(`${alias}.score`)} - 1) * 25)`;
}

/**
 * Responses within each month's window of the (school_code, month) rows of `pairs`: the
 * scope, or a relation drawn from it (a page of the school list).
 */
export function responsesOf(pairs: 'scope' | 'page'): RawBuilder<unknown> {
  return sql`SELECT sc.school_code, sc.month AS scope_month, r.batch_id, r.response_no, r.respondent
    FROM ${sql.table(pairs)} sc JOIN months m ON m.month = sc.month
    JOIN survey_responses r ON r.school_code = sc.school_code
      AND r.month BETWEEN m.window_start AND m.month`;
}

/** `, resp AS (…)`: responses within each scope month's window. */
export const SCOPED_RESPONSES = sql`,
  resp AS (${responsesOf('scope')})`;

export interface ItemScoreRow {
  item_text: string;
  is_overall: boolean;
  respondent: string;
  score: number;
  answers: number;
}

export async function itemScoreCounts(
  db: Kysely<Database>,
  request: ScopeRequest,
): Promise<ItemScoreRow[]> {
  const result = await sql<ItemScoreRow>`${withScope(request)}${SCOPED_RESPONSES}
    SELECT i.item_text, bool_or(i.is_overall) AS is_overall, resp.respondent, a.score,
      count(*)::INTEGER AS answers
    FROM resp
    JOIN survey_answers a ON a.batch_id = resp.batch_id AND a.response_no = resp.response_no
    JOIN survey_items i ON i.batch_id = a.batch_id AND i.item_no = a.item_no
    GROUP BY i.item_text, resp.respondent, a.score
    ORDER BY bool_or(i.is_overall) DESC, min(i.item_no), i.item_text, resp.respondent, a.score DESC`.execute(
    db,
  );
  return result.rows;
}

export interface SchoolSatisfactionRow {
  school_code: string;
  respondent: string;
  responses: number;
  answers: number;
  score_sum: number | null;
  satisfied: number;
}

/** Schools with the lowest overall score for one respondent type. */
export async function lowestSchools(
  db: Kysely<Database>,
  request: ScopeRequest,
  respondent: string,
  minAnswers: number,
  limit: number,
): Promise<SchoolSatisfactionRow[]> {
  const result = await sql<SchoolSatisfactionRow>`${withScope(request)}${SCOPED_RESPONSES}
    SELECT resp.school_code, resp.respondent, count(*)::INTEGER AS responses,
      count(a.score)::INTEGER AS answers, sum(${answerScoreSql('a')})::DOUBLE AS score_sum,
      count(*) FILTER (WHERE a.score >= 4)::INTEGER AS satisfied
    FROM resp LEFT JOIN ${OVERALL_ANSWERS} a
      ON a.batch_id = resp.batch_id AND a.response_no = resp.response_no
    WHERE resp.respondent = ${respondent}
    GROUP BY resp.school_code, resp.respondent
    HAVING count(a.score) >= ${minAnswers}
    ORDER BY sum(${answerScoreSql('a')}) / count(a.score), resp.school_code
    LIMIT ${limit}`.execute(db);
  return result.rows;
}

/**
 * Months with answers from scope schools, newest first: the newest MAX_MONTHS months with
 * any answer are the candidates, then the viewer's scope keeps the months in which one of
 * its schools answered (a 督学 learns nothing of other schools' months).
 */
export async function answeredMonths(
  db: Kysely<Database>,
  scoped: (months: readonly string[]) => ScopeRequest,
): Promise<string[]> {
  const candidates = await sql<{ month: string }>`SELECT DISTINCT month FROM survey_responses
    ORDER BY month DESC LIMIT ${MAX_MONTHS}`.execute(db);
  if (candidates.rows.length === 0) return [];
  const request = scoped(candidates.rows.map((r) => r.month));
  const result = await sql<{ month: string }>`${withScope(request)}
    SELECT DISTINCT r.month FROM survey_responses r ${joinScope(request, 'r')}
    ORDER BY r.month DESC`.execute(db);
  return result.rows.map((r) => r.month);
}
