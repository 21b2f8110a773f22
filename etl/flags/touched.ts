/**
 * flag_scope (school_code, month, batch_id): the school-months a judging run is
 * authoritative for. A load judges what its batches touched — the school-months of their
 * monthly and participation rows (monthly: plus the later months of the same semester,
 * whose semester fee totals include them), or for registry batches every reported or
 * flagged month of their schools — each attributed to the LAST batch (highest id) that
 * touched it, whose file its events name. Surveys and assignments touch nothing. A full
 * re-judge takes every reported or flagged school-month, with no batch.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ReportKind } from '../reports/report-kind.ts';
import { semesterEnd, semesterStart } from './sql-format.ts';

/** Months of a school with anything to judge: reports, rollups, report flags. */
const SCHOOL_MONTHS = `SELECT school_code, month FROM monthly_reports
  UNION SELECT school_code, month FROM participation_monthly
  UNION SELECT school_code, month FROM flags WHERE source = 'report' AND month IS NOT NULL`;

function batchScopeSql(kind: ReportKind, batchIds: readonly number[]): string | null {
  const ids = batchIds.map((id) => String(Math.trunc(id))).join(', ');
  switch (kind) {
    case 'monthly':
      // A report counts for its own month and every later month of its semester: each
      // school-month takes the last batch among those reporting it or an earlier month of
      // its semester. The reports join one row per (school, semester, batch) on the school
      // alone, the months being a range: a small file costs a probe of the reports by
      // school, a city-wide one a join of its size, not of its size times its months.
      return `WITH firsts AS (
          SELECT school_code, batch_id, min(month) AS first,
            ${semesterEnd(semesterStart('min(month)'))} AS next_semester
          FROM monthly_reports WHERE batch_id IN (${ids})
          GROUP BY school_code, batch_id, ${semesterStart('month')})
        SELECT r.school_code, r.month, max(t.batch_id)::INTEGER AS batch_id
        FROM monthly_reports r JOIN firsts t
          ON t.school_code = r.school_code AND r.month >= t.first AND r.month < t.next_semester
        GROUP BY r.school_code, r.month`;
    case 'participation':
      return `SELECT school_code, month, max(batch_id)::INTEGER AS batch_id FROM participation
        WHERE batch_id IN (${ids}) GROUP BY school_code, month`;
    case 'registry':
      return `SELECT a.school_code, a.month, s.batch_id FROM (${SCHOOL_MONTHS}) a
        JOIN (SELECT school_code, max(batch_id)::INTEGER AS batch_id FROM schools
          WHERE batch_id IN (${ids}) GROUP BY school_code) s ON s.school_code = a.school_code`;
    case 'assignments':
    case 'survey':
      return null;
  }
}

/** Creates flag_scope for load batches of one kind; false when the kind touches nothing. */
export async function createBatchScope(
  conn: DuckDBConnection,
  kind: ReportKind,
  batchIds: readonly number[],
): Promise<boolean> {
  const sql = batchIds.length === 0 ? null : batchScopeSql(kind, batchIds);
  if (sql === null) return false;
  await conn.run(`CREATE OR REPLACE TEMP TABLE flag_scope AS ${sql}`);
  return true;
}

/** flag_scope = every school-month with a report, a rollup or a report flag (no batch). */
export async function createFullScope(conn: DuckDBConnection): Promise<void> {
  await conn.run(`CREATE OR REPLACE TEMP TABLE flag_scope AS
    SELECT school_code, month, NULL::INTEGER AS batch_id FROM (${SCHOOL_MONTHS})`);
}
