/**
 * Month-on-month and year-on-year comparison of an overview's key figures, shared by the
 * district overview, the trend and the per-township overviews.
 */
import type { MetricChange, OverviewMetric } from '../__generated__/resolvers-types.ts';
import { difference } from '../metrics/rates.ts';
import type { OverviewCore } from './overview.types.ts';

const CHANGE_METRICS: readonly [OverviewMetric, (o: OverviewCore) => number | null][] = [
  ['SCHOOL_COVERAGE_RATE', (o) => o.schoolCoverageRate],
  ['PARTICIPATION_RATE', (o) => o.participationRate],
  ['DEMAND_MET_RATE', (o) => o.demandMetRate],
  ['TEACHER_PARTICIPATION_RATE', (o) => o.teacherParticipationRate],
  ['FIVE_DAY_SHARE', (o) => o.fiveDayShare],
  ['FIVE_PLUS_TWO_RATE', (o) => o.fivePlusTwoRate],
  [
    'PARENT_SATISFACTION_SCORE',
    (o) => o.satisfaction.find((s) => s.respondent === 'parent')?.score ?? null,
  ],
  [
    'STUDENT_SATISFACTION_SCORE',
    (o) => o.satisfaction.find((s) => s.respondent === 'student')?.score ?? null,
  ],
  ['OPEN_FLAGS', (o) => o.openFlags],
  ['PARTICIPANTS', (o) => o.participants],
];

/** Each key figure of `current` against the same scope's previous and year-earlier month. */
export function changesOf(
  current: OverviewCore,
  previous: OverviewCore | undefined,
  lastYear: OverviewCore | undefined,
): MetricChange[] {
  return CHANGE_METRICS.map(([metric, pick]) => {
    const value = pick(current);
    const previousMonth = previous ? pick(previous) : null;
    const sameMonthLastYear = lastYear ? pick(lastYear) : null;
    return {
      metric,
      value,
      previousMonth,
      sameMonthLastYear,
      monthOnMonth: difference(value, previousMonth),
      yearOnYear: difference(value, sameMonthLastYear),
    };
  });
}
