import type { ApplyPlan } from '../../load/apply-plan.ts';
import { sameNames } from '../../load/apply-plan.ts';
import { ACCEPTED_ROWS } from '../../load/accepted-rows.ts';
import { lit } from '../../normalize/sql-text.ts';

/**
 * The effective month of an assignment that holds for the school's whole history: before
 * any report month, so a school's first 责任督学 sees its past. A row without 生效月份 is
 * staged with it and settled by settleDefaultMonths.
 */
export const HISTORY_START = '1900-01';

/**
 * SQL settling rows without 生效月份 (staged as HISTORY_START) once stg is built: a school's
 * first assignment — none in the warehouse, and this the first file of the group that
 * assigns it — keeps HISTORY_START; any later one is a change from `loadMonth`, so the
 * inspector before keeps the months up to it and the new one gets none of them.
 */
export function settleDefaultMonths(loadMonth: string): string {
  const history = lit(HISTORY_START);
  return `UPDATE stg SET v_effective_month = ${lit(loadMonth)}
    WHERE v_effective_month = ${history} AND skip IS NULL AND v_school_code IS NOT NULL AND (
      v_school_code IN (SELECT school_code FROM inspector_assignments)
      OR file_no > (SELECT min(f.file_no) FROM stg f JOIN stg_units u ON u.unit = f.unit
        WHERE NOT u.rejected AND f.skip IS NULL AND f.v_school_code = stg.v_school_code))`;
}

export const assignmentsPlan: ApplyPlan = {
  table: 'inspector_assignments',
  unitColumns: [
    ['school_code', 'v_school_code'],
    ['effective_month', 'v_effective_month'],
  ],
  values: sameNames(['inspector_id', 'school_code', 'effective_month']),
  // The newest file (its last row) names each inspector; ids keep their history in the assignments.
  after: () => [
    `DELETE FROM inspectors WHERE inspector_id IN (SELECT DISTINCT v_inspector_id FROM ${ACCEPTED_ROWS})`,
    `INSERT INTO inspectors (inspector_id, inspector_name, batch_id)
      SELECT a.v_inspector_id, arg_max(a.v_inspector_name, [a.file_no, a.sheet_no, a.r]),
        arg_max(f.batch_id, [a.file_no, a.sheet_no, a.r])
      FROM ${ACCEPTED_ROWS} a JOIN stg_files f ON f.file_no = a.file_no GROUP BY a.v_inspector_id`,
  ],
};
