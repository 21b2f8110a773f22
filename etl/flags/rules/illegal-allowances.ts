import { cat, money } from '../sql-format.ts';
import type { EvidenceRule } from './evidence-rule.ts';

/** ILLEGAL_ALLOWANCES.teacher_pay: pay per period above the district's cap. */
export const illegalAllowances: EvidenceRule[] = [
  {
    rule: 'ILLEGAL_ALLOWANCES.teacher_pay',
    reads: ['monthly'],
    when: () => `pay_cents > pay_cap`,
    observed: cat(money('pay_cents'), `' 元/课时'`),
    threshold: cat(`'≤ '`, money('pay_cap'), `' 元/课时'`),
    detail: cat(
      `'教师课时补助 '`,
      money('pay_cents'),
      `' 元，超过上限 '`,
      money('pay_cap'),
      `' 元'`,
    ),
    batch: 'report_batch',
  },
];
