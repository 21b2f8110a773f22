/**
 * Small-cell protection (issue 15): the one place that decides whether a request gets
 * exact priority-group counts or protected ones. Leadership reads district summaries and
 * every export leaves the system, so both get protected figures (counts of 1..n−1 pupils
 * and their complements withheld, see small-cells.ts); bureau inspectors and 督学 keep exact
 * figures for their own work views.
 */
import type { Viewer } from '../../auth/viewer.ts';
import type { DistrictPolicy } from '../../policy/policy.ts';
import { policyFor } from '../../policy/policy.ts';

export type Disclosure = 'EXACT' | 'PROTECTED';

/**
 * Request header an export sets (the web's XLSX/CSV exports and the monthly report ask
 * GraphQL with it; server-side exports pass `exportRequest` themselves). Its only value is
 * `export`; it can only make figures coarser, so a client gains nothing by omitting it
 * unless it is a bureau or 督学 user, who may see exact figures anyway.
 */
export const DISCLOSURE_HEADER = 'x-kehou-disclosure';
export const EXPORT_DISCLOSURE = 'export';

/** What the decision needs from the GraphQL context (or an export route's). */
export interface DisclosureContext {
  viewer: Pick<Viewer, 'role'>;
  /** True when the answer is written to a file (CSV/XLSX/report export). */
  exportRequest?: boolean;
}

/** Exact for bureau and 督学 work views; protected for leadership and for every export. */
export function disclosureOf(ctx: DisclosureContext): Disclosure {
  if (ctx.exportRequest === true) return 'PROTECTED';
  return ctx.viewer.role === 'LEADERSHIP' ? 'PROTECTED' : 'EXACT';
}

/** Whether an HTTP request marked itself as an export (header `x-kehou-disclosure: export`). */
export function isExportRequest(headers: Record<string, string | string[] | undefined>): boolean {
  const value = headers[DISCLOSURE_HEADER];
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values.some((v) => v.trim().toLowerCase() === EXPORT_DISCLOSURE);
}

/** n of the month: counts 1..n−1 of a priority group are small cells (policy data). */
export function smallCellMin(policy: DistrictPolicy, month: string): number {
  return policyFor(policy, month).disclosure.small_cell_min;
}

/** n for an answer summed over several months: the strictest month's. */
export function smallCellMinOver(policy: DistrictPolicy, months: readonly string[]): number {
  let n = 0;
  for (const month of months) n = Math.max(n, smallCellMin(policy, month));
  return n > 0 ? n : policyFor(policy, '0000-01').disclosure.small_cell_min;
}
