/**
 * flag_scope: the school-months a judging run is authoritative for. A load judges what
 * its batch touched — the school-months of its monthly and participation rows (monthly:
 * plus the later months of the same semester, whose semester fee totals include it), or
 * for a registry batch every reported or flagged month of its schools. Surveys and
 * assignments touch nothing. A full re-judge takes every reported or flagged school-month.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ReportKind } from '../reports/report-kind.ts';
import { semesterStart } from './sql-format.ts';

/** Months of a school with anything to judge: reports, rollups, report flags. */
const SCHOOL_MONTHS = `SELECT school_code, month FROM monthly_reports
  UNION SELECT school_code, month FROM participation_monthly
  UNION SELECT school_code, month FROM flags WHERE source = 'report' AND month IS NOT NULL`;

function batchScopeSql(kind: ReportKind, batchId: number): string | null {
  switch (kind) {
    case 'monthly':
      return `WITH touched AS (SELECT DISTINCT school_code, month FROM monthly_reports WHERE batch_id = ${batchId})
        SELECT school_code, month FROM touched
        UNION
        SELECT r.school_code, r.month FROM monthly_reports r JOIN touched t ON t.school_code = r.school_code
        WHERE r.month > t.month AND ${semesterStart('r.month')} = ${semesterStart('t.month')}`;
    case 'participation':
      return `SELECT DISTINCT school_code, month FROM participation WHERE batch_id = ${batchId}`;
    case 'registry':
      return `SELECT a.school_code, a.month FROM (${SCHOOL_MONTHS}) a
        WHERE a.school_code IN (SELECT school_code FROM schools WHERE batch_id = ${batchId})`;
    case 'assignments':
    case 'survey':
      return null;
  }
}

/** Creates flag_scope for a batch; false when its kind touches nothing. */
export async function createBatchScope(
  conn: DuckDBConnection,
  kind: ReportKind,
  batchId: number,
): Promise<boolean> {
  const sql = batchScopeSql(kind, batchId);
  if (sql === null) return false;
  await conn.run(`CREATE OR REPLACE TEMP TABLE flag_scope AS ${sql}`);
  return true;
}

/** flag_scope = every school-month with a report, a rollup or a report flag. */
export async function createFullScope(conn: DuckDBConnection): Promise<void> {
  await conn.run(`CREATE OR REPLACE TEMP TABLE flag_scope AS ${SCHOOL_MONTHS}`);
}
