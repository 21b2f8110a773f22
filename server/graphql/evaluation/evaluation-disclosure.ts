/**
 * Small-cell protection of the evaluation's evidence (issue 15). The 优先群体保障
 * indicator (measure priority_equity) is the worst group's gap over the period, and its
 * evidence names that group's rate next to the school's: with the school's rate public,
 * both give the group's counts away. For a protected request (leadership, or an export;
 * scope/disclosure.ts) the value and evidence are withheld unless every priority count of
 * the school over the period's service months is shown exactly anyway (the engine's
 * blocks, protected-figures.ts), and so are the medians of that indicator (a median is
 * one school's value). Points stay: they are the evaluation's result, rounded and capped.
 */
import type { Period } from '../../db/calendar.ts';
import type { GraphQLContext } from '../context.ts';
import { disclosureOf, smallCellMinOver } from '../scope/disclosure.ts';
import { loadSmallCells } from '../scope/protected-figures.ts';
import { ATOM_KEYS } from '../scope/small-cells.ts';
import { serviceMonths } from './evaluation-measures.repository.ts';

/** The measure whose value and evidence rest on priority-group counts. */
export const PROTECTED_MEASURE = 'priority_equity';

/** Per school, the n its equity figures are withheld below, or null when shown. */
export type EquityDisclosure = (schoolCode: string) => number | null;

const EXACT: EquityDisclosure = () => null;

/** The request's disclosure of each school's equity figures over `period`. */
export async function equityDisclosure(
  ctx: GraphQLContext,
  period: Period,
): Promise<EquityDisclosure> {
  if (disclosureOf(ctx) === 'EXACT') return EXACT;
  const months = serviceMonths(ctx.policy, period);
  if (months.length === 0) return EXACT;
  const cells = await loadSmallCells(ctx.db, ctx.policy, months);
  const n = smallCellMinOver(ctx.policy, months);
  return (school) => {
    const exact = cells.exactKeys(months.map((month) => ({ school, month })));
    return ATOM_KEYS.every((key) => exact.has(key)) ? null : n;
  };
}

/** Whether medians of an indicator may be shown to the request. */
export function medianShown(ctx: GraphQLContext, measure: string): boolean {
  return measure !== PROTECTED_MEASURE || disclosureOf(ctx) === 'EXACT';
}

/** The evidence a withheld equity indicator shows instead of the group's rate. */
export function withheldEvidence(n: number): string {
  return `小群体保护：本校有优先群体人数少于${n}人（或为防止推算一并隐藏），群体参与率与差距不予显示`;
}
