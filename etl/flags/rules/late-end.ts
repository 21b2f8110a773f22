import { cat } from '../sql-format.ts';
import type { EvidenceRule } from './evidence-rule.ts';

/** LATE_END.after_cap: the reported end is after the cap of the school's stage (18:00 is not late under 18:00). */
export const lateEnd: EvidenceRule[] = [
  {
    rule: 'LATE_END.after_cap',
    reads: ['monthly', 'registry'],
    when: () => `service_days > 0 AND end_minutes > cap_minutes`,
    observed: 'latest_end_time',
    threshold: 'cap_text',
    detail: cat(`'最晚结束时间 '`, 'latest_end_time', `'，超过规定 '`, 'cap_text'),
    batch: 'report_batch',
  },
];
