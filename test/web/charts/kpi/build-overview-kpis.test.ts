import { describe, expect, it } from 'vitest';
import {
  buildOverviewKpis,
  type OverviewKpiInput,
} from '../../../../web/src/charts/kpi/build-overview-kpis.ts';

/** The fixture district's 2025-10 overview as the API answers it (rounded inputs). */
const OCTOBER: OverviewKpiInput = {
  schoolsInScope: 4,
  schoolsOffering: 2,
  enrolled: 450,
  applicants: 210,
  participants: 208,
  teachersServing: 40,
  teachersTotal: 90,
  schoolCoverageRate: 0.5,
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
    { metric: 'SCHOOL_COVERAGE_RATE', value: 0.5, monthOnMonth: -0.5, yearOnYear: 0.25 },
    { metric: 'PARTICIPATION_RATE', value: 0.4622, monthOnMonth: -0.1562, yearOnYear: -0.1378 },
    { metric: 'DEMAND_MET_RATE', value: 0.99, monthOnMonth: 0.0313, yearOnYear: 0.0905 },
    { metric: 'TEACHER_PARTICIPATION_RATE', value: 0.44, monthOnMonth: -0.1856, yearOnYear: null },
    { metric: 'PARENT_SATISFACTION_SCORE', value: 50, monthOnMonth: 50, yearOnYear: null },
    { metric: 'OPEN_FLAGS', value: 42, monthOnMonth: 5, yearOnYear: -2 },
    { metric: 'PARTICIPANTS', value: 208, monthOnMonth: -27, yearOnYear: 154 },
    { metric: 'FIVE_PLUS_TWO_RATE', value: 0.33, monthOnMonth: 0, yearOnYear: -0.6667 },
  ],
};

describe('buildOverviewKpis', () => {
  it('shows the six headline figures with their hints in order', () => {
    const { primary } = buildOverviewKpis(OCTOBER);
    expect(primary.map((k) => [k.label, k.value, k.hint])).toEqual([
      ['学校覆盖率', '50.0%', '开展服务 2 / 4 所'],
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
    expect(byLabel['学校覆盖率']).toEqual(['−50.0个百分点', '+25.0个百分点']);
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

  it('adds participants, 5+2 compliance and the five-day share as smaller cards', () => {
    const { secondary } = buildOverviewKpis(OCTOBER);
    expect(secondary.map((k) => [k.label, k.value])).toEqual([
      ['参与学生数', '208'],
      ['“5+2”达标率', '33.3%'],
      ['每周5天参与占比', '76.9%'],
    ]);
    expect(secondary[1]!.hint).toContain('日均不少于 120 分钟');
  });
});
