import { describe, expect, it } from 'vitest';
import {
  buildOverviewKpis,
  type OverviewKpiInput,
} from '../../../../web/src/charts/kpi/build-overview-kpis.ts';

/** The fixture district's 2025-10 overview as the API answers it (rounded inputs). */
const OCTOBER: OverviewKpiInput = {
  schoolsInScope: 4,
  schoolsOffering: 2,
  schoolsNotOffering: 1,
  schoolsNotReported: 1,
  serviceMonth: true,
  enrolled: 450,
  applicants: 210,
  participants: 208,
  teachersServing: 40,
  teachersTotal: 90,
  schoolCoverageRate: 2 / 3,
  participationRate: 208 / 450,
  demandMetRate: 208 / 210,
  teacherParticipationRate: 40 / 90,
  fiveDayShare: 160 / 208,
  fivePlusTwoRate: 1 / 3,
  policyMinDailyMinutes: 120,
  openFlags: 42,
  overdueFlags: 3,
  satisfaction: [
    { respondent: 'student', responses: 1, score: 100 },
    { respondent: 'parent', responses: 5, score: 50 },
  ],
  changes: [
    {
      metric: 'SCHOOL_COVERAGE_RATE',
      value: 2 / 3,
      monthOnMonth: -1 / 3,
      yearOnYear: -1 / 3,
      monthOnMonthComparable: true,
      yearOnYearComparable: true,
    },
    {
      metric: 'PARTICIPATION_RATE',
      value: 0.4622,
      monthOnMonth: -0.1562,
      yearOnYear: -0.1378,
      monthOnMonthComparable: true,
      yearOnYearComparable: true,
    },
    {
      metric: 'DEMAND_MET_RATE',
      value: 0.99,
      monthOnMonth: 0.0313,
      yearOnYear: 0.0905,
      monthOnMonthComparable: true,
      yearOnYearComparable: true,
    },
    {
      metric: 'TEACHER_PARTICIPATION_RATE',
      value: 0.44,
      monthOnMonth: -0.1856,
      yearOnYear: null,
      monthOnMonthComparable: true,
      yearOnYearComparable: true,
    },
    {
      metric: 'PARENT_SATISFACTION_SCORE',
      value: 50,
      monthOnMonth: 50,
      yearOnYear: null,
      monthOnMonthComparable: true,
      yearOnYearComparable: true,
    },
    {
      metric: 'OPEN_FLAGS',
      value: 42,
      monthOnMonth: 5,
      yearOnYear: -2,
      monthOnMonthComparable: true,
      yearOnYearComparable: true,
    },
    {
      metric: 'PARTICIPANTS',
      value: 208,
      monthOnMonth: -27,
      yearOnYear: 154,
      monthOnMonthComparable: true,
      yearOnYearComparable: true,
    },
    {
      metric: 'FIVE_PLUS_TWO_RATE',
      value: 0.33,
      monthOnMonth: 0,
      yearOnYear: -0.6667,
      monthOnMonthComparable: true,
      yearOnYearComparable: true,
    },
  ],
};

describe('buildOverviewKpis', () => {
  it('shows the six headline figures with their hints in order', () => {
    const { primary } = buildOverviewKpis(OCTOBER);
    expect(primary.map((k) => [k.label, k.value, k.hint])).toEqual([
      ['学校覆盖率', '66.7%', '开展 2 · 未开展 1 · 未报送 1 所'],
      ['学生参与率', '46.2%', '参与 208 / 在校 450 人'],
      ['需求满足率', '99.0%', '参与 208 / 申请 210 人'],
      ['教师参与率', '44.4%', '参与 40 / 教师 90 人'],
      ['家长满意度', '50.0', '百分制 · 学期累计问卷 5 份'],
      ['未办结违规预警', '42', '其中逾期整改 3 条'],
    ]);
  });

  it('formats changes by kind: rates in points, scores in 分, counts signed', () => {
    const { primary, secondary } = buildOverviewKpis(OCTOBER);
    const byLabel = Object.fromEntries(
      [...primary, ...secondary].map((k) => [k.label, [k.monthOnMonth.text, k.yearOnYear.text]]),
    );
    expect(byLabel['学校覆盖率']).toEqual(['−33.3个百分点', '−33.3个百分点']);
    expect(byLabel['学生参与率']).toEqual(['−15.6个百分点', '−13.8个百分点']);
    expect(byLabel['家长满意度']).toEqual(['+50.0分', '—']);
    expect(byLabel['未办结违规预警']).toEqual(['+5', '−2']);
    expect(byLabel['参与学生数']).toEqual(['−27', '+154']);
    expect(byLabel['“5+2”达标率']).toEqual(['持平', '−66.7个百分点']);
  });

  it('marks open flags as better when they fall, and keeps raw deltas for the tone', () => {
    const flags = buildOverviewKpis(OCTOBER).primary.find((k) => k.metric === 'OPEN_FLAGS')!;
    expect(flags.better).toBe('down');
    expect(flags.monthOnMonth.delta).toBe(5);
    expect(flags.yearOnYear.delta).toBe(-2);
    const rates = buildOverviewKpis(OCTOBER).primary.filter((k) => k.metric !== 'OPEN_FLAGS');
    expect(rates.every((k) => k.better === 'up')).toBe(true);
  });

  it('shows a dash, not zero, where the API has no value or no comparison', () => {
    const empty = buildOverviewKpis({
      ...OCTOBER,
      participationRate: null,
      satisfaction: [],
      changes: [],
    });
    const participation = empty.primary[1]!;
    expect(participation.value).toBe('—');
    expect(participation.monthOnMonth).toEqual({ text: '—', delta: null });
    expect(empty.primary[4]!.value).toBe('—');
    expect(empty.primary[4]!.hint).toBe('百分制 · 学期累计问卷 0 份');
  });

  it('says 不适用 in a month without service and 不可比 against one', () => {
    const july = buildOverviewKpis({
      ...OCTOBER,
      serviceMonth: false,
      schoolsOffering: 0,
      schoolsNotOffering: 0,
      schoolsNotReported: null,
      schoolCoverageRate: null,
      fivePlusTwoRate: null,
      changes: OCTOBER.changes.map((c) =>
        c.metric === 'OPEN_FLAGS'
          ? c
          : {
              ...c,
              monthOnMonth: null,
              yearOnYear: null,
              monthOnMonthComparable: false,
              yearOnYearComparable: false,
            },
      ),
    });
    const coverage = july.primary[0]!;
    expect([coverage.value, coverage.hint]).toEqual(['不适用', '本月按政策不开展课后服务（假期）']);
    expect(coverage.monthOnMonth).toEqual({ text: '不可比', delta: null });
    expect(coverage.yearOnYear).toEqual({ text: '不可比', delta: null });
    expect(july.secondary[1]!.value).toBe('不适用');
    // Open flags are a stock: they still compare.
    expect(july.primary[5]!.monthOnMonth.text).toBe('+5');
  });

  it('adds participants, 5+2 compliance and the five-day share as smaller cards', () => {
    const { secondary } = buildOverviewKpis(OCTOBER);
    expect(secondary.map((k) => [k.label, k.value])).toEqual([
      ['参与学生数', '208'],
      ['“5+2”达标率', '33.3%'],
      ['每周5天参与占比', '76.9%'],
    ]);
    expect(secondary[1]!.hint).toContain('日均不少于 120 分钟');
  });

  it('counts school-months and person-months over a semester', () => {
    // 2025-2026 第一学期 of the fixture: September (4 reported, 4 served) + October.
    const semester = buildOverviewKpis({
      ...OCTOBER,
      periodKind: 'SEMESTER',
      schoolsInScope: 8,
      schoolsOffering: 6,
      schoolsNotOffering: 1,
      schoolsNotReported: 1,
      enrolled: 830,
      participants: 443,
      participationRate: 443 / 830,
    });
    expect(semester.primary[0]!.hint).toBe('开展 6 · 未开展 1 · 未报送 1 校次');
    expect(semester.primary[1]!.value).toBe('53.4%');
    expect(semester.primary[1]!.hint).toBe('参与 443 / 在校 830 人次');
    expect(semester.primary[4]!.hint).toBe('百分制 · 本学期问卷 5 份');
    expect(semester.secondary[0]!.hint).toBe('本学期各月参加课后服务的学生数之和（人次）');
    expect(buildOverviewKpis({ ...OCTOBER, periodKind: 'YEAR' }).secondary[0]!.hint).toBe(
      '本学年各月参加课后服务的学生数之和（人次）',
    );
  });
});
