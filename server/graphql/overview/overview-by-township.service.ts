/**
 * One Overview per township of the viewer's scope in a period. The four overview queries
 * group by township as well as month, so 3 or 30 townships cost the same four
 * statements; every township's `changes` share one lazy batch of four more. Each figure
 * is the one `overview(period, scope: {township, …})` gives: same scope, same sums.
 */
import type { Kysely } from 'kysely';
import { previousPeriod, yearEarlierPeriod, type Period } from '../../db/calendar.ts';
import type { Database } from '../../db/database.ts';
import { periodsRequest } from '../scope/period-arg.ts';
import type { ScopeRequest } from '../scope/scope.ts';
import { changesOf } from './overview-changes.ts';
import {
  comparisonRequest,
  overviewTotals,
  periodCore,
  type OverviewTotals,
} from './overview.service.ts';
import type { OverviewParent } from './overview.types.ts';

export interface TownshipOverviewParent {
  township: string;
  overview: OverviewParent;
}

/** Townships with schools in scope in some month of `period`, by name, each with its overview. */
export async function overviewsByTownship(
  db: Kysely<Database>,
  request: ScopeRequest,
  period: Period,
): Promise<TownshipOverviewParent[]> {
  const totals = await overviewTotals(db, periodsRequest(request, [period]), 'township');
  const previous = previousPeriod(period);
  const lastYear = yearEarlierPeriod(period);
  let comparisons: Promise<OverviewTotals> | null = null;
  // Only when some township's `changes` is asked for, and then once for all of them.
  const loadComparisons = () =>
    (comparisons ??= overviewTotals(
      db,
      periodsRequest(comparisonRequest(request), [lastYear, previous]),
      'township',
    ));
  // reportTotals rows come ordered by month and township name; a null township is a
  // month without any school in scope.
  const inPeriod = new Set(period.months);
  const townships = [
    ...new Set(
      totals.reports
        .filter((r) => inPeriod.has(r.month) && r.township !== null)
        .map((r) => r.township as string),
    ),
  ].sort();
  return townships.map((township) => {
    const core = periodCore(totals, period, township);
    return {
      township,
      overview: {
        ...core,
        loadChanges: async () => {
          const other = await loadComparisons();
          // A township without schools in scope in a comparison period compares with an
          // empty scope (counts 0, rates null), as the filtered overview does.
          return changesOf(
            core,
            periodCore(other, previous, township),
            periodCore(other, lastYear, township),
          );
        },
      },
    };
  });
}
