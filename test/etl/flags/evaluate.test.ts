/**
 * Every report rule on the flags fixture under the national defaults (district-policy.yaml,
 * version 2021.1): the row on the allowed side of each boundary raises nothing, the row
 * just over raises exactly one flag with these texts. Figures by hand from
 * test/fixtures/flags/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Row } from '../../helpers/with-warehouse.ts';
import {
  keys,
  openFlagDistrict,
  S1,
  S2,
  S3,
  S4,
  S5,
  S6,
  type FlagDistrict,
} from './flags-fixture.ts';

let d: FlagDistrict;
let flags: Row[];
beforeAll(async () => {
  d = await openFlagDistrict();
  await d.load();
  flags = await d.flags();
});
afterAll(async () => {
  await d.close();
});

/** The one flag of `rule` at school-month, its judged texts. */
function flag(school: string, month: string, rule: string) {
  const found = flags.filter(
    (f) => f.school_code === school && f.month === month && f.rule === rule,
  );
  expect(found).toHaveLength(1);
  const f = found[0]!;
  return {
    code: f.code,
    observed: f.observed,
    threshold: f.threshold,
    policy_version: f.policy_version,
    detail: f.detail,
  };
}

function none(school: string, month: string, rule: string): void {
  expect(keys(flags)).not.toContain(`${school} ${month} ${rule}`);
}

describe('judgeBatch under the national defaults', () => {
  it('raises exactly the fixture’s twenty flags, all OPEN, by system, from reports', () => {
    expect(keys(flags)).toEqual([
      // 愿留尽留 is 100 % by default: S1's 95 of 100 applicants is under it.
      `${S1} 2025-10 NOT_OFFERED.turned_away`,
      `${S1} 2025-11 MISSING_REPORT.missing`,
      `${S2} 2025-10 EXCESS_HOMEWORK.homework_periods`,
      `${S2} 2025-10 EXCESS_HOMEWORK.written_g12`,
      `${S2} 2025-10 FORCED_PARTICIPATION.over_applicants`,
      `${S2} 2025-10 ILLEGAL_FEES.per_period`,
      `${S2} 2025-10 ILLEGAL_FEES.unpublished`,
      `${S2} 2025-10 ILLEGAL_FEES.waived_charged`,
      `${S2} 2025-10 LATE_END.after_cap`,
      `${S2} 2025-10 NOT_OFFERED.turned_away`,
      `${S2} 2025-10 OVERSIZED_GROUP.largest_group`,
      `${S2} 2025-10 PRIORITY_GAP.left_behind`,
      `${S2} 2025-10 SAFETY_INCIDENT.incidents`,
      `${S2} 2025-10 SHORT_SERVICE.days`,
      `${S2} 2025-10 SHORT_SERVICE.minutes`,
      `${S2} 2025-10 UNAPPROVED_PROVIDER.unapproved`,
      `${S3} 2025-11 LATE_END.after_cap`,
      `${S4} 2025-10 EXCESS_HOMEWORK.written_g12`,
      `${S4} 2025-11 NOT_OFFERED.no_service`,
      `${S5} 2025-10 LATE_END.after_cap`,
    ]);
    for (const f of flags) {
      expect([f.status, f.resolution, f.raised_by, f.source]).toEqual([
        'OPEN',
        null,
        'system',
        'report',
      ]);
    }
  });

  it('LATE_END.after_cap: 18:00 is not late under 18:00, 18:01 is; stages fall back to junior', () => {
    none(S1, '2025-10', 'LATE_END.after_cap'); // 18:00, primary
    none(S3, '2025-10', 'LATE_END.after_cap'); // 18:30, junior
    none(S4, '2025-10', 'LATE_END.after_cap'); // 18:10, nine-year: junior's 18:30
    expect(flag(S2, '2025-10', 'LATE_END.after_cap')).toEqual({
      code: 'LATE_END',
      observed: '18:01',
      threshold: '18:00（小学）',
      policy_version: '2021.1',
      detail: '最晚结束时间 18:01，超过规定 18:00（小学）',
    });
    expect(flag(S3, '2025-11', 'LATE_END.after_cap').threshold).toBe('18:30（初中）');
    expect(flag(S5, '2025-10', 'LATE_END.after_cap')).toMatchObject({
      observed: '18:31',
      threshold: '18:30（完全中学）',
      detail: '最晚结束时间 18:31，超过规定 18:30（完全中学）',
    });
  });

  it('SHORT_SERVICE.days: 20 of 20 days is enough, 19 of 20 is not', () => {
    none(S1, '2025-10', 'SHORT_SERVICE.days');
    expect(flag(S2, '2025-10', 'SHORT_SERVICE.days')).toEqual({
      code: 'SHORT_SERVICE',
      observed: '19 天',
      threshold: '≥ 20 天（上学 20 天，每周 5 天）',
      policy_version: '2021.1',
      detail: '本月上学 20 天，开展课后服务 19 天，少于规定的 20 天（每周 5 天）',
    });
  });

  it('SHORT_SERVICE.minutes: 120 minutes is enough, 119 is not; no service is NOT_OFFERED', () => {
    none(S1, '2025-10', 'SHORT_SERVICE.minutes');
    none(S4, '2025-11', 'SHORT_SERVICE.minutes'); // 0 days, 0 minutes
    expect(flag(S2, '2025-10', 'SHORT_SERVICE.minutes')).toEqual({
      code: 'SHORT_SERVICE',
      observed: '119 分钟',
      threshold: '≥ 120 分钟',
      policy_version: '2021.1',
      detail: '日均服务时长 119 分钟，少于规定的 120 分钟',
    });
  });

  it('SHORT_SERVICE.early_end: no floor in the national defaults', () => {
    none(S6, '2025-11', 'SHORT_SERVICE.early_end'); // 17:29
  });

  it('EXCESS_DURATION.minutes: no cap in the national defaults', () => {
    expect(flags.filter((f) => f.code === 'EXCESS_DURATION')).toEqual([]);
  });

  it('NOT_OFFERED.no_service: 0 of 21 days, but not in a month without school days', () => {
    none(S5, '2025-11', 'NOT_OFFERED.no_service'); // 0 school days
    expect(flag(S4, '2025-11', 'NOT_OFFERED.no_service')).toEqual({
      code: 'NOT_OFFERED',
      observed: '开展 0 天',
      threshold: '上学日应开展课后服务',
      policy_version: '2021.1',
      detail: '本月上学 21 天，未开展课后服务',
    });
  });

  it('NOT_OFFERED.turned_away: 愿留尽留 is 100 %, so 95 of 100 and 131 of 140 applicants are under', () => {
    none(S4, '2025-11', 'NOT_OFFERED.turned_away'); // 50 applicants, but no service at all
    none(S3, '2025-10', 'NOT_OFFERED.turned_away'); // 150 of 150
    expect(flag(S1, '2025-10', 'NOT_OFFERED.turned_away')).toEqual({
      code: 'NOT_OFFERED',
      observed: '95.0%（申请 100 人，参加 95 人）',
      threshold: '需求满足率 ≥ 100%',
      policy_version: '2021.1',
      detail: '需求满足率 95.0%（申请 100 人，参加 95 人），低于规定的 100%',
    });
    expect(flag(S2, '2025-10', 'NOT_OFFERED.turned_away')).toEqual({
      code: 'NOT_OFFERED',
      observed: '93.6%（申请 140 人，参加 131 人）',
      threshold: '需求满足率 ≥ 100%',
      policy_version: '2021.1',
      detail: '需求满足率 93.6%（申请 140 人，参加 131 人），低于规定的 100%',
    });
  });

  it('FORCED_PARTICIPATION.over_applicants: 41 participants of 40 applicants in grade 2', () => {
    none(S1, '2025-10', 'FORCED_PARTICIPATION.over_applicants'); // 95 of 100
    expect(flag(S2, '2025-10', 'FORCED_PARTICIPATION.over_applicants')).toEqual({
      code: 'FORCED_PARTICIPATION',
      observed: '超出 1 人（二年级）',
      threshold: '参加人数 ≤ 申请人数',
      policy_version: '2021.1',
      detail: '二年级参加人数超过申请人数，共超出 1 人',
    });
  });

  it('EXCESS_HOMEWORK.homework_periods: 1 period is the cap, 1.5 is over', () => {
    none(S1, '2025-10', 'EXCESS_HOMEWORK.homework_periods');
    expect(flag(S2, '2025-10', 'EXCESS_HOMEWORK.homework_periods')).toEqual({
      code: 'EXCESS_HOMEWORK',
      observed: '1.5 课时/日',
      threshold: '≤ 1 课时/日',
      policy_version: '2021.1',
      detail: '每日作业辅导 1.5 课时，超过上限 1 课时',
    });
  });

  it('EXCESS_HOMEWORK.written_g12: only where grades 1-2 are taught (primary, nine-year)', () => {
    none(S3, '2025-10', 'EXCESS_HOMEWORK.written_g12'); // a junior school answering 是
    const expected = {
      code: 'EXCESS_HOMEWORK',
      observed: '布置书面作业',
      threshold: '一二年级不布置书面作业',
      policy_version: '2021.1',
      detail: '一二年级布置了书面作业，规定一二年级不布置书面作业',
    };
    expect(flag(S2, '2025-10', 'EXCESS_HOMEWORK.written_g12')).toEqual(expected);
    expect(flag(S4, '2025-10', 'EXCESS_HOMEWORK.written_g12')).toEqual(expected);
  });

  it('ILLEGAL_FEES.per_period: free means 0.00; 2.00 a period is charged', () => {
    none(S1, '2025-10', 'ILLEGAL_FEES.per_period');
    expect(flag(S2, '2025-10', 'ILLEGAL_FEES.per_period')).toEqual({
      code: 'ILLEGAL_FEES',
      observed: '2.00 元/课时',
      threshold: '免费',
      policy_version: '2021.1',
      detail: '每课时收费 2.00 元，规定免费',
    });
  });

  it('ILLEGAL_FEES.waived_charged: one waived pupil still charged', () => {
    none(S1, '2025-10', 'ILLEGAL_FEES.waived_charged');
    expect(flag(S2, '2025-10', 'ILLEGAL_FEES.waived_charged')).toEqual({
      code: 'ILLEGAL_FEES',
      observed: '1 人',
      threshold: '减免对象免费',
      policy_version: '2021.1',
      detail: '1 名减免对象仍被收费，规定减免对象免费',
    });
  });

  it('ILLEGAL_FEES.unpublished: a fee not published; no fee needs no publishing', () => {
    none(S1, '2025-10', 'ILLEGAL_FEES.unpublished');
    expect(flag(S2, '2025-10', 'ILLEGAL_FEES.unpublished')).toEqual({
      code: 'ILLEGAL_FEES',
      observed: '未公示',
      threshold: '收费须公示',
      policy_version: '2021.1',
      detail: '收费 2.00 元/课时，未公示',
    });
  });

  it('ILLEGAL_ALLOWANCES.teacher_pay: no cap in the national defaults', () => {
    expect(flags.filter((f) => f.code === 'ILLEGAL_ALLOWANCES')).toEqual([]);
  });

  it('UNAPPROVED_PROVIDER.unapproved: one of two providers unreviewed', () => {
    none(S1, '2025-10', 'UNAPPROVED_PROVIDER.unapproved'); // 1 provider, reviewed
    expect(flag(S2, '2025-10', 'UNAPPROVED_PROVIDER.unapproved')).toEqual({
      code: 'UNAPPROVED_PROVIDER',
      observed: '1 家未经审核（共 2 家）',
      threshold: '第三方机构须经审核',
      policy_version: '2021.1',
      detail: '第三方机构 2 家，其中 1 家未经审核',
    });
    expect(flags.filter((f) => f.rule === 'UNAPPROVED_PROVIDER.not_allowed')).toEqual([]);
  });

  it('OVERSIZED_GROUP.largest_group: 45 is allowed, 46 is not', () => {
    none(S1, '2025-10', 'OVERSIZED_GROUP.largest_group');
    expect(flag(S2, '2025-10', 'OVERSIZED_GROUP.largest_group')).toEqual({
      code: 'OVERSIZED_GROUP',
      observed: '46 人',
      threshold: '≤ 45 人',
      policy_version: '2021.1',
      detail: '最大班额 46 人，超过上限 45 人',
    });
  });

  it('SAFETY_INCIDENT.incidents: one incident reported', () => {
    none(S1, '2025-10', 'SAFETY_INCIDENT.incidents');
    expect(flag(S2, '2025-10', 'SAFETY_INCIDENT.incidents')).toEqual({
      code: 'SAFETY_INCIDENT',
      observed: '1 起',
      threshold: '无安全事故',
      policy_version: '2021.1',
      detail: '本月报告安全事故 1 起',
    });
  });

  it('PRIORITY_GAP: exactly 10 points below is not flagged, 12.3 is; groups under 20 are not judged', () => {
    none(S1, '2025-10', 'PRIORITY_GAP.left_behind'); // 85% vs 95%
    none(S1, '2025-10', 'PRIORITY_GAP.poor'); // 85% vs 95%
    none(S1, '2025-10', 'PRIORITY_GAP.migrant'); // 0 of 19
    // 留守: 15 of 20 = 75%; school 131 of 150 = 87.33%; gap 12.33 points.
    expect(flag(S2, '2025-10', 'PRIORITY_GAP.left_behind')).toEqual({
      code: 'PRIORITY_GAP',
      observed: '75.0%（全校 87.3%）',
      threshold: '低于全校不超过 10 个百分点',
      policy_version: '2021.1',
      detail:
        '留守儿童参与率 75.0%（20 人中 15 人），低于全校 87.3% 达 12.3 个百分点，超过规定的 10 个百分点',
    });
  });

  it('MISSING_REPORT.missing: a school open in the month without a report, not before it opened', () => {
    none(S6, '2025-10', 'MISSING_REPORT.missing'); // opens 2025-11-01
    expect(flag(S1, '2025-11', 'MISSING_REPORT.missing')).toEqual({
      code: 'MISSING_REPORT',
      observed: '未报送',
      threshold: '截止 2025-12-05',
      policy_version: '2021.1',
      detail: '2025-11 月报截至 2025-12-05 仍未报送',
    });
  });

  it('records the evidencing batch and one RAISED event by 系统 per flag', async () => {
    const batches = await d.sql(`SELECT batch_id, kind FROM load_batches ORDER BY batch_id`);
    const monthlyBatch = batches.find((b) => b.kind === 'monthly')?.batch_id;
    const participationBatch = batches.find((b) => b.kind === 'participation')?.batch_id;
    const byRule = (rule: string) =>
      flags.find((f) => f.rule === rule && f.school_code === S2)?.evidence_batch_id;
    expect(byRule('LATE_END.after_cap')).toBe(monthlyBatch);
    expect(byRule('PRIORITY_GAP.left_behind')).toBe(participationBatch);
    const events = await d.events();
    expect(events).toHaveLength(flags.length);
    expect(
      new Set(events.map((e) => `${e.action} ${e.to_status} ${e.username} ${e.user_name}`)),
    ).toEqual(new Set(['RAISED OPEN system 系统']));
    const late = events.find((e) => e.rule === 'LATE_END.after_cap' && e.school_code === S2);
    expect(late?.batch_id).toBe(monthlyBatch);
    expect(late?.note).toBe(
      `系统根据导入的报告发现（批次 ${String(monthlyBatch)}，文件 月报.csv）`,
    );
    const missing = events.find((e) => e.rule === 'MISSING_REPORT.missing');
    expect([missing?.batch_id, missing?.note]).toEqual([null, '系统核对报送截止日期后发现']);
  });
});
