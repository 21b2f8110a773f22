import { describe, expect, it } from 'vitest';
import {
  filingDeviations,
  filingSemester,
  dueDate,
  surveyCoverage,
} from '../../../server/policy/filing-checks.ts';
import { parseFields, type FilingFields } from '../../../server/policy/filing-payloads.ts';
import { loadPolicy, parsePolicy } from '../../../server/policy/policy.ts';

const policy = loadPolicy();
const capped = parsePolicy(`district: 测试区
versions:
  - version: '2025.1'
    effective_from: '2025-09'
    source: 测试
    filings:
      max_teacher_pay_per_period: 50
      max_performance_pay_per_teacher: 1000
      max_subsidy_per_student: 200
`);

function fields(kind: FilingFields['kind'], value: unknown): FilingFields {
  const parsed = parseFields(kind, value);
  if (!parsed.ok) throw new Error(parsed.issues.join('; '));
  return parsed.value;
}

const context = { stage: 'primary' as const, enrolled: 400 };

describe('filingSemester', () => {
  it('places the semester, its first school day and its deadlines', () => {
    const autumn = filingSemester(policy, '2025-2026-1');
    expect(autumn?.startDate).toBe('2025-09-01');
    expect(autumn?.endDate).toBe('2026-02-01');
    expect(dueDate(autumn!, 30)).toBe('2025-10-01');
    const spring = filingSemester(policy, '2025-2026-2');
    expect(spring?.startDate).toBe('2026-03-01');
    expect(spring?.endDate).toBe('2026-08-01');
    expect(filingSemester(policy, '2025-09')).toBeNull();
    expect(filingSemester(policy, '2025-2027-1')).toBeNull();
  });
});

describe('filingDeviations', () => {
  const semester = filingSemester(policy, '2025-2026-1')!;

  it('names each deviation of a plan from the default policy', () => {
    // 4 days (< 5); 15:40–17:20 is 100 minutes (< 120); homework 6 a week > 1 × 4 days;
    // 2 元 a period where the service is free; no priority arrangements.
    const plan = fields('PLAN', {
      document: '东城村小课后服务实施方案（2025秋）',
      daysPerWeek: 4,
      startTime: '15:40',
      endTime: '17:20',
      contentMix: [
        { kind: 'HOMEWORK', periodsPerWeek: 6 },
        { kind: 'SPORTS', periodsPerWeek: 2 },
      ],
      teachers: 20,
      externalStaff: 2,
      thirdPartyProviders: 0,
      feePerPeriod: 2,
      priorityArrangements: '',
    });
    const found = filingDeviations(plan, semester, context);
    expect(found.map((d) => d.check)).toEqual([
      'days_per_week',
      'daily_minutes',
      'homework',
      'fee_per_period',
      'priority',
    ]);
    expect(found[0]?.message).toBe(
      '每周服务 4 天，少于规定的 5 天 / 4 service days a week, fewer than the required 5',
    );
    expect(found[1]?.message).toContain('每日服务 100 分钟，少于规定的 120 分钟');
    expect(found[2]?.message).toContain('作业辅导每周 6 课时，超过每天 1 课时（每周 4 课时）');
  });

  it('passes a plan within the policy, and catches an end after the stage cap', () => {
    const ok = {
      document: '方案',
      daysPerWeek: 5,
      startTime: '16:00',
      endTime: '18:00',
      contentMix: [
        { kind: 'HOMEWORK', periodsPerWeek: 5 },
        { kind: 'READING', periodsPerWeek: 5 },
      ],
      teachers: 10,
      externalStaff: 0,
      thirdPartyProviders: 0,
      feePerPeriod: 0,
      priorityArrangements: '留守儿童优先编班',
    };
    expect(filingDeviations(fields('PLAN', ok), semester, context)).toEqual([]);
    const late = filingDeviations(fields('PLAN', { ...ok, endTime: '18:10' }), semester, context);
    expect(late).toEqual([
      {
        check: 'latest_end',
        message: '结束时间 18:10 晚于规定的 18:00（小学） / ends at 18:10, after the cap 18:00',
      },
    ]);
    // A junior school's cap is 18:30.
    expect(
      filingDeviations(fields('PLAN', { ...ok, endTime: '18:10' }), semester, {
        ...context,
        stage: 'junior',
      }),
    ).toEqual([]);
  });

  it('checks a survey against the semester and the enrolment; coverage is respondents / enrolled', () => {
    const survey = fields('SURVEY', {
      date: '2025-08-20',
      respondents: 300,
      demandByGrade: [
        { grade: 1, demand: 200 },
        { grade: 2, demand: 150 },
      ],
    });
    expect(filingDeviations(survey, semester, context).map((d) => d.check)).toEqual([
      'date',
      'demand',
    ]);
    expect(surveyCoverage(300, 400)).toBe(0.75);
    expect(surveyCoverage(300, null)).toBeNull();
  });

  it('checks agreements, fee publicity and refunds', () => {
    expect(
      filingDeviations(
        fields('AGREEMENT', { signed: 180, studentsServed: 200 }),
        semester,
        context,
      ),
    ).toEqual([
      {
        check: 'signed',
        message:
          '签订服务协议 180 份，少于服务学生 200 人 / 180 agreements signed for 200 pupils served',
      },
    ]);
    const fees = fields('FEES', {
      charged: true,
      firstFeeDate: '2025-09-10',
      publishedDate: '2025-09-12',
      publishedWhere: '校门公示栏',
      refundPerAbsentDay: null,
    });
    expect(filingDeviations(fees, semester, context).map((d) => d.check)).toEqual([
      'unpublished',
      'no_refunds',
    ]);
    const free = fields('FEES', {
      charged: false,
      firstFeeDate: null,
      publishedDate: null,
      publishedWhere: null,
      refundPerAbsentDay: null,
    });
    expect(filingDeviations(free, semester, context)).toEqual([]);
  });

  it('checks pay and subsidy per period, teacher and pupil against the caps', () => {
    const capSemester = filingSemester(capped, '2025-2026-1')!;
    // 6000 / 100 periods = 60 > 50; 12000 / 10 teachers = 1200 > 1000; 40000 / 200 = 200 (not over).
    const pay = fields('PAY', {
      periods: 100,
      teacherPay: 6000,
      teachers: 10,
      performancePay: 12000,
      studentsServed: 200,
      subsidy: 40000,
    });
    expect(filingDeviations(pay, capSemester, context).map((d) => d.message)).toEqual([
      '教师课时补助每课时 60 元，超过上限 50 元 / teacher pay 60 元 a period, over the cap',
      '人均绩效 1200 元，超过上限 1000 元 / performance pay 1200 元 a teacher, over the cap',
    ]);
    // The default policy caps nothing.
    expect(filingDeviations(pay, semester, context)).toEqual([]);
  });

  it('refuses fields that do not fit the kind, bilingually', () => {
    const bad = parseFields('SURVEY', { date: '2025/09/01', respondents: -1, demandByGrade: [] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues[0]).toBe('date: 日期格式应为 YYYY-MM-DD / expected YYYY-MM-DD');
  });
});
