import { cat, int } from '../sql-format.ts';
import type { EvidenceRule } from './evidence-rule.ts';

/** Days required: school_days × days_per_week / 5, e.g. '20' or '13.6'. */
const REQUIRED = `(CASE WHEN (school_days * days_per_week) % 5 = 0
    THEN CAST((school_days * days_per_week) // 5 AS VARCHAR)
    ELSE printf('%.1f', school_days * days_per_week / 5.0) END)`;

/**
 * The 5+2 rule, in service months: days on the overview's comparison (service_days ≥
 * school_days × days_per_week / 5, here in integers), minutes a day, and the end-time floor.
 */
export const shortService: EvidenceRule[] = [
  {
    rule: 'SHORT_SERVICE.days',
    reads: ['monthly'],
    when: () =>
      `service_month AND service_days > 0 AND service_days * 5 < school_days * days_per_week`,
    observed: cat(int('service_days'), `' 天'`),
    threshold: cat(
      `'≥ '`,
      REQUIRED,
      `' 天（上学 '`,
      int('school_days'),
      `' 天，每周 '`,
      int('days_per_week'),
      `' 天）'`,
    ),
    detail: cat(
      `'本月上学 '`,
      int('school_days'),
      `' 天，开展课后服务 '`,
      int('service_days'),
      `' 天，少于规定的 '`,
      REQUIRED,
      `' 天（每周 '`,
      int('days_per_week'),
      `' 天）'`,
    ),
    batch: 'report_batch',
  },
  {
    rule: 'SHORT_SERVICE.minutes',
    reads: ['monthly'],
    when: () => `service_month AND service_days > 0 AND daily_minutes < min_daily_minutes`,
    observed: cat(int('daily_minutes'), `' 分钟'`),
    threshold: cat(`'≥ '`, int('min_daily_minutes'), `' 分钟'`),
    detail: cat(
      `'日均服务时长 '`,
      int('daily_minutes'),
      `' 分钟，少于规定的 '`,
      int('min_daily_minutes'),
      `' 分钟'`,
    ),
    batch: 'report_batch',
  },
  {
    rule: 'SHORT_SERVICE.early_end',
    reads: ['monthly'],
    when: () => `service_month AND service_days > 0 AND end_minutes < floor_min`,
    observed: 'latest_end_time',
    threshold: 'floor_text',
    detail: cat(`'最晚结束时间 '`, 'latest_end_time', `'，早于规定的 '`, 'floor_text'),
    batch: 'report_batch',
  },
];
