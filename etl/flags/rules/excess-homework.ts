import { cat, num } from '../sql-format.ts';
import type { EvidenceRule } from './evidence-rule.ts';

/** EXCESS_HOMEWORK: too many homework periods; written homework where grades 1-2 are taught. */
export const excessHomework: EvidenceRule[] = [
  {
    rule: 'EXCESS_HOMEWORK.homework_periods',
    reads: ['monthly'],
    when: () => `homework_periods > homework_max`,
    observed: cat(num('homework_periods'), `' 课时/日'`),
    threshold: cat(`'≤ '`, num('homework_max'), `' 课时/日'`),
    detail: cat(
      `'每日作业辅导 '`,
      num('homework_periods'),
      `' 课时，超过上限 '`,
      num('homework_max'),
      `' 课时'`,
    ),
    batch: 'report_batch',
  },
  {
    rule: 'EXCESS_HOMEWORK.written_g12',
    reads: ['monthly', 'registry'],
    when: () => `written_forbidden AND written_homework_g12 AND stage IN ('primary', 'nine_year')`,
    observed: `'布置书面作业'`,
    threshold: `'一二年级不布置书面作业'`,
    detail: `'一二年级布置了书面作业，规定一二年级不布置书面作业'`,
    batch: 'report_batch',
  },
];
