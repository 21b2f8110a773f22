/**
 * One Overview per township of the viewer's scope in a month. The four overview queries
 * group by township as well as month, so 3 or 30 townships cost the same four
 * statements; every township's `changes` share one lazy batch of four more. Each figure
 * is the one `overview(month, scope: {township, …})` gives: same scope, same sums.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { addMonths } from '../scope/months.ts';
import type { ScopeRequest } from '../scope/scope.ts';
import { changesOf } from './overview-changes.ts';
import { overviewCore, overviewTotals, type OverviewTotals } from './overview.service.ts';
import type { OverviewParent } from './overview.types.ts';

export interface TownshipOverviewParent {
  township: string;
  overview: OverviewParent;
}

/** Townships with schools in scope in `month`, by name, each with its overview. */
export async function overviewsByTownship(
  db: Kysely<Database>,
  request: ScopeRequest,
  month: string,
): Promise<TownshipOverviewParent[]> {
  const totals = await overviewTotals(db, { ...request, months: [month] }, 'township');
  const previous = addMonths(month, -1);
  const lastYear = addMonths(month, -12);
  let comparisons: Promise<OverviewTotals> | null = null;
  // Only when some township's `changes` is asked for, and then once for all of them.
  const loadComparisons = () =>
    (comparisons ??= overviewTotals(db, { ...request, months: [lastYear, previous] }, 'township'));
  // reportTotals rows come ordered by month and township name; a null township is a
  // month without any school in scope.
  const townships = totals.reports
    .filter((r) => r.month === month && r.township !== null)
    .map((r) => r.township as string);
  return townships.map((township) => {
    const core = overviewCore(totals, month, township);
    return {
      township,
      overview: {
        ...core,
        loadChanges: async () => {
          const other = await loadComparisons();
          // A township without schools in scope in a comparison month compares with an
          // empty scope (counts 0, rates null), as the filtered overview does.
          return changesOf(
            core,
            overviewCore(other, previous, township),
            overviewCore(other, lastYear, township),
          );
        },
      },
    };
  });
}
