/**
 * Query.flagGroups: recurring flags, grouped by school and rule over the same filters as
 * Query.flags. A page of groups costs two queries: the groups, then their latest flags.
 */
import { flagCode, ruleLabel } from '../../policy/flag-catalogue.ts';
import type { GraphQLContext } from '../context.ts';
import type { QueryFlagGroupsArgs } from '../__generated__/resolvers-types.ts';
import { decodeCursor, nextCursor, pageSize } from '../metrics/cursor.ts';
import { flagsByIds, flagView } from './flag-row.ts';
import { flagGroupPage } from './flags.repository.ts';
import { toFlagFilter } from './flags.service.ts';
import type { FlagParent } from './flags.types.ts';

/** Largest page of groups Query.flagGroups serves. */
const MAX_GROUP_PAGE = 200;

export interface FlagGroupParent {
  schoolCode: string;
  schoolName: string | null;
  township: string | null;
  code: string;
  codeLabel: string;
  rule: string;
  ruleLabel: string | null;
  count: number;
  openCount: number;
  overdueCount: number;
  months: string[];
  latest: FlagParent;
  flagIds: string[];
}

export async function flagGroups(ctx: GraphQLContext, args: QueryFlagGroupsArgs) {
  const { first, after, sort, ...filters } = args;
  const filter = toFlagFilter(filters);
  const limit = pageSize(first, 50, MAX_GROUP_PAGE);
  const offset = decodeCursor(after);
  const view = flagView(ctx);
  const page = await flagGroupPage(ctx.db, view, filter, {
    limit,
    offset,
    sort: sort ?? 'NEWEST',
  });
  const latest = await flagsByIds(
    ctx.db,
    view,
    page.groups.map((g) => Number(g.latest_id)),
  );
  const items: FlagGroupParent[] = page.groups.map((g) => {
    const flag = latest.get(String(g.latest_id));
    // The same WHERE chose both: a group's latest flag is visible by construction.
    if (!flag) throw new Error('a flag group without its latest flag');
    return {
      schoolCode: g.school_code,
      schoolName: flag.schoolName ?? null,
      township: flag.township ?? null,
      code: g.code,
      codeLabel: flagCode(g.code)?.zh ?? g.code,
      rule: g.rule,
      ruleLabel: ruleLabel(g.rule) ?? null,
      count: g.count,
      openCount: g.open_count,
      overdueCount: g.overdue_count,
      months: g.months,
      latest: flag,
      flagIds: g.flag_ids.map(String),
    };
  });
  return { total: page.total, items, endCursor: nextCursor(offset, items.length, page.total) };
}
