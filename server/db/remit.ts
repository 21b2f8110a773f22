/**
 * The one home of the rule "which schools a 责任督学 may see in a month": an assignment row
 * (inspector, school, effective_month) holds from its effective month until the school's
 * next assignment set (any later effective_month of the same school), exclusive. Every
 * query that asks who is assigned to a school in a month (metric scopes, flag visibility,
 * who may act on a flag, a school's inspectors, the demo's inspector) builds on these;
 * test/server/db/remit.test.ts fails on a copy elsewhere.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Role } from './tables/users.table.ts';

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

/** Who holds a remit: the parts of a signed-in user that decide which schools they see. */
export interface RemitHolder {
  role: Role;
  inspectorId: string | null;
  schoolCode: string | null;
  township: string | null;
}

/**
 * Whose schools a user sees: the district (bureau, leadership), one 督学's assignments,
 * one school (学校填报员), one township's schools (学区审核员), or nothing. A role whose
 * binding is missing (a 督学 without 督学编号, a reporter without a school) sees nothing,
 * never everything.
 */
export type Remit =
  | { kind: 'district' }
  | { kind: 'inspector'; inspectorId: string }
  | { kind: 'school'; schoolCode: string }
  | { kind: 'township'; township: string }
  | { kind: 'none' };

export function remitOf(holder: RemitHolder): Remit {
  switch (holder.role) {
    case 'BUREAU_INSPECTOR':
    case 'LEADERSHIP':
      return { kind: 'district' };
    case 'SUPERVISING_INSPECTOR':
      return holder.inspectorId === null
        ? { kind: 'none' }
        : { kind: 'inspector', inspectorId: holder.inspectorId };
    case 'SCHOOL_REPORTER':
      return holder.schoolCode === null
        ? { kind: 'none' }
        : { kind: 'school', schoolCode: holder.schoolCode };
    case 'TOWNSHIP_REVIEWER':
      return holder.township === null
        ? { kind: 'none' }
        : { kind: 'township', township: holder.township };
    default: {
      const unknown: never = holder.role;
      throw new Error(`unknown role ${String(unknown)}`);
    }
  }
}

/**
 * SQL truth of "`holder` may see the school `schoolCode` in `month`" for any role: the one
 * rule behind every single-school read (flags, visits, complaints, files, filings). A
 * township reviewer's schools are those the registry places in the township.
 */
export function holderSeesSchoolSql(
  holder: RemitHolder,
  schoolCode: RawBuilder<unknown>,
  month: RawBuilder<unknown>,
): RawBuilder<boolean> {
  const remit = remitOf(holder);
  switch (remit.kind) {
    case 'district':
      return sql<boolean>`TRUE`;
    case 'none':
      return sql<boolean>`FALSE`;
    case 'inspector':
      return assignedInSql(remit.inspectorId, schoolCode, month);
    case 'school':
      return sql<boolean>`(${schoolCode} = ${remit.schoolCode})`;
    case 'township':
      return sql<boolean>`EXISTS (SELECT 1 FROM schools remit_s
        WHERE remit_s.school_code = ${schoolCode} AND remit_s.township = ${remit.township})`;
    default: {
      const unknown: never = remit;
      throw new Error(`unknown remit ${JSON.stringify(unknown)}`);
    }
  }
}
