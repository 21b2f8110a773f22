import { ROLLUP_SELECT } from '../../../server/db/migrations/0003_participation_monthly.ts';
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
  // The rollup of every school-month this batch replaced, in the same transaction.
  after: (batchIds) => [
    `DELETE FROM participation_monthly t USING (
       SELECT DISTINCT school_code, month FROM participation WHERE batch_id IN (${batchIds.join(', ')})) u
     WHERE t.school_code = u.school_code AND t.month = u.month`,
    `INSERT INTO participation_monthly ${ROLLUP_SELECT} WHERE batch_id IN (${batchIds.join(', ')})
     GROUP BY school_code, month`,
  ],
};
