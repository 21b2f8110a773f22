/**
 * 报送情况 (submission matrix) in SQL: for every (school, month) pair of the viewer's scope,
 * when the month's report first arrived (the current row's batch or any version it
 * replaced, row_versions), how many later files replaced the school-month's rows, and its
 * doubts still open. Two statements whatever the size: the cells of the first `limit`
 * schools, and the counts over all cells in scope.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/database.ts';
import { OPEN_DOUBT_STATUSES } from '../../db/vocabulary/doubt-statuses.ts';
import { assignedInSql, assignmentPeriodsSql, periodHoldsSql } from '../../db/remit.ts';
import { withScope, type ScopeRequest } from '../scope/scope.ts';

export type SubmissionStateValue = 'ON_TIME' | 'LATE' | 'MISSING' | 'NOT_DUE';

/** A month of the request and whether its report is due (service month, deadline passed). */
export interface DueMonth {
  month: string;
  due: boolean;
}

export interface SubmissionCellRow {
  school_code: string;
  school_name: string;
  township: string;
  month: string;
  state: SubmissionStateValue;
  first_ms: number | bigint | null;
  corrections: number;
  open_doubts: number;
}

export interface SubmissionTotalsRow {
  schools: number;
  on_time: number;
  late: number;
  missing: number;
  corrected: number;
  with_doubts: number;
}

/** What the matrix shows: the viewer's scope, narrowed to one 督学's school-months or not. */
export interface MatrixRequest {
  scope: ScopeRequest;
  due: readonly DueMonth[];
  inspectorId: string | null;
}

/**
 * `…, cells AS (…)` after withScope: one row per pair (of the scope, or of the scope and
 * the 督学's assignments) with its state and counts.
 */
function cellsCtes(request: MatrixRequest): RawBuilder<unknown> {
  const dueRows = sql.join(request.due.map((d) => sql`(${d.month}, ${d.due})`));
  const assigned =
    request.inspectorId === null
      ? sql`TRUE`
      : assignedInSql(request.inspectorId, sql`sc.school_code`, sql`sc.month`);
  return sql`${withScope(request.scope)},
    pairs AS (SELECT sc.school_code, sc.month FROM scope sc WHERE ${assigned}),
    due_months AS (SELECT * FROM (VALUES ${dueRows}) AS v(month, due)),
    arrivals AS (
      SELECT sc.school_code, sc.month, min(b.loaded_at) AS first_at
      FROM pairs sc
      JOIN (SELECT school_code, month, batch_id FROM monthly_reports
            UNION ALL
            SELECT school_code, month, batch_id FROM row_versions
            WHERE table_name = 'monthly_reports') r
        ON r.school_code = sc.school_code AND r.month = sc.month
      JOIN load_batches b ON b.batch_id = r.batch_id
      GROUP BY sc.school_code, sc.month),
    corrections AS (
      SELECT sc.school_code, sc.month, count(DISTINCT v.superseded_by)::INTEGER AS n
      FROM pairs sc JOIN row_versions v ON v.school_code = sc.school_code AND v.month = sc.month
      GROUP BY sc.school_code, sc.month),
    doubts AS (
      SELECT sc.school_code, sc.month, count(*)::INTEGER AS n
      FROM pairs sc JOIN data_doubts d ON d.school_code = sc.school_code AND d.month = sc.month
      WHERE d.status IN (${sql.join(OPEN_DOUBT_STATUSES.map((st) => sql`${st}`))})
      GROUP BY sc.school_code, sc.month),
    cells AS (
      SELECT sc.school_code, sc.month,
        CASE WHEN a.first_at IS NULL THEN (CASE WHEN dm.due THEN 'MISSING' ELSE 'NOT_DUE' END)
             WHEN a.first_at <= m.report_due THEN 'ON_TIME' ELSE 'LATE' END AS state,
        epoch_ms(a.first_at) AS first_ms,
        coalesce(c.n, 0) AS corrections, coalesce(d.n, 0) AS open_doubts
      FROM pairs sc
      JOIN months m ON m.month = sc.month
      JOIN due_months dm ON dm.month = sc.month
      LEFT JOIN arrivals a ON a.school_code = sc.school_code AND a.month = sc.month
      LEFT JOIN corrections c ON c.school_code = sc.school_code AND c.month = sc.month
      LEFT JOIN doubts d ON d.school_code = sc.school_code AND d.month = sc.month)`;
}

/** The cells of the first `limit` schools in scope, by township then code. */
export async function submissionCells(
  db: Kysely<Database>,
  request: MatrixRequest,
  limit: number,
): Promise<SubmissionCellRow[]> {
  const result = await sql<SubmissionCellRow>`${cellsCtes(request)},
    shown AS (
      SELECT s.school_code, s.school_name, s.township FROM schools s
      WHERE s.school_code IN (SELECT school_code FROM pairs)
      ORDER BY s.township, s.school_code LIMIT ${limit})
    SELECT sh.school_code, sh.school_name, sh.township, c.month, c.state, c.first_ms,
      c.corrections, c.open_doubts
    FROM shown sh JOIN cells c ON c.school_code = sh.school_code
    ORDER BY sh.township, sh.school_code, c.month`.execute(db);
  return result.rows;
}

/** Counts over every cell in scope (not only the schools shown). */
export async function submissionTotals(
  db: Kysely<Database>,
  request: MatrixRequest,
): Promise<SubmissionTotalsRow> {
  const result = await sql<SubmissionTotalsRow>`${cellsCtes(request)}
    SELECT count(DISTINCT school_code)::INTEGER AS schools,
      count(*) FILTER (WHERE state = 'ON_TIME')::INTEGER AS on_time,
      count(*) FILTER (WHERE state = 'LATE')::INTEGER AS late,
      count(*) FILTER (WHERE state = 'MISSING')::INTEGER AS missing,
      count(*) FILTER (WHERE corrections > 0)::INTEGER AS corrected,
      count(*) FILTER (WHERE open_doubts > 0)::INTEGER AS with_doubts
    FROM cells`.execute(db);
  const row = result.rows[0];
  return row ?? { schools: 0, on_time: 0, late: 0, missing: 0, corrected: 0, with_doubts: 0 };
}

/** The 督学 assigned to a school of the viewer's scope in one of its months, by ID. */
export async function matrixInspectors(
  db: Kysely<Database>,
  request: ScopeRequest,
): Promise<{ id: string; name: string }[]> {
  const result = await sql<{ id: string; name: string }>`${withScope(request)}
    SELECT p.inspector_id AS id, coalesce(min(i.inspector_name), p.inspector_id) AS name
    FROM (${assignmentPeriodsSql(null)}) p
    JOIN scope sc ON sc.school_code = p.school_code
      AND ${periodHoldsSql(sql`p.valid_from`, sql`p.valid_until`, sql`sc.month`)}
    LEFT JOIN inspectors i ON i.inspector_id = p.inspector_id
    GROUP BY p.inspector_id ORDER BY p.inspector_id`.execute(db);
  return result.rows;
}
