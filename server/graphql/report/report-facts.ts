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
import { shanghaiIso } from '../../db/calendar.ts';
import { int } from '../metrics/rates.ts';
import { satisfactionTotals } from '../overview/overview.repository.ts';
import { overviewsWithChanges, satisfactionStats } from '../overview/overview.service.ts';
import { semesterStart } from '../scope/months.ts';
import type { OverviewParent } from '../overview/overview.types.ts';
import { schoolMonths } from '../schools/schools.repository.ts';
import { toSchoolMonth } from '../schools/schools.service.ts';
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
  stats: SatisfactionStat[];
}

export interface ReportFacts {
  /** The Overview `overview(month, scope)` returns (its `changes` lazy as there). */
  overview(): Promise<OverviewParent>;
  /** Every school in scope in the month with the figures `schools` shows, by code. */
  schools(): Promise<SchoolMonth[]>;
  /** Flags of the month the viewer sees in `flags`, counted by code (any status). */
  newFlagCounts(): Promise<{ code: string; count: number }[]>;
  overdue(): Promise<OverdueSchoolRow[]>;
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

export function reportFacts(
  db: Kysely<Database>,
  request: ScopeRequest,
  view: FlagView,
): ReportFacts {
  const month = request.months[0] as string;
  return {
    overview: once(async () => (await overviewsWithChanges(db, request))[0] as OverviewParent),
    schools: once(async () => (await schoolMonths(db, request, null)).map(toSchoolMonth)),
    newFlagCounts: once(async () => {
      const filter = { ...ANY_FLAG, from: month, to: month, scope: request.filter };
      const byCode = new Map<string, number>();
      for (const row of await flagCounts(db, view, filter))
        byCode.set(row.code, (byCode.get(row.code) ?? 0) + row.count);
      return [...byCode].map(([code, count]) => ({ code, count }));
    }),
    overdue: once(() => overdueBySchool(db, request)),
    flagAges: once(async () => {
      const longOpenDays = monthRules(request.policy, month).version.flags.long_open_days;
      return { ...(await openFlagAges(db, request, longOpenDays)), longOpenDays };
    }),
    satisfaction: once(async () => {
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
