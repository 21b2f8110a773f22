/**
 * The policy variants of domain.md §4 on the flags fixture: each variant moves a boundary,
 * and rows on both sides of it (the fixture's, or a corrected monthly file's) are judged
 * by it. Figures by hand from test/fixtures/flags/.
 */
import { describe, expect, it } from 'vitest';
import {
  AFTER_NOVEMBER,
  keys,
  openFlagDistrict,
  policyText,
  S1,
  S2,
  S3,
  S4,
  S5,
  S6,
  type Correction,
  type FlagDistrict,
} from './flags-fixture.ts';

/** Loads the fixture (and corrections, in that order) under `policy`; returns `code`'s flags. */
async function judged(
  policy: string,
  code: string,
  corrections: readonly Correction[] = [],
  now: Date = AFTER_NOVEMBER,
): Promise<{ d: FlagDistrict; flags: Awaited<ReturnType<FlagDistrict['flags']>> }> {
  const d = await openFlagDistrict(policy);
  await d.load(undefined, { now });
  if (corrections.length > 0) await d.load([await d.monthly('更正.csv', corrections)], { now });
  return { d, flags: await d.flags(`code = '${code}' AND status = 'OPEN'`) };
}

async function texts(
  policy: string,
  code: string,
  corrections: readonly Correction[] = [],
  now?: Date,
): Promise<Array<[string, string, string, string, string, string, string]>> {
  const { d, flags } = await judged(policy, code, corrections, now);
  await d.close();
  return flags.map((f) => [
    String(f.school_code),
    String(f.month),
    String(f.rule),
    String(f.observed),
    String(f.threshold),
    String(f.policy_version),
    String(f.detail),
  ]);
}

describe('end-time caps', () => {
  it('judges each stage by its own cap when the policy gives one', async () => {
    const policy = policyText({
      end_time: { latest: { primary: '18:15', junior: '18:30', nine_year: '18:00' } },
    });
    expect(await texts(policy, 'LATE_END')).toEqual([
      // S2's 18:01 is within 18:15; S5 (complete) still falls back to junior.
      [
        S3,
        '2025-11',
        'LATE_END.after_cap',
        '18:31',
        '18:30（初中）',
        'v1',
        '最晚结束时间 18:31，超过规定 18:30（初中）',
      ],
      [
        S4,
        '2025-10',
        'LATE_END.after_cap',
        '18:10',
        '18:00（九年一贯制学校）',
        'v1',
        '最晚结束时间 18:10，超过规定 18:00（九年一贯制学校）',
      ],
      [
        S5,
        '2025-10',
        'LATE_END.after_cap',
        '18:31',
        '18:30（完全中学）',
        'v1',
        '最晚结束时间 18:31，超过规定 18:30（完全中学）',
      ],
    ]);
  });

  it('applies a seasonal cap in its months only, and the stage’s own cap where the season is silent', async () => {
    const policy = policyText({
      end_time: {
        seasons: [{ name: '冬季', months: [11, 12, 1, 2], latest: { primary: '17:30' } }],
      },
    });
    expect(await texts(policy, 'LATE_END')).toEqual([
      [
        S2,
        '2025-10',
        'LATE_END.after_cap',
        '18:01',
        '18:00（小学）',
        'v1',
        '最晚结束时间 18:01，超过规定 18:00（小学）',
      ],
      [
        S2,
        '2025-11',
        'LATE_END.after_cap',
        '17:45',
        '17:30（小学，冬季）',
        'v1',
        '最晚结束时间 17:45，超过规定 17:30（小学，冬季）',
      ],
      [
        S3,
        '2025-11',
        'LATE_END.after_cap',
        '18:31',
        '18:30（初中）',
        'v1',
        '最晚结束时间 18:31，超过规定 18:30（初中）',
      ],
      [
        S5,
        '2025-10',
        'LATE_END.after_cap',
        '18:31',
        '18:30（完全中学）',
        'v1',
        '最晚结束时间 18:31，超过规定 18:30（完全中学）',
      ],
    ]); // S6 ends 17:29 in November: within 17:30
  });

  it('flags an end before the floor (17:29 under 17:30), not one after it (17:45)', async () => {
    const policy = policyText({ end_time: { earliest: '17:30' } });
    expect(await texts(policy, 'SHORT_SERVICE')).toEqual([
      [
        S2,
        '2025-10',
        'SHORT_SERVICE.days',
        '19 天',
        '≥ 20 天（上学 20 天，每周 5 天）',
        'v1',
        '本月上学 20 天，开展课后服务 19 天，少于规定的 20 天（每周 5 天）',
      ],
      [
        S2,
        '2025-10',
        'SHORT_SERVICE.minutes',
        '119 分钟',
        '≥ 120 分钟',
        'v1',
        '日均服务时长 119 分钟，少于规定的 120 分钟',
      ],
      [
        S6,
        '2025-11',
        'SHORT_SERVICE.early_end',
        '17:29',
        '17:30（下班时间）',
        'v1',
        '最晚结束时间 17:29，早于规定的 17:30（下班时间）',
      ],
    ]);
  });

  it('moves the junior stages’ cap to the end of evening study, never the primary one', async () => {
    const policy = policyText({
      end_time: { evening_study: { until: '20:30', max_minutes: 120 } },
    });
    const flags = await texts(policy, 'LATE_END', [
      { school: S3, month: '2025-11', set: { 最晚结束时间: '20:31' } },
    ]);
    expect(flags).toEqual([
      [
        S2,
        '2025-10',
        'LATE_END.after_cap',
        '18:01',
        '18:00（小学）',
        'v1',
        '最晚结束时间 18:01，超过规定 18:00（小学）',
      ],
      [
        S3,
        '2025-11',
        'LATE_END.after_cap',
        '20:31',
        '20:30（初中含晚自习）',
        'v1',
        '最晚结束时间 20:31，超过规定 20:30（初中含晚自习）',
      ],
    ]); // S5's 18:31 (complete) is within its evening study
  });
});

describe('service days and minutes', () => {
  it('requires 4 of every 5 school days Monday to Thursday: 16 of 20 is enough, 16 of 21 is not', async () => {
    const policy = policyText({ service: { days_per_week: 4 } });
    const flags = await texts(policy, 'SHORT_SERVICE', [
      { school: S1, month: '2025-10', set: { 开展天数: '16' } },
      { school: S2, month: '2025-11', set: { 开展天数: '16' } },
    ]);
    expect(flags.filter((f) => f[2] === 'SHORT_SERVICE.days')).toEqual([
      [
        S2,
        '2025-11',
        'SHORT_SERVICE.days',
        '16 天',
        '≥ 16.8 天（上学 21 天，每周 4 天）',
        'v1',
        '本月上学 21 天，开展课后服务 16 天，少于规定的 16.8 天（每周 4 天）',
      ],
    ]); // S2's 19 of 20 in October is enough now
  });

  it('judges minutes against the district’s minimum: 90 is enough, 89 is not', async () => {
    const policy = policyText({ service: { min_daily_minutes: 90 } });
    const flags = await texts(policy, 'SHORT_SERVICE', [
      { school: S1, month: '2025-10', set: { '日均服务时长（分钟）': '90' } },
      { school: S2, month: '2025-11', set: { '日均服务时长（分钟）': '89' } },
    ]);
    expect(flags.filter((f) => f[2] === 'SHORT_SERVICE.minutes')).toEqual([
      [
        S2,
        '2025-11',
        'SHORT_SERVICE.minutes',
        '89 分钟',
        '≥ 90 分钟',
        'v1',
        '日均服务时长 89 分钟，少于规定的 90 分钟',
      ],
    ]);
  });

  it('caps the minutes a day: 150 is allowed, 151 is not', async () => {
    const policy = policyText({ service: { max_daily_minutes: 150 } });
    expect(
      await texts(policy, 'EXCESS_DURATION', [
        { school: S3, month: '2025-11', set: { '日均服务时长（分钟）': '151' } },
      ]),
    ).toEqual([
      [
        S3,
        '2025-11',
        'EXCESS_DURATION.minutes',
        '151 分钟',
        '≤ 150 分钟',
        'v1',
        '日均服务时长 151 分钟，超过上限 150 分钟',
      ],
    ]); // S3 October: exactly 150
  });

  it('caps the periods a day as periods × minutes per period: 120 is allowed, 125 is not', async () => {
    const policy = policyText({ service: { max_daily_periods: 3 } });
    const flags = await texts(policy, 'EXCESS_DURATION');
    expect(flags.map((f) => `${f[0]} ${f[1]} ${f[3]}`)).toEqual([
      `${S2} 2025-11 125 分钟`,
      `${S3} 2025-10 150 分钟`,
      `${S5} 2025-10 130 分钟`,
    ]); // S1, S4, S6 and S3 in November: exactly 120
    expect(flags[0]?.slice(4)).toEqual([
      '≤ 3 课时（120 分钟）',
      'v1',
      '日均服务时长 125 分钟，超过上限 3 课时（120 分钟）',
    ]);
  });
});

describe('fees', () => {
  it('caps the fee a period: 2.30 is allowed, 2.31 is not', async () => {
    const policy = policyText({ fees: { caps: { per_period: 2.3 } } });
    const flags = await texts(policy, 'ILLEGAL_FEES', [
      {
        school: S2,
        month: '2025-10',
        set: { '收费标准（元/课时）': '2.31', 收费公示: '是', 减免对象仍收费人数: '0' },
      },
      { school: S2, month: '2025-11', set: { '收费标准（元/课时）': '2.3' } },
    ]);
    expect(flags).toEqual([
      [
        S2,
        '2025-10',
        'ILLEGAL_FEES.per_period',
        '2.31 元/课时',
        '≤ 2.30 元/课时',
        'v1',
        '每课时收费 2.31 元，超过上限 2.30 元',
      ],
    ]);
  });

  it('caps the fee a day, rounded half up to cents: 4.60 is allowed; 5.95 and 8.63 are not', async () => {
    const policy = policyText({ fees: { caps: { per_period: null, per_day: 4.6 } } });
    const flags = await texts(policy, 'ILLEGAL_FEES', [
      {
        school: S1,
        month: '2025-10',
        set: { '收费标准（元/课时）': '2.3', '日均服务时长（分钟）': '80' },
      },
      {
        school: S3,
        month: '2025-11',
        set: { '收费标准（元/课时）': '2.3', '日均服务时长（分钟）': '150' },
      },
    ]);
    expect(flags.filter((f) => f[2] === 'ILLEGAL_FEES.per_day')).toEqual([
      // 2.00 × 119 ÷ 40 = 5.95
      [
        S2,
        '2025-10',
        'ILLEGAL_FEES.per_day',
        '5.95 元/日',
        '≤ 4.60 元/日',
        'v1',
        '每日收费 5.95 元（每课时 2.00 元 × 119 分钟 ÷ 40 分钟），超过上限 4.60 元',
      ],
      // 2.30 × 150 ÷ 40 = 8.625 → 8.63
      [
        S3,
        '2025-11',
        'ILLEGAL_FEES.per_day',
        '8.63 元/日',
        '≤ 4.60 元/日',
        'v1',
        '每日收费 8.63 元（每课时 2.30 元 × 150 分钟 ÷ 40 分钟），超过上限 4.60 元',
      ],
    ]); // S1: 2.30 × 80 ÷ 40 = 4.60 exactly
  });

  it('caps the fee a month: 4.00 × 20 days = 80.00 is allowed, 4.00 × 21 = 84.00 is not', async () => {
    const policy = policyText({ fees: { caps: { per_period: null, per_month: 80 } } });
    const flags = await texts(policy, 'ILLEGAL_FEES', [
      {
        school: S1,
        month: '2025-10',
        set: { '收费标准（元/课时）': '2', '日均服务时长（分钟）': '80' },
      },
      {
        school: S2,
        month: '2025-11',
        set: { '收费标准（元/课时）': '2', '日均服务时长（分钟）': '80' },
      },
    ]);
    expect(flags.filter((f) => f[2] === 'ILLEGAL_FEES.per_month')).toEqual([
      // 2.00 × 119 ÷ 40 = 5.95 × 19 days
      [
        S2,
        '2025-10',
        'ILLEGAL_FEES.per_month',
        '113.05 元/月',
        '≤ 80.00 元/月',
        'v1',
        '本月收费 113.05 元（每日 5.95 元 × 19 天），超过上限 80.00 元',
      ],
      [
        S2,
        '2025-11',
        'ILLEGAL_FEES.per_month',
        '84.00 元/月',
        '≤ 80.00 元/月',
        'v1',
        '本月收费 84.00 元（每日 4.00 元 × 21 天），超过上限 80.00 元',
      ],
    ]); // S1: 2.00 × 80 ÷ 40 = 4.00 × 20 days = 80.00 exactly
  });

  it('caps the semester’s fees so far, re-judging later months when an earlier one is corrected', async () => {
    const policy = policyText({ fees: { caps: { per_period: null, per_semester: 150 } } });
    const { d } = await judged(policy, 'ILLEGAL_FEES', [
      {
        school: S2,
        month: '2025-10',
        set: { '收费标准（元/课时）': '0', 收费公示: '是', 减免对象仍收费人数: '0' },
      },
      {
        school: S2,
        month: '2025-11',
        set: { '收费标准（元/课时）': '2', '日均服务时长（分钟）': '80' },
      },
    ]);
    try {
      // October free, November 4.00 × 21 = 84.00: within 150.
      expect(await d.flags(`code = 'ILLEGAL_FEES' AND status = 'OPEN'`)).toEqual([]);
      // October corrected to 4.00 × 19 = 76.00: November's semester total becomes 160.00.
      await d.load([
        await d.monthly('十月更正.csv', [
          {
            school: S2,
            month: '2025-10',
            set: {
              '收费标准（元/课时）': '2',
              '日均服务时长（分钟）': '80',
              收费公示: '是',
              减免对象仍收费人数: '0',
            },
          },
        ]),
      ]);
      const flags = await d.flags(`code = 'ILLEGAL_FEES' AND status = 'OPEN'`);
      expect(
        flags.map((f) => [f.school_code, f.month, f.rule, f.observed, f.threshold, f.detail]),
      ).toEqual([
        [
          S2,
          '2025-11',
          'ILLEGAL_FEES.per_semester',
          '160.00 元/学期',
          '≤ 150.00 元/学期',
          '2025 秋季学期截至本月累计收费 160.00 元，超过上限 150.00 元',
        ],
      ]);
    } finally {
      await d.close();
    }
  });

  it('says waived families pay half where the policy halves their fee', async () => {
    const policy = policyText({ fees: { waived_families: 'half' } });
    const flags = await texts(policy, 'ILLEGAL_FEES');
    expect(flags.find((f) => f[2] === 'ILLEGAL_FEES.waived_charged')).toEqual([
      S2,
      '2025-10',
      'ILLEGAL_FEES.waived_charged',
      '1 人',
      '减免对象减半收费',
      'v1',
      '1 名减免对象未按规定减半收费',
    ]);
  });
});

describe('allowances, providers and groups', () => {
  it('caps teacher pay a period: 60.00 is allowed, 60.01 is not', async () => {
    const policy = policyText({ teacher_pay: { max_per_period: 60 } });
    expect(
      await texts(policy, 'ILLEGAL_ALLOWANCES', [
        { school: S2, month: '2025-11', set: { '教师课时补助（元/课时）': '60.01' } },
      ]),
    ).toEqual([
      [
        S2,
        '2025-11',
        'ILLEGAL_ALLOWANCES.teacher_pay',
        '60.01 元/课时',
        '≤ 60.00 元/课时',
        'v1',
        '教师课时补助 60.01 元，超过上限 60.00 元',
      ],
    ]);
  });

  it('flags every provider where third parties are forbidden, and no “unapproved” then', async () => {
    const policy = policyText({ providers: { third_party_allowed: false } });
    expect(await texts(policy, 'UNAPPROVED_PROVIDER')).toEqual([
      [
        S1,
        '2025-10',
        'UNAPPROVED_PROVIDER.not_allowed',
        '1 家',
        '不允许第三方机构进校',
        'v1',
        '有 1 家第三方机构进校，本区不允许第三方机构提供课后服务',
      ],
      [
        S2,
        '2025-10',
        'UNAPPROVED_PROVIDER.not_allowed',
        '2 家',
        '不允许第三方机构进校',
        'v1',
        '有 2 家第三方机构进校，本区不允许第三方机构提供课后服务',
      ],
    ]);
  });

  it('judges the largest group against the district’s size: 40 is allowed, 45 is not', async () => {
    const policy = policyText({ groups: { max_size: 40 } });
    const flags = await texts(policy, 'OVERSIZED_GROUP');
    expect(flags.map((f) => `${f[0]} ${f[1]} ${f[3]} ${f[4]}`)).toEqual([
      `${S1} 2025-10 45 人 ≤ 40 人`,
      `${S2} 2025-10 46 人 ≤ 40 人`,
      `${S3} 2025-10 45 人 ≤ 40 人`,
      `${S3} 2025-11 45 人 ≤ 40 人`,
    ]); // S5 October: exactly 40
  });
});

describe('deadlines, disabled rules and versions', () => {
  it('counts the report deadline from the district’s day of the next month', async () => {
    const policy = policyText({ reports: { deadline_day: 10 } });
    expect(
      await texts(policy, 'MISSING_REPORT', [], new Date('2025-12-08T12:00:00+08:00')),
    ).toEqual([]);
    expect(
      await texts(policy, 'MISSING_REPORT', [], new Date('2025-12-11T00:00:00+08:00')),
    ).toEqual([
      [
        S1,
        '2025-11',
        'MISSING_REPORT.missing',
        '未报送',
        '截止 2025-12-10',
        'v1',
        '2025-11 月报截至 2025-12-10 仍未报送',
      ],
    ]);
  });

  it('skips a disabled code and a disabled rule, and judges the rest', async () => {
    const policy = policyText({ disabled_rules: ['SAFETY_INCIDENT', 'ILLEGAL_FEES.unpublished'] });
    const d = await openFlagDistrict(policy);
    try {
      await d.load();
      const s2 = keys(await d.flags(`school_code = '${S2}'`));
      expect(s2).not.toContain(`${S2} 2025-10 SAFETY_INCIDENT.incidents`);
      expect(s2).not.toContain(`${S2} 2025-10 ILLEGAL_FEES.unpublished`);
      expect(s2).toContain(`${S2} 2025-10 ILLEGAL_FEES.per_period`);
      expect(s2).toContain(`${S2} 2025-10 ILLEGAL_FEES.waived_charged`);
      expect(s2).toHaveLength(12);
    } finally {
      await d.close();
    }
  });

  it('judges each month by the version in force then: a new cap from 2025-11, October keeps v1', async () => {
    const policy = policyText({}, [
      {
        version: 'v2',
        effective_from: '2025-11',
        source: '测试区关于调整冬季课后服务时间的通知',
        end_time: { latest: { primary: '17:30' } },
      },
    ]);
    expect(await texts(policy, 'LATE_END')).toEqual([
      [
        S2,
        '2025-10',
        'LATE_END.after_cap',
        '18:01',
        '18:00（小学）',
        'v1',
        '最晚结束时间 18:01，超过规定 18:00（小学）',
      ],
      [
        S2,
        '2025-11',
        'LATE_END.after_cap',
        '17:45',
        '17:30（小学）',
        'v2',
        '最晚结束时间 17:45，超过规定 17:30（小学）',
      ],
      [
        S3,
        '2025-11',
        'LATE_END.after_cap',
        '18:31',
        '18:30（初中）',
        'v2',
        '最晚结束时间 18:31，超过规定 18:30（初中）',
      ],
      [
        S5,
        '2025-10',
        'LATE_END.after_cap',
        '18:31',
        '18:30（完全中学）',
        'v1',
        '最晚结束时间 18:31，超过规定 18:30（完全中学）',
      ],
    ]); // S6 (17:29) is within v2's 17:30
  });
});

void S4;
void S6;
