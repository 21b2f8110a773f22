import type { ApplyPlan } from '../../load/apply-plan.ts';
import { sameNames } from '../../load/apply-plan.ts';
import { ACCEPTED_ROWS } from '../../load/accepted-rows.ts';

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
