import { cat, int } from '../sql-format.ts';
import type { EvidenceRule } from './evidence-rule.ts';

/** OVERSIZED_GROUP.largest_group: the largest group above the maximum size. */
export const oversizedGroup: EvidenceRule[] = [
  {
    rule: 'OVERSIZED_GROUP.largest_group',
    reads: ['monthly'],
    when: () => `largest_group > max_group`,
    observed: cat(int('largest_group'), `' 人'`),
    threshold: cat(`'≤ '`, int('max_group'), `' 人'`),
    detail: cat(`'最大班额 '`, int('largest_group'), `' 人，超过上限 '`, int('max_group'), `' 人'`),
    batch: 'report_batch',
  },
];
