/**
 * Overview figures from the repository's summed counts. Rates are computed here, once,
 * from counts (never averages of rates); a zero denominator gives null.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { PRIORITY_GROUPS, type PriorityGroupColumn } from '../../db/vocabulary/priority-groups.ts';
import { RESPONDENT_KEYS } from '../../db/vocabulary/respondents.ts';
import { monthRules } from '../../policy/month-rules.ts';
import type {
  MetricChange,
  PriorityGroupStat,
  SatisfactionStat,
} from '../__generated__/resolvers-types.ts';
import { difference, int, num, rate } from '../metrics/rates.ts';
import { addMonths } from '../scope/months.ts';
import { periodOf, previousPeriod, yearEarlierPeriod, type Period } from '../../db/calendar.ts';
import { periodsRequest } from '../scope/period-arg.ts';
import type { ScopeRequest } from '../scope/scope.ts';
import {
  protectionFor,
  protectSum,
  scopePairs,
  type Protection,
  type ScopePair,
} from '../scope/protected-figures.ts';
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
      suppressed: false,
      suppressedBelow: null,
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
  /** For a protected request: the months' blocks and the scope's school-months. */
  protection?: { blocks: Protection; pairs: readonly ScopePair[] };
}

/** Summed counts for every month of the request (and township, if grouped): one statement. */
export async function overviewTotals(
  db: Kysely<Database>,
  request: ScopeRequest,
  grouping: OverviewGrouping = 'scope',
): Promise<OverviewTotals> {
  const [rows, blocks, pairs] = await Promise.all([
    overviewTotalRows(db, request, grouping),
    protectionFor(db, request),
    request.disclosure === 'PROTECTED' ? scopePairs(db, request) : [],
  ]);
  return {
    ...rows,
    serviceMonth: (month) => monthRules(request.policy, month).serviceMonth,
    ...(blocks ? { protection: { blocks, pairs } } : {}),
  };
}

/**
 * The request of a comparison period: `changes` compares key figures only (OverviewMetric
 * has no priority group), so its totals skip the small-cell protection's statements; their
 * priority groups must never be answered.
 */
export function comparisonRequest(request: ScopeRequest): ScopeRequest {
  return { ...request, disclosure: 'EXACT' };
}

/** A rate that only means something when service is expected (不适用 otherwise). */
function inServiceMonth(serviceMonth: boolean, value: number | null): number | null {
  return serviceMonth ? value : null;
}

/**
 * Field-wise sums of rows' numeric columns (a school-month's counts added up over months);
 * a column null in every row stays null (unknown, never a silent 0).
 */
function sumRows<T extends object>(rows: readonly T[]): Partial<Record<keyof T, number | null>> {
  const out: Partial<Record<keyof T, number | null>> = {};
  for (const row of rows)
    for (const [key, value] of Object.entries(row) as [keyof T, unknown][]) {
      if (typeof value === 'string') continue;
      const n = num(value);
      const before = out[key] ?? null;
      out[key] = n === null ? before : (before ?? 0) + n;
    }
  return out;
}

/** Satisfaction rows summed per respondent. */
export function sumSatisfaction(rows: readonly SatisfactionTotalsRow[]): SatisfactionTotalsRow[] {
  return RESPONDENT_KEYS.map((respondent) => {
    const s = sumRows(rows.filter((r) => r.respondent === respondent));
    return {
      month: '',
      respondent,
      responses: int(s.responses),
      answers: int(s.answers),
      score_sum: s.score_sum ?? null,
      satisfied: int(s.satisfied),
    };
  });
}

/** The groups of a sum over the scope pairs `mine` picks, as the request may see them. */
function protectedGroups(
  totals: OverviewTotals,
  stats: PriorityGroupStat[],
  mine: (pair: ScopePair) => boolean,
  months: readonly string[],
): PriorityGroupStat[] {
  const { protection } = totals;
  if (!protection) return stats;
  return protectSum(protection.blocks, stats, protection.pairs.filter(mine), months);
}

/**
 * The overview of one period and group (`township` null for the whole scope): THE
 * definition of every overview figure, for a month as for a semester or a school year.
 * Counts are sums over the period's summed months (summedMonths: those with service; a
 * month asked for alone is kept even without) and rates their quotients, never averages
 * of monthly rates; school counts over several months are school-months. Satisfaction
 * counts the answers of the request's windows in all the period's months (a semester or
 * year is asked with single-month windows, so each answer counts once); open flags are
 * as of now, the same for every month. A group without rows is an empty scope: counts 0,
 * rates null, exactly as a filtered query gives. Coverage counts only what the reports
 * say: a school without a report is 未报送; without any service month coverage is null.
 */
export function periodCore(
  totals: OverviewTotals,
  period: Period,
  township: string | null,
): OverviewCore {
  const months =
    period.kind === 'MONTH' ? period.months : period.months.filter(totals.serviceMonth);
  const summed = new Set(months);
  const mine = (x: GroupedRow) => summed.has(x.month) && x.township === township;
  const r = sumRows(totals.reports.filter(mine));
  const p = sumRows(totals.participation.filter(mine));
  const inPeriod = new Set(period.months);
  const satisfaction = sumSatisfaction(
    totals.satisfaction.filter((x) => inPeriod.has(x.month) && x.township === township),
  );
  // As of now: every month's row carries the same count, so one month's row is the count.
  const f = totals.flags.find((x) => inPeriod.has(x.month) && x.township === township);
  const serviceMonth = months.some(totals.serviceMonth);
  const inScope = int(r.schools_in_scope);
  const reporting = int(r.schools_reporting);
  const participants = int(p.participants);
  const participationRate = rate(participants, int(p.enrolled));
  const offering = int(r.schools_offering);
  // Policy minutes belong to a month: those of the period's last summed month, read from
  // any group's row of it.
  const last = months[months.length - 1] ?? period.months[period.months.length - 1];
  const minutes = totals.reports.find((x) => x.month === last)?.min_daily_minutes;
  return {
    month: period.months[period.months.length - 1] as string,
    period: period.key,
    periodLabel: period.label,
    periodKind: period.kind,
    months,
    schoolsInScope: inScope,
    schoolsReporting: reporting,
    schoolsOffering: offering,
    schoolsNotOffering: reporting - offering,
    schoolsNotReported: serviceMonth ? Math.max(0, inScope - reporting) : null,
    serviceMonth,
    schoolCoverageRate: inServiceMonth(serviceMonth, rate(offering, reporting)),
    enrolled: int(p.enrolled),
    applicants: int(p.applicants),
    participants,
    participationRate,
    demandMetRate: rate(participants, int(p.applicants)),
    teachersServing: int(r.teachers_serving),
    teachersTotal: int(r.teachers_total),
    teacherParticipationRate: rate(int(r.teachers_serving), int(r.teachers_total)),
    priorityGroups: protectedGroups(
      totals,
      priorityGroupStats(p as GroupColumns, participationRate),
      (x) => summed.has(x.month) && (township === null || x.township === township),
      months,
    ),
    satisfaction: satisfactionStats(satisfaction),
    openFlags: int(f?.open_flags),
    overdueFlags: int(f?.overdue_flags),
    fiveDayShare: rate(num(p.five_day_participants), num(p.five_day_base)),
    fivePlusTwoRate: inServiceMonth(serviceMonth, rate(int(r.schools_five_plus_two), reporting)),
    policyMinDailyMinutes: int(minutes),
    externalStaff: int(r.external_staff),
    providers: int(r.providers),
    providersUnapproved: int(r.providers_unapproved),
    reportTimelinessRate: inServiceMonth(serviceMonth, rate(int(r.schools_on_time), inScope)),
  };
}

/** The overview of one month and group: the period of that month alone. */
export function overviewCore(
  totals: OverviewTotals,
  month: string,
  township: string | null,
): OverviewCore {
  return periodCore(totals, periodOf(month, 'MONTH'), township);
}

/**
 * The overview of a period with its `changes` (环比 against previousPeriod, 同比 against
 * yearEarlierPeriod), loaded lazily in one more statement for both.
 */
export async function periodOverview(
  db: Kysely<Database>,
  request: ScopeRequest,
  period: Period,
): Promise<OverviewParent> {
  const totals = await overviewTotals(db, periodsRequest(request, [period]));
  const core = periodCore(totals, period, null);
  let comparisons: Promise<MetricChange[]> | null = null;
  return {
    ...core,
    loadChanges: () =>
      (comparisons ??= (async () => {
        const previous = previousPeriod(period);
        const lastYear = yearEarlierPeriod(period);
        const other = await overviewTotals(
          db,
          periodsRequest(comparisonRequest(request), [lastYear, previous]),
        );
        return changesOf(
          core,
          periodCore(other, previous, null),
          periodCore(other, lastYear, null),
        );
      })()),
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
          : computeOverviews(db, { ...comparisonRequest(request), months: missing }).then(
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
