/**
 * Small-cell protection of flag texts (issue 15). A PRIORITY_GAP report flag's detail
 * names the group's pupils ("残疾儿童参与率 20.0%（5 人中 1 人）…") and its observed value
 * the group's rate: for a protected request (leadership, or an export; scope/disclosure.ts)
 * both are rewritten without figures unless the school-month's counts of that group are
 * shown exactly to the same viewer anyway (the engine's blocks, protected-figures.ts).
 * What stays is what the flag itself says: the group lags its school by more than the
 * policy allows. Every path that returns a Flag (lists, a flag, the report's flag lists,
 * a visit's flags) goes through the Flag field resolvers that call this.
 */
import { PRIORITY_GROUPS } from '../../db/vocabulary/priority-groups.ts';
import type { GraphQLContext } from '../context.ts';
import { disclosureOf, smallCellMin } from '../scope/disclosure.ts';
import { loadSmallCells } from '../scope/protected-figures.ts';
import type { SmallCells } from '../scope/small-cells.ts';
import type { FlagParent } from './flags.types.ts';

const RULE_PREFIX = 'PRIORITY_GAP.';

/** The priority group a report flag's figures are about, or null (no group counts). */
function groupOf(flag: Pick<FlagParent, 'rule' | 'source'>) {
  if (flag.source !== 'REPORT' || !flag.rule.startsWith(RULE_PREFIX)) return null;
  const column = flag.rule.slice(RULE_PREFIX.length);
  return PRIORITY_GROUPS.find((g) => g.column === column) ?? null;
}

/** Each month's blocks, once per request (a flag list spans many flags of few months). */
const perRequest = new WeakMap<GraphQLContext, Map<string, Promise<SmallCells>>>();

function cellsOf(ctx: GraphQLContext, month: string): Promise<SmallCells> {
  const memo = perRequest.get(ctx) ?? new Map<string, Promise<SmallCells>>();
  perRequest.set(ctx, memo);
  let cells = memo.get(month);
  if (cells === undefined) {
    cells = loadSmallCells(ctx.db, ctx.policy, [month]);
    memo.set(month, cells);
  }
  return cells;
}

/**
 * The n below which the flag's figures are withheld from this request, or null when they
 * may be shown (exact request, not a group flag, or the group's counts are exact).
 */
export async function withheldBelow(
  ctx: GraphQLContext,
  flag: Pick<FlagParent, 'rule' | 'source' | 'schoolCode' | 'month'>,
): Promise<number | null> {
  const group = groupOf(flag);
  if (group === null || disclosureOf(ctx) === 'EXACT') return null;
  const n = smallCellMin(ctx.policy, flag.month ?? '0000-01');
  // A report flag always has its month; without one nothing tells which counts it cites.
  if (flag.month === null) return n;
  const exact = (await cellsOf(ctx, flag.month)).exactKeys([
    { school: flag.schoolCode, month: flag.month },
  ]);
  const shown = exact.has(`${group.column}_enrolled`) && exact.has(`${group.column}_participants`);
  return shown ? null : n;
}

/** Flag.detail as the request may see it. */
export async function flagDetail(ctx: GraphQLContext, flag: FlagParent): Promise<string> {
  const n = await withheldBelow(ctx, flag);
  if (n === null) return flag.detail;
  const group = groupOf(flag)?.zh ?? '';
  const rule = flag.threshold ? `（规定：${flag.threshold}）` : '';
  return `${group}参与率低于全校参与率，超过规定的差距${rule}。小群体保护：该群体人数少于${n}人（或为防止推算一并隐藏），人数和参与率不予显示`;
}

/** Flag.observed as the request may see it ("<10人" when withheld). */
export async function flagObserved(ctx: GraphQLContext, flag: FlagParent): Promise<string | null> {
  const n = await withheldBelow(ctx, flag);
  return n === null ? flag.observed : `<${n}人`;
}
