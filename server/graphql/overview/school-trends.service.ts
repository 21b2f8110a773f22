/**
 * Sparkline points for the schools table. One statement for every code and month: the
 * schools repository's per-(school, month) rows over the month range, mapped by the same
 * toSchoolMonth as `school(code).series`, so a point always equals the series figure.
 * The scope holds only (school, month) pairs in the viewer's remit: a foreign code, or a
 * month in which the school was another inspector's, is simply absent.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { SchoolTrend, SchoolTrendPoint } from '../__generated__/resolvers-types.ts';
import { BadUserInputError } from '../errors.ts';
import { schoolMonths } from '../schools/schools.repository.ts';
import { protectRows } from '../schools/protected-schools.ts';
import { toProtectedSchoolMonth, toSchoolMonth } from '../schools/schools.service.ts';
import { addMonths, assertMonth, monthRange } from '../scope/months.ts';
import type { ScopeRequest } from '../scope/scope.ts';

/** At most this many codes per request (two pages of the schools table). */
export const MAX_TREND_CODES = 200;
/** At most this many months per request: a sparkline of two school years. */
export const MAX_TREND_MONTHS = 24;

/** The requested codes, once each in the order asked; BAD_USER_INPUT beyond the limit. */
export function trendCodes(codes: readonly string[]): string[] {
  if (codes.length > MAX_TREND_CODES)
    throw new BadUserInputError(
      `codes 最多 ${MAX_TREND_CODES} 个 / at most ${MAX_TREND_CODES} school codes`,
    );
  return [...new Set(codes)];
}

/** Every month from `from` to `to`; BAD_USER_INPUT unless YYYY-MM, ordered, ≤ 24 months. */
export function trendMonths(from: string, to: string): string[] {
  assertMonth(from, 'from');
  assertMonth(to, 'to');
  // YYYY-MM strings order as months do; from > to is reported by monthRange.
  if (to > addMonths(from, MAX_TREND_MONTHS - 1))
    throw new BadUserInputError(
      `最多 ${MAX_TREND_MONTHS} 个月 / at most ${MAX_TREND_MONTHS} months`,
    );
  return monthRange(from, to);
}

/**
 * Points of each of `codes` visible to the viewer in some month of `request.months`,
 * oldest first, in the order of `codes`. The request's own filter is replaced by the codes.
 */
export async function schoolTrends(
  db: Kysely<Database>,
  request: ScopeRequest,
  codes: readonly string[],
): Promise<SchoolTrend[]> {
  if (codes.length === 0) return [];
  const points = new Map<string, SchoolTrendPoint[]>();
  const asked = { ...request, filter: { schoolCodes: codes } };
  const [rows, protect] = await Promise.all([
    schoolMonths(db, asked, null),
    protectRows(db, asked),
  ]);
  // Rows come ordered by school code and month.
  for (const row of rows) {
    const m = protect ? toProtectedSchoolMonth(row, protect) : toSchoolMonth(row);
    const point: SchoolTrendPoint = {
      month: m.month,
      participationRate: m.participationRate,
      demandMetRate: m.demandMetRate,
      priorityGap: m.priorityGap,
      satisfactionScore: m.satisfactionScore,
    };
    const list = points.get(row.school_code);
    if (list) list.push(point);
    else points.set(row.school_code, [point]);
  }
  return codes.flatMap((code) => {
    const list = points.get(code);
    return list ? [{ code, points: list }] : [];
  });
}
