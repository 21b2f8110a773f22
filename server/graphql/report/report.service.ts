/**
 * The monthly report between its resolvers and the facts: the scope request (built as
 * `overview` builds it), findings assembled from the facts and the month's policy, the
 * participation ranking, and the flag lists' filters.
 */
import { isOneSchoolViewer } from '../scope/one-school.ts';
import type { Viewer } from '../../auth/viewer.ts';
import { isDistrictWide } from '../../auth/viewer.ts';
import { shanghaiInstant, type Period } from '../../db/calendar.ts';
import type { GraphQLContext } from '../context.ts';
import type {
  OverviewMetric,
  ReportFinding,
  ScopeInput,
  SchoolMonth,
} from '../__generated__/resolvers-types.ts';
import { flagView } from '../flags/flag-row.ts';
import { ANY_FLAG, type FlagFilter } from '../flags/flags.repository.ts';
import { addMonths } from '../scope/months.ts';
import type { ScopeFilter } from '../scope/scope.ts';
import { scopeRequest } from '../scope/scope-input.ts';
import type { ScopeLabel } from './finding-text.ts';
import { periodWords } from './report-format.ts';
import { reportFacts } from './report-facts.ts';
import { buildFindings } from './report-findings.ts';
import { reportRules } from './report-rules.ts';
import type { MonthlyReportParent } from './report.types.ts';

/** The report of a month, or of a semester or school year (its service months summed). */
export function monthlyReport(
  ctx: GraphQLContext,
  period: Period,
  scope: ScopeInput | null | undefined,
): MonthlyReportParent {
  const request = scopeRequest(ctx, scope, period.months);
  const view = flagView(ctx);
  const month = period.months[period.months.length - 1] as string;
  return { month, period, request, view, facts: reportFacts(ctx.db, request, view, period) };
}

/**
 * Whose schools the sentences speak of: the district, the inspector's own schools, a
 * township (a district-wide user's filter by township alone), or the selected scope.
 */
export function scopeLabel(viewer: Viewer, filter: ScopeFilter): ScopeLabel {
  const { township, schoolCodes, stage, locality } = filter;
  const more = schoolCodes != null || stage != null || locality != null;
  const districtWide = isDistrictWide(viewer.role);
  if (township == null && !more)
    return districtWide
      ? { zh: '全区', en: 'in the district' }
      : { zh: '本辖区', en: 'in your remit' };
  if (township != null && !more && districtWide) return { zh: township, en: `in ${township}` };
  return { zh: '所选范围内', en: 'in the selected scope' };
}

export async function reportFindings(
  parent: MonthlyReportParent,
  ctx: GraphQLContext,
): Promise<ReportFinding[]> {
  const { facts, request } = parent;
  const [overview, schools, newFlags, overdue, ages, complaints] = await Promise.all([
    facts.overview(),
    facts.schools(),
    facts.newFlagCounts(),
    facts.overdue(),
    facts.flagAges(),
    // A school reporter's report is its own school's: complaints against it are withheld
    // (the school side never reads complaints, counts included).
    isOneSchoolViewer(ctx.viewer) ? Promise.resolve([]) : facts.complaintCounts(),
  ]);
  const changes = await overview.loadChanges();
  const change = (metric: OverviewMetric) =>
    changes.find((c) => c.metric === metric)?.monthOnMonth ?? null;
  return buildFindings({
    scope: scopeLabel(request.viewer, request.filter),
    words: periodWords(parent.period),
    overview,
    participationChange: change('PARTICIPATION_RATE'),
    parentScoreChange: change('PARENT_SATISFACTION_SCORE'),
    schools,
    rules: reportRules(ctx.policy, parent.month, ctx.now()),
    newFlags,
    overdue: overdue.map((o) => ({ schoolCode: o.school_code, flags: o.overdue_flags })),
    flagAges: {
      longOpen: ages.long_open,
      longOpenDays: ages.longOpenDays,
      oldestSince: ages.oldest_since,
    },
    complaints,
  });
}

/**
 * Reporting schools with a participation rate, highest (DESC) or lowest (ASC) first, ties
 * by code: the order of `schools(sort: PARTICIPATION_RATE)` over the same rows. The top
 * list takes at most the better half (rounded up) and the bottom list the rest, so with
 * fewer than 2 × `first` ranked schools no school is both a top and a bottom school.
 */
export async function rankedSchools(
  parent: MonthlyReportParent,
  direction: 'ASC' | 'DESC',
  first: number,
): Promise<SchoolMonth[]> {
  // As the request may see them: a leader's ranking carries protected priority groups.
  const ranked = (await parent.facts.shownSchools())
    .filter((s) => s.reported && s.participationRate !== null)
    .sort(
      (a, b) =>
        (b.participationRate as number) - (a.participationRate as number) ||
        a.school.code.localeCompare(b.school.code),
    );
  const topCount = Math.ceil(ranked.length / 2);
  if (direction === 'DESC') return ranked.slice(0, Math.min(first, topCount));
  // Lowest first, ties still by code.
  const bottom = ranked.slice(topCount);
  return bottom
    .sort(
      (a, b) =>
        (a.participationRate as number) - (b.participationRate as number) ||
        a.school.code.localeCompare(b.school.code),
    )
    .slice(0, first);
}

/** Flags about the month or period (Flag.month within it) within the report's scope filter. */
export function newFlagFilter(parent: MonthlyReportParent): FlagFilter {
  const from = parent.period.months[0] as string;
  return { ...ANY_FLAG, from, to: parent.month, scope: parent.request.filter };
}

/** Flags of any month within the report's scope filter (closedFlags adds the window). */
export function closedFlagFilter(parent: MonthlyReportParent): FlagFilter {
  return { ...ANY_FLAG, scope: parent.request.filter };
}

/**
 * The calendar month (or months `month`..`last`) in Asia/Shanghai as instants: [first
 * day 00:00, the next month's).
 */
export function monthWindow(month: string, last = month): { from: string; until: string } {
  const start = (m: string) => shanghaiInstant(`${m}-01`).toISOString();
  return { from: start(month), until: start(addMonths(last, 1)) };
}
