/**
 * What the review of school-months (issue 17) asks of a load, once a group's rows are
 * validated and before anything is written:
 *
 * - A school's own upload (`onlySchool`) holds only its own rows: every row of another
 *   school is rejected (OTHER_SCHOOL), and with it only that row's unit, so nothing else
 *   of the file is lost.
 * - A unit (school, month) whose review is APPROVED (已审核) is locked: its rows are
 *   rejected (LOCKED) until a bureau inspector unlocks it, and the refusal is logged as a
 *   LOCKED_LOAD_REFUSED event naming the file and its batch.
 * - A load that writes a SUBMITTED or RETURNED unit puts it back to DRAFT: the school must
 *   submit the new figures again.
 *
 * The survey kind is left out: its rows are one unit per file (a row of another school
 * would reject the whole export), and its months come from answer times, not a month
 * column a school reviews.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { lit } from '../normalize/sql-text.ts';
import type { ReviewStatus } from '../../server/db/vocabulary/review-statuses.ts';
import type { ReportKind } from '../reports/report-kind.ts';
import { STG_UNITS_SQL } from './build-stage-sql.ts';

/** The kinds whose units are reviewed school-months. */
export const REVIEWED_KINDS: readonly ReportKind[] = ['monthly', 'participation'];
/** The kinds whose rows name a school by code (a school's upload keeps only its own). */
const SCHOOL_KINDS: readonly ReportKind[] = ['registry', 'assignments', 'monthly', 'participation'];

/** The statuses a load puts back to DRAFT (the school must submit the new figures). */
const RESET_BY_LOAD: readonly ReviewStatus[] = ['SUBMITTED', 'RETURNED'];

/** The temp table of locked units each file named: (file_no, school_code, month). */
export const LOCKED_TABLE = 'stg_locked';

/**
 * Adds the rejects of foreign and locked rows to stg_err and rebuilds stg_units; returns
 * whether any unit was refused as locked (stg_locked then lists them).
 */
export async function guardReviewedUnits(
  conn: DuckDBConnection,
  kind: ReportKind,
  onlySchool: string | null,
): Promise<boolean> {
  let changed = false;
  const foreign =
    onlySchool !== null && SCHOOL_KINDS.includes(kind)
      ? `(s.v_school_code IS NOT NULL AND s.v_school_code <> ${lit(onlySchool)})`
      : 'FALSE';
  if (foreign !== 'FALSE') {
    await conn.run(`INSERT INTO stg_err (sheet_no, r, col, code, p1, p2)
      SELECT s.sheet_no, s.r, 'school_code', 'OTHER_SCHOOL', s.v_school_code, NULL
      FROM stg s WHERE s.skip IS NULL AND ${foreign}`);
    changed = true;
  }
  let locked = false;
  if (REVIEWED_KINDS.includes(kind)) {
    // A foreign row is refused for that; only the school's own locked units are logged.
    await conn.run(`CREATE OR REPLACE TEMP TABLE ${LOCKED_TABLE} AS
      SELECT DISTINCT s.file_no, s.v_school_code AS school_code, s.v_month AS month
      FROM stg s JOIN unit_reviews u ON u.school_code = s.v_school_code
        AND u.month = s.v_month AND u.status = 'APPROVED'
      WHERE s.skip IS NULL AND NOT ${foreign}`);
    const reader = await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM ${LOCKED_TABLE}`);
    locked = Number(reader.getRowObjectsJS()[0]?.n ?? 0) > 0;
    if (locked) {
      await conn.run(`INSERT INTO stg_err (sheet_no, r, col, code, p1, p2)
        SELECT s.sheet_no, s.r, 'month', 'LOCKED', NULL, NULL
        FROM stg s JOIN ${LOCKED_TABLE} l ON l.file_no = s.file_no
          AND l.school_code = s.v_school_code AND l.month = s.v_month
        WHERE s.skip IS NULL`);
      changed = true;
    }
  }
  if (changed) await conn.run(STG_UNITS_SQL);
  return locked;
}

/**
 * Inside the load's transaction, after its batches are numbered (stg_files): logs each
 * refused locked unit, and puts every SUBMITTED or RETURNED unit the load writes (stg_held)
 * back to DRAFT.
 */
export async function recordReviewEffects(
  conn: DuckDBConnection,
  kind: ReportKind,
  locked: boolean,
  user: string,
): Promise<void> {
  if (!REVIEWED_KINDS.includes(kind)) return;
  if (locked)
    await conn.run(`INSERT INTO unit_review_events (school_code, month, action, from_status,
        to_status, note, batch_id, username)
      SELECT l.school_code, l.month, 'LOCKED_LOAD_REFUSED', 'APPROVED', 'APPROVED', f.file_name,
        CAST(f.batch_id AS VARCHAR), ${lit(user)}
      FROM ${LOCKED_TABLE} l JOIN stg_files f ON f.file_no = l.file_no
      ORDER BY f.batch_id, l.school_code, l.month`);
  await conn.run(`UPDATE unit_reviews SET status = 'DRAFT', reasons = NULL, updated_at = now(),
      updated_by = NULL, updated_by_name = ${lit(user)}
    WHERE status IN (${RESET_BY_LOAD.map(lit).join(', ')})
      AND EXISTS (SELECT 1 FROM stg_held h
        WHERE h.school_code = unit_reviews.school_code AND h.month = unit_reviews.month)`);
}
