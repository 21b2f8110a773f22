import { describe, expect, it } from 'vitest';
import {
  coverageSentence,
  demandBelowFloorSentence,
  missingReportsSentence,
  newFlagsSentence,
  noDataSentence,
  overdueSentence,
  parentSatisfactionSentence,
  participationSentence,
  priorityGapSentence,
} from '../../../../server/graphql/report/finding-text.ts';

const DISTRICT = { zh: '全区', en: 'in the district' };

describe('coverageSentence', () => {
  it('states schools offering and the rate, naming those not offering', () => {
    expect(
      coverageSentence(DISTRICT, { inScope: 4, reporting: 4, offering: 2 }, [
        '西山中学',
        '西山九年一贯制学校',
      ]),
    ).toEqual({
      zh: '全区4所学校中2所开展课后服务，覆盖率50.0%。未开展：西山中学、西山九年一贯制学校。',
      en: '2 of 4 schools in the district ran after-school services (coverage 50.0%). Not offering: 西山中学, 西山九年一贯制学校.',
    });
  });

  it('names at most five schools in the sentence', () => {
    const names = ['一', '二', '三', '四', '五', '六', '七'];
    expect(
      coverageSentence(
        { zh: '本辖区', en: 'in your remit' },
        { inScope: 20, reporting: 20, offering: 13 },
        names,
      ).zh,
    ).toBe('本辖区20所学校中13所开展课后服务，覆盖率65.0%。未开展：一、二、三、四、五等7所。');
  });

  it('divides by the schools that reported and names those without a report apart', () => {
    // 4 schools, 3 reported, 2 of them served: 2 / 3 = 66.7 %, not 2 / 4.
    expect(
      coverageSentence(
        DISTRICT,
        { inScope: 4, reporting: 3, offering: 2 },
        ['西山中学'],
        ['西山九年一贯制学校'],
      ),
    ).toEqual({
      zh: '全区4所学校中3所报送月报，其中2所开展课后服务，覆盖率66.7%。未开展：西山中学。未报送：西山九年一贯制学校。',
      en: '3 of 4 schools in the district reported; 2 of them ran after-school services (coverage 66.7%). Not offering: 西山中学. Not reported: 西山九年一贯制学校.',
    });
  });

  it('ends after the rate when every school offers the service', () => {
    expect(coverageSentence(DISTRICT, { inScope: 1, reporting: 1, offering: 1 }, [])).toEqual({
      zh: '全区1所学校中1所开展课后服务，覆盖率100.0%。',
      en: '1 of 1 school in the district ran after-school services (coverage 100.0%).',
    });
  });
});

describe('participationSentence', () => {
  it('gives the month-on-month change in percentage points', () => {
    expect(participationSentence(623, 1000, 0.012)).toEqual({
      zh: '学生参与率62.3%，较上月上升1.2个百分点。',
      en: 'Student participation was 62.3%, up 1.2 percentage points on the previous month.',
      fell: false,
    });
    expect(participationSentence(208, 450, 208 / 450 - 235 / 380)).toMatchObject({
      zh: '学生参与率46.2%，较上月下降15.6个百分点。',
      fell: true,
    });
  });

  it('states the rate alone without a previous month', () => {
    expect(participationSentence(235, 380, null).zh).toBe('学生参与率61.8%。');
  });
});

describe('demandBelowFloorSentence', () => {
  it('counts the schools below the floor as the policy writes it', () => {
    expect(demandBelowFloorSentence(3, 0.95)).toEqual({
      zh: '3所学校需求满足率低于95%。',
      en: '3 schools met less than 95% of demand (participants / applicants).',
    });
  });
});

describe('priorityGapSentence', () => {
  it('names the group and the policy’s gap in points', () => {
    expect(priorityGapSentence('MIGRANT', 3, 10)).toEqual({
      zh: '3所学校随迁子女参与率低于本校学生参与率超过10个百分点。',
      en: "At 3 schools, the participation rate of migrant workers' children was more than 10 percentage points below the school's overall rate.",
    });
    expect(priorityGapSentence('POOR', 1, 7.5).zh).toBe(
      '1所学校困难家庭学生参与率低于本校学生参与率超过7.5个百分点。',
    );
  });
});

describe('parentSatisfactionSentence', () => {
  it('gives the score, the responses and the change in points', () => {
    expect(parentSatisfactionSentence(200 / 3, 3, -2.04)).toEqual({
      zh: '家长满意度66.7分（3份答卷），较上月下降2.0分。',
      en: 'Parent satisfaction scored 66.7 (3 responses), down 2.0 points on the previous month.',
      fell: true,
    });
    expect(parentSatisfactionSentence(50, 1, null).en).toBe(
      'Parent satisfaction scored 50.0 (1 response).',
    );
  });
});

describe('newFlagsSentence', () => {
  it('gives the total and each code’s count with its catalogue label', () => {
    expect(
      newFlagsSentence([
        { code: 'PRIORITY_GAP', count: 7 },
        { code: 'ILLEGAL_FEES', count: 5 },
      ]),
    ).toEqual({
      zh: '本月新增违规预警12条，其中优先群体保障不足7条、违规收费5条。',
      en: '12 new violation flags this month: Priority group under-served 7, Illegal fees 5.',
    });
  });

  it('names the one code when all flags share it', () => {
    expect(newFlagsSentence([{ code: 'LATE_END', count: 1 }])).toEqual({
      zh: '本月新增违规预警1条，均为结束时间过晚。',
      en: '1 new violation flag this month (Ends too late).',
    });
  });
});

describe('overdueSentence', () => {
  it('counts rectifications and schools', () => {
    expect(overdueSentence(3, 2)).toEqual({
      zh: '3条整改逾期未完成，涉及2所学校。',
      en: '3 rectifications past the deadline, at 2 schools.',
    });
  });
});

describe('missingReportsSentence', () => {
  it('says missing once the deadline has passed, not yet sent before it', () => {
    expect(missingReportsSentence(1, '2025-11-05', true)).toEqual({
      zh: '1所学校未在2025年11月5日截止前报送本月月报。',
      en: "1 school did not send this month's report by the deadline (2025-11-05).",
    });
    expect(missingReportsSentence(2, '2025-12-05', false)).toEqual({
      zh: '2所学校尚未报送本月月报，截止日期为2025年12月5日。',
      en: "2 schools have not sent this month's report yet; it is due 2025-12-05.",
    });
  });
});

describe('noDataSentence', () => {
  it('says the month has no data', () => {
    expect(noDataSentence().zh).toBe('本月暂无数据。');
  });
});
