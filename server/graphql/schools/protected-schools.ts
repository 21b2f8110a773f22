/**
 * School lists and pages for a protected request (small-cell protection, issue 15): each
 * school's own priority groups are withheld where its count is blocked, and a sort by a
 * priority gap runs on the figures shown, so a page's order says nothing about a
 * withheld count.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type {
  PriorityGroup,
  PriorityGroupStat,
  SchoolMonth,
} from '../__generated__/resolvers-types.ts';
import { smallCellMinOver } from '../scope/disclosure.ts';
import {
  exactGradeKeys,
  gradeCells,
  protectGroups,
  protectionFor,
  protectSchool,
} from '../scope/protected-figures.ts';
import type { ScopeRequest } from '../scope/scope.ts';
import type { SchoolMonthRow } from './schools.repository.ts';
import type { ProtectGroups } from './schools.service.ts';

/**
 * The protection of a request's rows, null when the request sees exact figures. A row sums
 * `summed` when given (a semester's or year's row), else its own month.
 */
export async function protectRows(
  db: Kysely<Database>,
  request: ScopeRequest,
  summed: readonly string[] | null = null,
): Promise<ProtectGroups | null> {
  const protection = await protectionFor(db, request);
  if (!protection) return null;
  return (groups, row: SchoolMonthRow) =>
    protectSchool(protection, groups, row.school_code, summed ?? [row.month]);
}

/** Whether the schools list sorts by a priority gap (then a protected list sorts itself). */
export function sortsByGap(sort: string): boolean {
  return sort === 'PRIORITY_GAP' || sort === 'PRIORITY_SHORTFALL';
}

/**
 * The protected list's order for PRIORITY_GAP (the group's gap, else the most negative)
 * and PRIORITY_SHORTFALL, as SQL orders the exact list: nulls last in both directions,
 * then by school code and month.
 */
export function sortByShownGap(
  items: readonly SchoolMonth[],
  sort: string,
  descending: boolean,
  group: PriorityGroup | null,
): SchoolMonth[] {
  const key = (m: SchoolMonth): number | null => {
    if (sort === 'PRIORITY_SHORTFALL') return m.priorityShortfall ?? null;
    if (group) return m.priorityGroups.find((g) => g.group === group)?.gap ?? null;
    return m.priorityGap ?? null;
  };
  return [...items].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka !== kb) {
      if (ka === null) return 1;
      if (kb === null) return -1;
      return descending ? kb - ka : ka - kb;
    }
    if (a.school.code !== b.school.code) return a.school.code < b.school.code ? -1 : 1;
    return a.month < b.month ? -1 : a.month > b.month ? 1 : 0;
  });
}

/**
 * The protection of one school's grades over the request's months, null when exact: a
 * grade's group is shown only where exactGradeKeys allows it in every month.
 */
export async function protectGrades(
  db: Kysely<Database>,
  request: ScopeRequest,
  school: string,
): Promise<((groups: PriorityGroupStat[], grade: number) => PriorityGroupStat[]) | null> {
  const protection = await protectionFor(db, request);
  if (!protection) return null;
  const exact = exactGradeKeys(
    protection,
    school,
    request.months,
    await gradeCells(db, school, request.months),
  );
  const n = smallCellMinOver(request.policy, request.months);
  return (groups, grade) => protectGroups(groups, exact.get(grade) ?? new Set(), n);
}
