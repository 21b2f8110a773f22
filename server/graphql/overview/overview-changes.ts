/**
 * Month-on-month and year-on-year comparison of an overview's key figures, shared by the
 * district overview, the trend and the per-township overviews.
 */
import type { MetricChange, OverviewMetric } from '../__generated__/resolvers-types.ts';
import { difference } from '../metrics/rates.ts';
import type { OverviewCore } from './overview.types.ts';

/** Where a figure comes from: the monthly reports, or a stock or survey of its own. */
type Source = 'reports' | 'other';

const CHANGE_METRICS: readonly [OverviewMetric, Source, (o: OverviewCore) => number | null][] = [
  ['SCHOOL_COVERAGE_RATE', 'reports', (o) => o.schoolCoverageRate],
  ['PARTICIPATION_RATE', 'reports', (o) => o.participationRate],
  ['DEMAND_MET_RATE', 'reports', (o) => o.demandMetRate],
  ['TEACHER_PARTICIPATION_RATE', 'reports', (o) => o.teacherParticipationRate],
  ['FIVE_DAY_SHARE', 'reports', (o) => o.fiveDayShare],
  ['FIVE_PLUS_TWO_RATE', 'reports', (o) => o.fivePlusTwoRate],
  [
    'PARENT_SATISFACTION_SCORE',
    'other',
    (o) => o.satisfaction.find((s) => s.respondent === 'parent')?.score ?? null,
  ],
  [
    'STUDENT_SATISFACTION_SCORE',
    'other',
    (o) => o.satisfaction.find((s) => s.respondent === 'student')?.score ?? null,
  ],
  ['OPEN_FLAGS', 'other', (o) => o.openFlags],
  ['PARTICIPANTS', 'reports', (o) => o.participants],
];

/**
 * Report figures compare like with like: only months with service in which some school
 * reported (a July, or a month before any data, has no participants to compare with).
 */
function reportsComparable(o: OverviewCore): boolean {
  return o.serviceMonth && o.schoolsReporting > 0;
}

/** Each key figure of `current` against the same scope's previous and year-earlier month. */
export function changesOf(
  current: OverviewCore,
  previous: OverviewCore | undefined,
  lastYear: OverviewCore | undefined,
): MetricChange[] {
  return CHANGE_METRICS.map(([metric, source, pick]) => {
    const comparable = (other: OverviewCore | undefined) =>
      other !== undefined &&
      (source === 'other' || (reportsComparable(current) && reportsComparable(other)));
    const value = pick(current);
    const monthOnMonthComparable = comparable(previous);
    const yearOnYearComparable = comparable(lastYear);
    const previousMonth = previous && monthOnMonthComparable ? pick(previous) : null;
    const sameMonthLastYear = lastYear && yearOnYearComparable ? pick(lastYear) : null;
    return {
      metric,
      value,
      previousMonth,
      sameMonthLastYear,
      monthOnMonth: difference(value, previousMonth),
      yearOnYear: difference(value, sameMonthLastYear),
      monthOnMonthComparable,
      yearOnYearComparable,
    };
  });
}
