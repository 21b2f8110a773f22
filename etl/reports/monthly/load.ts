import type { ApplyPlan } from '../../load/apply-plan.ts';
import { sameNames } from '../../load/apply-plan.ts';

export const monthlyPlan: ApplyPlan = {
  table: 'monthly_reports',
  unitColumns: [
    ['school_code', 'v_school_code'],
    ['month', 'v_month'],
  ],
  values: [
    ...sameNames(['school_code', 'month']),
    ['school_name_reported', 'v_school_name'],
    ...sameNames([
      'school_days',
      'service_days',
      'daily_minutes',
      'latest_end_time',
      'homework_periods',
      'written_homework_g12',
      'fee_per_period',
      'fee_waived',
      'waived_but_charged',
      'fees_published',
      'teachers_serving',
      'teacher_pay_per_period',
      'external_staff',
      'providers',
      'providers_unapproved',
      'largest_group',
      'incidents',
      'complaints',
    ]),
  ],
};
