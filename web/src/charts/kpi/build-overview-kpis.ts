/**
 * The 总览 key-figure cards from one `overview` answer: each value as the API gives it,
 * with its 环比 / 同比 from `overview.changes` formatted by kind (rates in percentage
 * points, scores in points, counts as signed integers). Nothing is computed here.
 */
import type { OverviewMetric } from '../../api/__generated__/schema-types.ts';
import { countDelta, integer, percent, points, score, scoreDelta } from '../../format/format.ts';
import { METRIC_LABEL } from '../../format/labels.ts';

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
  schoolsInScope: number;
  schoolsOffering: number;
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
    return {
      metric,
      label: METRIC_LABEL[metric],
      value,
      hint,
      monthOnMonth: { text: format(mom), delta: mom },
      yearOnYear: { text: format(yoy), delta: yoy },
      better,
    };
  }
  const parent = o.satisfaction.find((s) => s.respondent === 'parent');
  return {
    primary: [
      card(
        'SCHOOL_COVERAGE_RATE',
        'rate',
        percent(o.schoolCoverageRate),
        `开展服务 ${integer(o.schoolsOffering)} / ${integer(o.schoolsInScope)} 所`,
      ),
      card(
        'PARTICIPATION_RATE',
        'rate',
        percent(o.participationRate),
        `参与 ${integer(o.participants)} / 在校 ${integer(o.enrolled)} 人`,
      ),
      card(
        'DEMAND_MET_RATE',
        'rate',
        percent(o.demandMetRate),
        `参与 ${integer(o.participants)} / 申请 ${integer(o.applicants)} 人`,
      ),
      card(
        'TEACHER_PARTICIPATION_RATE',
        'rate',
        percent(o.teacherParticipationRate),
        `参与 ${integer(o.teachersServing)} / 教师 ${integer(o.teachersTotal)} 人`,
      ),
      card(
        'PARENT_SATISFACTION_SCORE',
        'score',
        score(parent?.score),
        `百分制 · 学期累计问卷 ${integer(parent?.responses ?? 0)} 份`,
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
      card('PARTICIPANTS', 'count', integer(o.participants), '本月参加课后服务的学生（人）'),
      card(
        'FIVE_PLUS_TWO_RATE',
        'rate',
        percent(o.fivePlusTwoRate),
        `已报送学校中每个上学日开展、日均不少于 ${integer(o.policyMinDailyMinutes)} 分钟的占比`,
      ),
      card('FIVE_DAY_SHARE', 'rate', percent(o.fiveDayShare), '参与学生中每周5天均参加的占比'),
    ],
  };
}
