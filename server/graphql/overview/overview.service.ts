/**
 * Overview figures from the repository's summed counts. Rates are computed here, once,
 * from counts (never averages of rates); a zero denominator gives null.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { PRIORITY_GROUPS, type PriorityGroupColumn } from '../../db/vocabulary/priority-groups.ts';
import { RESPONDENT_KEYS } from '../../db/vocabulary/respondents.ts';
import { monthRules } from '../../policy/month-rules.ts';
import type { PriorityGroupStat, SatisfactionStat } from '../__generated__/resolvers-types.ts';
import { difference, int, num, rate } from '../metrics/rates.ts';
import { addMonths } from '../scope/months.ts';
import type { ScopeRequest } from '../scope/scope.ts';
import { changesOf } from './overview-changes.ts';
import type { OverviewCore, OverviewParent } from './overview.types.ts';
import {
  overviewTotalRows,
  type GroupedRow,
  type OverviewGrouping,
  type ParticipationTotalsRow,
  type OverviewTotalsRows,
  type SatisfactionTotalsRow,
} from './overview.repository.ts';

type GroupColumns = Pick<
  ParticipationTotalsRow,
  `${PriorityGroupColumn}_${'enrolled' | 'participants'}`
>;

export function priorityGroupStats(
  row: GroupColumns | undefined,
  overallRate: number | null,
): PriorityGroupStat[] {
  return PRIORITY_GROUPS.map(({ group, column, zh }) => {
    const enrolled = row ? num(row[`${column}_enrolled`]) : null;
    const participants = row ? num(row[`${column}_participants`]) : null;
    const groupRate = rate(participants, enrolled);
    return {
      group,
      label: zh,
      enrolled,
      participants,
      rate: groupRate,
      gap: difference(groupRate, overallRate),
    };
  });
}

export function satisfactionStats(rows: readonly SatisfactionTotalsRow[]): SatisfactionStat[] {
  return RESPONDENT_KEYS.map((respondent) => {
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

/** The four aggregates' rows behind a set of overviews, and the months' calendar. */
export interface OverviewTotals extends OverviewTotalsRows {
  /** Whether the policy expects service in the month (month-rules.ts, the one home). */
  serviceMonth: (month: string) => boolean;
}

/** Summed counts for every month of the request (and township, if grouped): one statement. */
export async function overviewTotals(
  db: Kysely<Database>,
  request: ScopeRequest,
  grouping: OverviewGrouping = 'scope',
): Promise<OverviewTotals> {
  const rows = await overviewTotalRows(db, request, grouping);
  return { ...rows, serviceMonth: (month) => monthRules(request.policy, month).serviceMonth };
}

/** A rate that only means something in a month with service (不适用 otherwise). */
function inServiceMonth(serviceMonth: boolean, value: number | null): number | null {
  return serviceMonth ? value : null;
}

/**
 * The overview of one month and group (`township` null for the whole scope). A group
 * without rows is an empty scope: counts 0, rates null, exactly as a filtered query gives.
 * Coverage counts only what the reports say: a school without a report is 未报送, neither
 * offering nor not offering; in a month without service coverage is null, never 0.
 */
export function overviewCore(
  totals: OverviewTotals,
  month: string,
  township: string | null,
): OverviewCore {
  const mine = (x: GroupedRow) => x.month === month && x.township === township;
  const r = totals.reports.find(mine);
  const p = totals.participation.find(mine);
  const f = totals.flags.find(mine);
  const inScope = int(r?.schools_in_scope);
  const reporting = int(r?.schools_reporting);
  const participants = int(p?.participants);
  const participationRate = rate(participants, int(p?.enrolled));
  const serviceMonth = totals.serviceMonth(month);
  const offering = int(r?.schools_offering);
  // Policy minutes belong to the month: any group's row of the month carries them.
  const minutes = (r ?? totals.reports.find((x) => x.month === month))?.min_daily_minutes;
  return {
    month,
    schoolsInScope: inScope,
    schoolsReporting: reporting,
    schoolsOffering: offering,
    schoolsNotOffering: reporting - offering,
    schoolsNotReported: serviceMonth ? Math.max(0, inScope - reporting) : null,
    serviceMonth,
    schoolCoverageRate: inServiceMonth(serviceMonth, rate(offering, reporting)),
    enrolled: int(p?.enrolled),
    applicants: int(p?.applicants),
    participants,
    participationRate,
    demandMetRate: rate(participants, int(p?.applicants)),
    teachersServing: int(r?.teachers_serving),
    teachersTotal: int(r?.teachers_total),
    teacherParticipationRate: rate(int(r?.teachers_serving), int(r?.teachers_total)),
    priorityGroups: priorityGroupStats(p, participationRate),
    satisfaction: satisfactionStats(totals.satisfaction.filter(mine)),
    openFlags: int(f?.open_flags),
    overdueFlags: int(f?.overdue_flags),
    fiveDayShare: rate(num(p?.five_day_participants), num(p?.five_day_base)),
    fivePlusTwoRate: inServiceMonth(serviceMonth, rate(int(r?.schools_five_plus_two), reporting)),
    policyMinDailyMinutes: int(minutes),
    externalStaff: int(r?.external_staff),
    providers: int(r?.providers),
    providersUnapproved: int(r?.providers_unapproved),
    reportTimelinessRate: inServiceMonth(serviceMonth, rate(int(r?.schools_on_time), inScope)),
  };
}

/** Overview figures for every month of the request, in four queries. */
export async function computeOverviews(
  db: Kysely<Database>,
  request: ScopeRequest,
): Promise<Map<string, OverviewCore>> {
  const totals = await overviewTotals(db, request);
  return new Map(request.months.map((month) => [month, overviewCore(totals, month, null)]));
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
