/**
 * The facts behind one monthly report, each one query (the overview four, its month-on-
 * month comparison four more), run on first use and memoized, so `findings`, `overview`,
 * `topSchools` and `bottomSchools` of one report share them. A report costs the same
 * number of statements for 4 schools or 10,000.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { SchoolMonth } from '../__generated__/resolvers-types.ts';
import type { FlagView } from '../flags/flag-row.ts';
import { ANY_FLAG, flagCounts } from '../flags/flags.repository.ts';
import { shanghaiIso } from '../../db/calendar.ts';
import { int } from '../metrics/rates.ts';
import { overviewsWithChanges } from '../overview/overview.service.ts';
import type { OverviewParent } from '../overview/overview.types.ts';
import { schoolMonths } from '../schools/schools.repository.ts';
import { toSchoolMonth } from '../schools/schools.service.ts';
import type { ScopeRequest } from '../scope/scope.ts';
import { newestBatchMs, overdueBySchool, type OverdueSchoolRow } from './report.repository.ts';

export interface ReportFacts {
  /** The Overview `overview(month, scope)` returns (its `changes` lazy as there). */
  overview(): Promise<OverviewParent>;
  /** Every school in scope in the month with the figures `schools` shows, by code. */
  schools(): Promise<SchoolMonth[]>;
  /** Flags of the month the viewer sees in `flags`, counted by code (any status). */
  newFlagCounts(): Promise<{ code: string; count: number }[]>;
  overdue(): Promise<OverdueSchoolRow[]>;
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
    dataAsOf: once(async () => {
      const ms = await newestBatchMs(db, request);
      return ms === null ? null : shanghaiIso(int(ms));
    }),
  };
}
