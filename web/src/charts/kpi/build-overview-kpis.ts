/**
 * The 总览 key-figure cards from one `overview` answer: each value as the API gives it,
 * with its 环比 / 同比 from `overview.changes` formatted by kind (rates in percentage
 * points, scores in points, counts as signed integers). Nothing is computed here.
 */
import type { OverviewMetric } from '../../api/__generated__/schema-types.ts';
import {
  countDelta,
  integer,
  NOT_APPLICABLE,
  NOT_COMPARABLE,
  percent,
  points,
  score,
  scoreDelta,
} from '../../format/format.ts';
import { METRIC_LABEL, THIS_PERIOD } from '../../format/labels.ts';

export interface KpiChange {
  text: string;
  /** The raw difference (API units); null when there is nothing to compare with. */
  delta: number | null;
}

/** The props of one KpiCard. */
export interface KpiSpec {
  metric: OverviewMetric;
  label: string;
  value: string;
  hint: string | null;
  monthOnMonth: KpiChange;
  yearOnYear: KpiChange;
  better: 'up' | 'down';
}

export interface OverviewKpiInput {
  /** A semester or school year sums its months: school counts are school-months. */
  periodKind?: 'MONTH' | 'SEMESTER' | 'YEAR';
  schoolsInScope: number;
  schoolsOffering: number;
  schoolsNotOffering: number;
  /** null when no report is expected (a month without service). */
  schoolsNotReported: number | null;
  serviceMonth: boolean;
  enrolled: number;
  applicants: number;
  participants: number;
  teachersServing: number;
  teachersTotal: number;
  schoolCoverageRate: number | null;
  participationRate: number | null;
  demandMetRate: number | null;
  teacherParticipationRate: number | null;
  fiveDayShare: number | null;
  fivePlusTwoRate: number | null;
  policyMinDailyMinutes: number;
  openFlags: number;
  overdueFlags: number;
  satisfaction: readonly { respondent: string; responses: number; score: number | null }[];
  changes: readonly {
    metric: OverviewMetric;
    value: number | null;
    monthOnMonth: number | null;
    yearOnYear: number | null;
    monthOnMonthComparable: boolean;
    yearOnYearComparable: boolean;
  }[];
}

type Kind = 'rate' | 'score' | 'count';

const DELTA: Record<Kind, (delta: number | null) => string> = {
  rate: points,
  score: scoreDelta,
  count: countDelta,
};

export interface OverviewKpis {
  /** The six headline cards. */
  primary: KpiSpec[];
  /** Smaller cards below them. */
  secondary: KpiSpec[];
}

export function buildOverviewKpis(o: OverviewKpiInput): OverviewKpis {
  const kind = o.periodKind ?? 'MONTH';
  const period = THIS_PERIOD[kind];
  // Over several months a school counts once per month it was in scope.
  const schoolUnit = kind === 'MONTH' ? '所' : '校次';
  const personUnit = kind === 'MONTH' ? '人' : '人次';
  const change = (metric: OverviewMetric) => o.changes.find((c) => c.metric === metric);
  function card(
    metric: OverviewMetric,
    kind: Kind,
    value: string,
    hint: string | null,
    better: 'up' | 'down' = 'up',
  ): KpiSpec {
    const c = change(metric);
    const format = DELTA[kind];
    const mom = c?.monthOnMonth ?? null;
    const yoy = c?.yearOnYear ?? null;
    // A change against a month without service or before any report is no change at all.
    const text = (delta: number | null, comparable: boolean | undefined) =>
      comparable === false ? NOT_COMPARABLE : format(delta);
    return {
      metric,
      label: METRIC_LABEL[metric],
      value,
      hint,
      monthOnMonth: { text: text(mom, c?.monthOnMonthComparable), delta: mom },
      yearOnYear: { text: text(yoy, c?.yearOnYearComparable), delta: yoy },
      better,
    };
  }
  /** A rate of the service itself: 不适用 in a month without service. */
  const serviceRate = (value: number | null) => (o.serviceMonth ? percent(value) : NOT_APPLICABLE);
  const coverageHint = o.serviceMonth
    ? `开展 ${integer(o.schoolsOffering)} · 未开展 ${integer(o.schoolsNotOffering)} · 未报送 ${integer(o.schoolsNotReported)} ${schoolUnit}`
    : `${period}按政策不开展课后服务（假期）`;
  const parent = o.satisfaction.find((s) => s.respondent === 'parent');
  return {
    primary: [
      card('SCHOOL_COVERAGE_RATE', 'rate', serviceRate(o.schoolCoverageRate), coverageHint),
      card(
        'PARTICIPATION_RATE',
        'rate',
        percent(o.participationRate),
        `参与 ${integer(o.participants)} / 在校 ${integer(o.enrolled)} ${personUnit}`,
      ),
      card(
        'DEMAND_MET_RATE',
        'rate',
        percent(o.demandMetRate),
        `参与 ${integer(o.participants)} / 申请 ${integer(o.applicants)} ${personUnit}`,
      ),
      card(
        'TEACHER_PARTICIPATION_RATE',
        'rate',
        percent(o.teacherParticipationRate),
        `参与 ${integer(o.teachersServing)} / 教师 ${integer(o.teachersTotal)} ${personUnit}`,
      ),
      card(
        'PARENT_SATISFACTION_SCORE',
        'score',
        score(parent?.score),
        kind === 'MONTH'
          ? `百分制 · 学期累计问卷 ${integer(parent?.responses ?? 0)} 份`
          : `百分制 · ${period}问卷 ${integer(parent?.responses ?? 0)} 份`,
      ),
      card(
        'OPEN_FLAGS',
        'count',
        integer(o.openFlags),
        `其中逾期整改 ${integer(o.overdueFlags)} 条`,
        'down',
      ),
    ],
    secondary: [
      card(
        'PARTICIPANTS',
        'count',
        integer(o.participants),
        kind === 'MONTH'
          ? '本月参加课后服务的学生（人）'
          : `${period}各月参加课后服务的学生数之和（人次）`,
      ),
      card(
        'FIVE_PLUS_TWO_RATE',
        'rate',
        serviceRate(o.fivePlusTwoRate),
        `已报送学校中每个上学日开展、日均不少于 ${integer(o.policyMinDailyMinutes)} 分钟的占比`,
      ),
      card('FIVE_DAY_SHARE', 'rate', percent(o.fiveDayShare), '参与学生中每周5天均参加的占比'),
    ],
  };
}
