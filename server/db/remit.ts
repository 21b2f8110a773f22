/**
 * The one home of the rule "which schools a 责任督学 may see in a month": an assignment row
 * (inspector, school, effective_month) holds from its effective month until the school's
 * next assignment set (any later effective_month of the same school), exclusive. Every
 * query that asks who is assigned to a school in a month (metric scopes, flag visibility,
 * who may act on a flag, a school's inspectors, the demo's inspector) builds on these;
 * test/server/db/remit.test.ts fails on a copy elsewhere.
 */
import { sql, type RawBuilder } from 'kysely';

/**
 * `SELECT inspector_id, school_code, valid_from, valid_until FROM …`: the assignment
 * periods, of one inspector's rows only when `inspectorId` is given (the next set's month
 * is found per row, so one inspector's periods cost no window over the whole city's).
 * `valid_until` is NULL for the set in force now.
 */
export function assignmentPeriodsSql(inspectorId: string | null): RawBuilder<unknown> {
  return sql`SELECT a.inspector_id, a.school_code, a.effective_month AS valid_from,
      (SELECT min(later.effective_month) FROM inspector_assignments later
       WHERE later.school_code = a.school_code
         AND later.effective_month > a.effective_month) AS valid_until
    FROM inspector_assignments a
    ${inspectorId === null ? sql`` : sql`WHERE a.inspector_id = ${inspectorId}`}`;
}

/**
 * SQL truth of "the assignment period from `validFrom` until `validUntil` (columns of an
 * assignmentPeriodsSql row) holds in `month` ("YYYY-MM")".
 */
export function periodHoldsSql(
  validFrom: RawBuilder<unknown>,
  validUntil: RawBuilder<unknown>,
  month: RawBuilder<unknown>,
): RawBuilder<boolean> {
  return sql<boolean>`${validFrom} <= ${month}
    AND (${validUntil} IS NULL OR ${validUntil} > ${month})`;
}

/** SQL truth of "the school `schoolCode` is assigned to `inspectorId` in `month`". */
export function assignedInSql(
  inspectorId: string,
  schoolCode: RawBuilder<unknown>,
  month: RawBuilder<unknown>,
): RawBuilder<boolean> {
  return sql<boolean>`EXISTS (
    SELECT 1 FROM (${assignmentPeriodsSql(inspectorId)}) remit_p
    WHERE remit_p.school_code = ${schoolCode} AND ${periodHoldsSql(sql`remit_p.valid_from`, sql`remit_p.valid_until`, month)})`;
}
