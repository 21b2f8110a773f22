/** The parts of a school's page beyond its monthly figures, each scoped by withScope. */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { assignmentPeriodsSql, periodHoldsSql } from '../../db/remit.ts';
import {
  PARTICIPATION_SUMS,
  type ParticipationTotalsRow,
} from '../overview/overview.repository.ts';
import { withScope, type ScopeRequest } from '../scope/scope.ts';

export interface GradeRow extends ParticipationTotalsRow {
  grade: number;
}

export async function gradeRows(db: Kysely<Database>, request: ScopeRequest): Promise<GradeRow[]> {
  const result = await sql<GradeRow>`${withScope(request)}
    SELECT p.grade, any_value(p.month) AS month, ${PARTICIPATION_SUMS}
    FROM scope sc JOIN participation p ON p.school_code = sc.school_code AND p.month = sc.month
    GROUP BY p.grade ORDER BY p.grade`.execute(db);
  return result.rows;
}

export interface InspectorRow {
  inspector_id: string;
  inspector_name: string | null;
}

export async function inspectorRows(
  db: Kysely<Database>,
  request: ScopeRequest,
): Promise<InspectorRow[]> {
  const result = await sql<InspectorRow>`${withScope(request)}
    SELECT DISTINCT a.inspector_id, i.inspector_name
    FROM scope sc
    JOIN (${assignmentPeriodsSql(null)}) a ON a.school_code = sc.school_code
      AND ${periodHoldsSql(sql`a.valid_from`, sql`a.valid_until`, sql`sc.month`)}
    LEFT JOIN inspectors i ON i.inspector_id = a.inspector_id
    ORDER BY a.inspector_id`.execute(db);
  return result.rows;
}

export interface TownshipRow {
  township: string;
  schools: number;
}

export async function townshipRows(
  db: Kysely<Database>,
  request: ScopeRequest,
): Promise<TownshipRow[]> {
  const result = await sql<TownshipRow>`${withScope(request)}
    SELECT s.township, count(DISTINCT s.school_code)::INTEGER AS schools
    FROM scope sc JOIN schools s ON s.school_code = sc.school_code
    GROUP BY s.township ORDER BY s.township`.execute(db);
  return result.rows;
}

/** Distinct months with monthly reports, newest first (not yet scoped: see reportMonths). */
export async function allReportMonths(db: Kysely<Database>): Promise<string[]> {
  const rows = await db
    .selectFrom('monthly_reports')
    .select('month')
    .distinct()
    .orderBy('month', 'desc')
    .limit(240)
    .execute();
  return rows.map((r) => r.month);
}

/** Of `months`, those with a report from a school in the viewer's scope. */
export async function scopedReportMonths(
  db: Kysely<Database>,
  request: ScopeRequest,
): Promise<string[]> {
  const result = await sql<{ month: string }>`${withScope(request)}
    SELECT DISTINCT sc.month FROM scope sc
    JOIN monthly_reports r ON r.school_code = sc.school_code AND r.month = sc.month
    ORDER BY sc.month DESC`.execute(db);
  return result.rows.map((r) => r.month);
}

export interface SchoolRow {
  school_code: string;
  school_name: string;
  township: string;
  stage: string;
  locality: string;
  ownership: string;
  remote: boolean;
  teachers_total: number;
}

/** Registry rows of the schools in scope (in any of the request's months). */
export async function schoolRows(
  db: Kysely<Database>,
  request: ScopeRequest,
): Promise<SchoolRow[]> {
  const result = await sql<SchoolRow>`${withScope(request)}
    SELECT s.school_code, s.school_name, s.township, s.stage, s.locality, s.ownership,
      s.remote, s.teachers_total
    FROM schools s WHERE s.school_code IN (SELECT school_code FROM scope)
    ORDER BY s.school_code`.execute(db);
  return result.rows;
}
