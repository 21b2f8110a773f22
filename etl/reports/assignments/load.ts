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
  // The newest file names each inspector; ids keep their history in the assignments.
  after: (batchId) => [
    `DELETE FROM inspectors WHERE inspector_id IN (SELECT DISTINCT v_inspector_id FROM ${ACCEPTED_ROWS})`,
    `INSERT INTO inspectors (inspector_id, inspector_name, batch_id)
      SELECT v_inspector_id, arg_max(v_inspector_name, r), ${batchId} FROM ${ACCEPTED_ROWS} GROUP BY v_inspector_id`,
  ],
};
