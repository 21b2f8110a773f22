/**
 * The facts behind one monthly report, each one query (the overview four, its month-on-
 * month comparison four more), run on first use and memoized, so `findings`, `overview`,
 * `topSchools` and `bottomSchools` of one report share them. A report costs the same
 * number of statements for 4 schools or 10,000.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { monthRules } from '../../policy/month-rules.ts';
import type { SatisfactionStat, SchoolMonth } from '../__generated__/resolvers-types.ts';
import type { FlagView } from '../flags/flag-row.ts';
import { ANY_FLAG, flagCounts } from '../flags/flags.repository.ts';
import {
  complaintCountsBySchool,
  type ComplaintCount,
} from '../complaints/complaints.repository.ts';
import { periodOf, shanghaiIso, type Period } from '../../db/calendar.ts';
import { int } from '../metrics/rates.ts';
import { satisfactionTotals } from '../overview/overview.repository.ts';
import {
  periodOverview,
  satisfactionStats,
  sumSatisfaction,
} from '../overview/overview.service.ts';
import { periodsRequest, summedMonths } from '../scope/period-arg.ts';
import { schoolPeriods } from '../schools/school-periods.repository.ts';
import { semesterStart } from '../scope/months.ts';
import type { OverviewParent } from '../overview/overview.types.ts';
import { schoolMonths } from '../schools/schools.repository.ts';
import { protectRows } from '../schools/protected-schools.ts';
import { toProtectedSchoolMonth, toSchoolMonth } from '../schools/schools.service.ts';
import type { ScopeRequest } from '../scope/scope.ts';
import {
  latestAnsweredMonth,
  newestBatchMs,
  openFlagAges,
  overdueBySchool,
  type OpenFlagAgeRow,
  type OverdueSchoolRow,
} from './report.repository.ts';

/** Parents' and students' satisfaction over the newest window with answers. */
export interface ReportSatisfactionFacts {
  /** The month whose semester-to-date window the figures cover; null: no answers at all. */
  month: string | null;
  /** The window's first month. */
  from: string | null;
  /** The window is the report month's own. */
  current: boolean;
  /** For a semester or school year: its label (its months' answers are the figures). */
  periodLabel?: string;
  stats: SatisfactionStat[];
}

export interface ReportFacts {
  /** The Overview `overview(month, scope)` returns (its `changes` lazy as there). */
  overview(): Promise<OverviewParent>;
  /**
   * Every school in scope in the month with its exact figures, by code: what the findings
   * judge (as the flags do), never returned to a client as such.
   */
  schools(): Promise<SchoolMonth[]>;
  /**
   * The same schools as the request may see them (`schools` shows them so): small-cell
   * protected for leadership and exports. What topSchools and bottomSchools return.
   */
  shownSchools(): Promise<SchoolMonth[]>;
  /** Flags of the month the viewer sees in `flags`, counted by code (any status). */
  newFlagCounts(): Promise<{ code: string; count: number }[]>;
  overdue(): Promise<OverdueSchoolRow[]>;
  /** Complaints received in the period of the schools in scope, per school and category. */
  complaintCounts(): Promise<ComplaintCount[]>;
  /** Open flags older than the policy's long_open_days for the month, and the oldest. */
  flagAges(): Promise<OpenFlagAgeRow & { longOpenDays: number }>;
  satisfaction(): Promise<ReportSatisfactionFacts>;
  /** ISO 8601 (+08:00) of the newest batch behind the figures, or null. */
  dataAsOf(): Promise<string | null>;
}

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | null = null;
  return () => (result ??= load());
}

/**
 * The facts of a report of `period` (default: request.months[0] alone); `request.months`
 * are the period's months. A semester's or year's figures sum its service months.
 */
export function reportFacts(
  db: Kysely<Database>,
  request: ScopeRequest,
  view: FlagView,
  period: Period = periodOf(request.months[0] as string, 'MONTH'),
): ReportFacts {
  const month = period.months[period.months.length - 1] as string;
  const first = period.months[0] as string;
  const monthly = period.kind === 'MONTH';
  const lastMonth = monthly ? request : { ...request, months: [month] };
  const summed = summedMonths(request.policy, period);
  const rows = once(() =>
    monthly
      ? schoolMonths(db, request, null)
      : schoolPeriods(db, periodsRequest(request, [period]), summed, null),
  );
  return {
    overview: once(() => periodOverview(db, request, period)),
    schools: once(async () => (await rows()).map(toSchoolMonth)),
    shownSchools: once(async () => {
      const [found, protect] = await Promise.all([
        rows(),
        protectRows(db, { ...request, months: summed }, monthly ? null : summed),
      ]);
      return found.map((row) =>
        protect ? toProtectedSchoolMonth(row, protect) : toSchoolMonth(row),
      );
    }),
    newFlagCounts: once(async () => {
      const filter = { ...ANY_FLAG, from: first, to: month, scope: request.filter };
      const byCode = new Map<string, number>();
      for (const row of await flagCounts(db, view, filter))
        byCode.set(row.code, (byCode.get(row.code) ?? 0) + row.count);
      return [...byCode].map(([code, count]) => ({ code, count }));
    }),
    // As of now, over the schools in scope in the period's last month (one scope row per
    // school, so no flag counts once per month).
    overdue: once(() => overdueBySchool(db, lastMonth)),
    complaintCounts: once(async () => {
      const codes = (await rows()).map((r) => r.school_code);
      return complaintCountsBySchool(db, first, month, [...new Set(codes)]);
    }),
    flagAges: once(async () => {
      const longOpenDays = monthRules(request.policy, month).version.flags.long_open_days;
      return { ...(await openFlagAges(db, lastMonth, longOpenDays)), longOpenDays };
    }),
    satisfaction: once(async () => {
      if (!monthly) {
        // A semester's or year's answers: those submitted in its months, each once.
        const rows = await satisfactionTotals(db, periodsRequest(request, [period]));
        const stats = satisfactionStats(sumSatisfaction(rows)).filter(
          (s) => s.respondent !== 'teacher',
        );
        const answered = stats.some((s) => s.responses > 0);
        return answered
          ? { month, from: first, current: true, stats, periodLabel: period.label }
          : { month: null, from: null, current: false, stats: [], periodLabel: period.label };
      }
      const latest = await latestAnsweredMonth(db, request);
      if (latest === null) return { month: null, from: null, current: false, stats: [] };
      // The report month's own window when it holds the answers; else the newest earlier
      // window that does (judged with that month's remit, as overview(month) would).
      const current = latest >= semesterStart(month);
      const at = current ? month : latest;
      const rows = await satisfactionTotals(db, {
        ...request,
        months: [at],
        window: 'SEMESTER_TO_DATE',
      });
      const stats = satisfactionStats(rows).filter((s) => s.respondent !== 'teacher');
      return { month: at, from: semesterStart(at), current, stats };
    }),
    dataAsOf: once(async () => {
      const ms = await newestBatchMs(db, request);
      return ms === null ? null : shanghaiIso(int(ms));
    }),
  };
}
