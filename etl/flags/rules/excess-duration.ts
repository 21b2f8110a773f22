import { cat, int } from '../sql-format.ts';
import type { EvidenceRule } from './evidence-rule.ts';

/** EXCESS_DURATION.minutes: longer than the older rules' cap (minutes or periods, the tighter). */
export const excessDuration: EvidenceRule[] = [
  {
    rule: 'EXCESS_DURATION.minutes',
    reads: ['monthly'],
    when: () => `daily_minutes > max_daily_minutes`,
    observed: cat(int('daily_minutes'), `' 分钟'`),
    threshold: cat(`'≤ '`, 'max_daily_text'),
    detail: cat(`'日均服务时长 '`, int('daily_minutes'), `' 分钟，超过上限 '`, 'max_daily_text'),
    batch: 'report_batch',
  },
];
