/**
 * Overview figures from the repository's summed counts. Rates are computed here, once,
 * from counts (never averages of rates); a zero denominator gives null.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type {
  MetricChange,
  OverviewMetric,
  PriorityGroupStat,
  SatisfactionStat,
} from '../__generated__/resolvers-types.ts';
import { difference, int, num, rate } from '../metrics/rates.ts';
import { addMonths } from '../scope/months.ts';
import type { ScopeRequest } from '../scope/scope.ts';
import type { OverviewCore, OverviewParent } from './overview.types.ts';
import {
  openFlagTotals,
  participationTotals,
  reportTotals,
  satisfactionTotals,
  type ParticipationTotalsRow,
  type SatisfactionTotalsRow,
} from './overview.repository.ts';

export const RESPONDENTS = ['parent', 'student', 'teacher'] as const;

/** Priority groups with their count columns, in the contract's order. */
export const PRIORITY_GROUPS = [
  { group: 'LEFT_BEHIND', column: 'left_behind' },
  { group: 'MIGRANT', column: 'migrant' },
  { group: 'DISABLED', column: 'disabled' },
  { group: 'POOR', column: 'poor' },
] as const;

type GroupColumns = Pick<
  ParticipationTotalsRow,
  `${(typeof PRIORITY_GROUPS)[number]['column']}_${'enrolled' | 'participants'}`
>;

export function priorityGroupStats(
  row: GroupColumns | undefined,
  overallRate: number | null,
): PriorityGroupStat[] {
  return PRIORITY_GROUPS.map(({ group, column }) => {
    const enrolled = row ? num(row[`${column}_enrolled`]) : null;
    const participants = row ? num(row[`${column}_participants`]) : null;
    const groupRate = rate(participants, enrolled);
    return {
      group,
      enrolled,
      participants,
      rate: groupRate,
      gap: difference(groupRate, overallRate),
    };
  });
}

export function satisfactionStats(rows: readonly SatisfactionTotalsRow[]): SatisfactionStat[] {
  return RESPONDENTS.map((respondent) => {
    const row = rows.find((r) => r.respondent === respondent);
    const answers = int(row?.answers);
    return {
      respondent,
      responses: int(row?.responses),
      score: rate(num(row?.score_sum), answers),
      satisfiedShare: rate(int(row?.satisfied), answers),
    };
  });
}

/** Overview figures for every month of the request, in four queries. */
export async function computeOverviews(
  db: Kysely<Database>,
  request: ScopeRequest,
): Promise<Map<string, OverviewCore>> {
  const [reports, participation, satisfaction, flags] = await Promise.all([
    reportTotals(db, request),
    participationTotals(db, request),
    satisfactionTotals(db, request),
    openFlagTotals(db, request),
  ]);
  const out = new Map<string, OverviewCore>();
  for (const month of request.months) {
    const r = reports.find((x) => x.month === month);
    const p = participation.find((x) => x.month === month);
    const inScope = int(r?.schools_in_scope);
    const reporting = int(r?.schools_reporting);
    const participants = int(p?.participants);
    const participationRate = rate(participants, int(p?.enrolled));
    out.set(month, {
      month,
      schoolsInScope: inScope,
      schoolsReporting: reporting,
      schoolsOffering: int(r?.schools_offering),
      schoolCoverageRate: rate(int(r?.schools_offering), inScope),
      enrolled: int(p?.enrolled),
      applicants: int(p?.applicants),
      participants,
      participationRate,
      demandMetRate: rate(participants, int(p?.applicants)),
      teachersServing: int(r?.teachers_serving),
      teachersTotal: int(r?.teachers_total),
      teacherParticipationRate: rate(int(r?.teachers_serving), int(r?.teachers_total)),
      priorityGroups: priorityGroupStats(p, participationRate),
      satisfaction: satisfactionStats(satisfaction.filter((s) => s.month === month)),
      openFlags: int(flags.find((f) => f.month === month)?.open_flags),
      overdueFlags: int(flags.find((f) => f.month === month)?.overdue_flags),
      fiveDayShare: rate(num(p?.five_day_participants), num(p?.five_day_base)),
      fivePlusTwoRate: rate(int(r?.schools_five_plus_two), reporting),
      policyMinDailyMinutes: int(r?.min_daily_minutes),
      externalStaff: int(r?.external_staff),
      providers: int(r?.providers),
      providersUnapproved: int(r?.providers_unapproved),
      reportTimelinessRate: rate(int(r?.schools_on_time), inScope),
    });
  }
  return out;
}

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

function changesOf(
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

/**
 * Overviews for the request's months; their `changes` share one lazy batch that
 * computes the previous and year-earlier months of all of them together.
 */
export async function overviewsWithChanges(
  db: Kysely<Database>,
  request: ScopeRequest,
): Promise<OverviewParent[]> {
  const cores = await computeOverviews(db, request);
  let comparisons: Promise<Map<string, OverviewCore>> | null = null;
  const loadComparisons = () => {
    if (!comparisons) {
      const wanted = new Set<string>();
      for (const m of request.months) {
        wanted.add(addMonths(m, -1));
        wanted.add(addMonths(m, -12));
      }
      const missing = [...wanted].filter((m) => !cores.has(m)).sort();
      comparisons =
        missing.length === 0
          ? Promise.resolve(cores)
          : computeOverviews(db, { ...request, months: missing }).then(
              (extra) => new Map([...cores, ...extra]),
            );
    }
    return comparisons;
  };
  return request.months.map((month) => {
    const core = cores.get(month) as OverviewCore;
    return {
      ...core,
      loadChanges: async () => {
        const all = await loadComparisons();
        return changesOf(core, all.get(addMonths(month, -1)), all.get(addMonths(month, -12)));
      },
    };
  });
}
