import { cat, int, money } from '../sql-format.ts';
import type { EvidenceRule } from './evidence-rule.ts';

/** "免费" for a cap of 0, else "≤ 2.30 元/课时". */
const capText = (cap: string, unit: string): string =>
  `(CASE WHEN ${cap} = 0 THEN '免费' ELSE ${cat(`'≤ '`, money(cap), `' 元/${unit}'`)} END)`;
/** "，规定免费" or "，超过上限 2.30 元". */
const overText = (cap: string): string =>
  `(CASE WHEN ${cap} = 0 THEN '，规定免费' ELSE ${cat(`'，超过上限 '`, money(cap), `' 元'`)} END)`;

/**
 * ILLEGAL_FEES: caps per period, day (fee × minutes ÷ minutes per period, rounded to
 * cents), month (× service days) and semester (this semester's months so far); waived
 * families charged; fees not published. flag_base carries the amounts in cents.
 */
export const illegalFees: EvidenceRule[] = [
  {
    rule: 'ILLEGAL_FEES.per_period',
    reads: ['monthly'],
    when: () => `fee_cents > fee_cap_period`,
    observed: cat(money('fee_cents'), `' 元/课时'`),
    threshold: capText('fee_cap_period', '课时'),
    detail: cat(`'每课时收费 '`, money('fee_cents'), `' 元'`, overText('fee_cap_period')),
    batch: 'report_batch',
  },
  {
    rule: 'ILLEGAL_FEES.per_day',
    reads: ['monthly'],
    when: () => `day_cents > fee_cap_day`,
    observed: cat(money('day_cents'), `' 元/日'`),
    threshold: capText('fee_cap_day', '日'),
    detail: cat(
      `'每日收费 '`,
      money('day_cents'),
      `' 元（每课时 '`,
      money('fee_cents'),
      `' 元 × '`,
      int('daily_minutes'),
      `' 分钟 ÷ '`,
      int('minutes_per_period'),
      `' 分钟）'`,
      overText('fee_cap_day'),
    ),
    batch: 'report_batch',
  },
  {
    rule: 'ILLEGAL_FEES.per_month',
    reads: ['monthly'],
    when: () => `month_cents > fee_cap_month`,
    observed: cat(money('month_cents'), `' 元/月'`),
    threshold: capText('fee_cap_month', '月'),
    detail: cat(
      `'本月收费 '`,
      money('month_cents'),
      `' 元（每日 '`,
      money('day_cents'),
      `' 元 × '`,
      int('service_days'),
      `' 天）'`,
      overText('fee_cap_month'),
    ),
    batch: 'report_batch',
  },
  {
    rule: 'ILLEGAL_FEES.per_semester',
    reads: ['monthly'],
    when: () => `semester_cents > fee_cap_semester`,
    observed: cat(money('semester_cents'), `' 元/学期'`),
    threshold: capText('fee_cap_semester', '学期'),
    detail: cat(
      'semester_label',
      `'截至本月累计收费 '`,
      money('semester_cents'),
      `' 元'`,
      overText('fee_cap_semester'),
    ),
    batch: 'report_batch',
  },
  {
    rule: 'ILLEGAL_FEES.waived_charged',
    reads: ['monthly'],
    when: () => `waived_but_charged > 0`,
    observed: cat(int('waived_but_charged'), `' 人'`),
    threshold: `(CASE WHEN waived_half THEN '减免对象减半收费' ELSE '减免对象免费' END)`,
    detail: cat(
      int('waived_but_charged'),
      `(CASE WHEN waived_half THEN ' 名减免对象未按规定减半收费' ELSE ' 名减免对象仍被收费，规定减免对象免费' END)`,
    ),
    batch: 'report_batch',
  },
  {
    rule: 'ILLEGAL_FEES.unpublished',
    reads: ['monthly'],
    when: () => `must_publish AND fee_cents > 0 AND NOT fees_published`,
    observed: `'未公示'`,
    threshold: `'收费须公示'`,
    detail: cat(`'收费 '`, money('fee_cents'), `' 元/课时，未公示'`),
    batch: 'report_batch',
  },
];
