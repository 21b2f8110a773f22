import type { ApplyPlan } from '../../load/apply-plan.ts';
import { sameNames } from '../../load/apply-plan.ts';

export const registryPlan: ApplyPlan = {
  table: 'schools',
  unitColumns: [['school_code', 'v_school_code']],
  values: sameNames([
    'school_code',
    'school_name',
    'township',
    'stage',
    'locality',
    'ownership',
    'remote',
    'teachers_total',
    'valid_from',
    'valid_to',
    'merged_into',
  ]),
};
