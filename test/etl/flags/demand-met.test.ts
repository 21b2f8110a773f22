/**
 * 愿留尽留: under the national defaults every applicant is served, so one pupil turned away
 * is a NOT_OFFERED flag; a district may relax the rate in its policy. Hand-made: one
 * primary school (S1 of the flags fixture, every other value allowed) in 2025-10 with one
 * grade of 100 applicants of whom 99 take part (99 %).
 */
import { describe, expect, it } from 'vitest';
import { openFlagDistrict, policyText, REGISTRY, S1 } from './flags-fixture.ts';

const GRADES =
  '学校标识码,填报月份,年级,在校生数,申请人数,参加人数,留守儿童数,留守儿童参加数,随迁子女数,随迁子女参加数,残疾儿童数,残疾儿童参加数,困难家庭学生数,困难家庭学生参加数,五天全勤参加人数';

async function turnedAway(policy: string | undefined, applicants: number, participants: number) {
  const d = await openFlagDistrict(policy);
  try {
    // S1's 2025-10 row only, and a grade row with `applicants` and `participants`.
    const monthly = await d.monthly('月报.csv', [{ school: S1, month: '2025-10' }]);
    const grades = await d.file(
      '分年级.csv',
      `${GRADES}\n${S1},2025-10,1,120,${applicants},${participants},0,0,0,0,0,0,0,0,${participants}\n`,
    );
    await d.load([REGISTRY, monthly, grades], { now: new Date('2025-10-20T12:00:00+08:00') });
    const flags = await d.flags(`rule = 'NOT_OFFERED.turned_away'`);
    return flags.map((f) => [f.school_code, f.month, f.observed, f.threshold]);
  } finally {
    await d.close();
  }
}

describe('NOT_OFFERED.turned_away (愿留尽留)', () => {
  it('flags a single applicant turned away under the national default of 100 %', async () => {
    expect(await turnedAway(undefined, 100, 99)).toEqual([
      [S1, '2025-10', '99.0%（申请 100 人，参加 99 人）', '需求满足率 ≥ 100%'],
    ]);
    expect(await turnedAway(undefined, 100, 100)).toEqual([]);
  });

  it('raises nothing at 99 % when the district relaxes it to 95 %, and still flags 94 %', async () => {
    const relaxed = policyText({ participation: { min_demand_met_rate: 0.95 } });
    expect(await turnedAway(relaxed, 100, 99)).toEqual([]);
    expect(await turnedAway(relaxed, 100, 94)).toEqual([
      [S1, '2025-10', '94.0%（申请 100 人，参加 94 人）', '需求满足率 ≥ 95%'],
    ]);
  });
});
