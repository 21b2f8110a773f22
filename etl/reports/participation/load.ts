import type { ApplyPlan } from '../../load/apply-plan.ts';
import { sameNames } from '../../load/apply-plan.ts';
import { PRIORITY_GROUPS } from './columns.ts';

export const participationPlan: ApplyPlan = {
  table: 'participation',
  unitColumns: [
    ['school_code', 'v_school_code'],
    ['month', 'v_month'],
  ],
  values: sameNames([
    'school_code',
    'month',
    'grade',
    'enrolled',
    'applicants',
    'participants',
    ...PRIORITY_GROUPS.flatMap((g) => [`${g.prefix}_enrolled`, `${g.prefix}_participants`]),
    'five_day_participants',
  ]),
};
