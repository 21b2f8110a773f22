/**
 * 报送情况 for the API: who may read it (bureau: the district; 督学: their schools in each
 * month; leadership: FORBIDDEN, it names schools' lapses), the months checked (at most 24)
 * and the grid filled: a month a school is outside the viewer's remit (or not open) is
 * NOT_DUE with nothing counted, so the grid reveals nothing of it.
 */
import type { Viewer } from '../../auth/viewer.ts';
import { shanghaiIso } from '../../db/calendar.ts';
import { ROLE_LABEL } from '../../db/roles.ts';
import { monthRules } from '../../policy/month-rules.ts';
import type { DistrictPolicy } from '../../policy/policy.ts';
import type { SubmissionMatrix, SubmissionRow } from '../__generated__/resolvers-types.ts';
import { BadUserInputError, ForbiddenError } from '../errors.ts';
import { int } from '../metrics/rates.ts';
import { monthRange } from '../scope/months.ts';
import type { DueMonth, SubmissionCellRow, SubmissionTotalsRow } from './submissions.repository.ts';

/** Longest range of months, and most schools listed (the total counts all). */
export const MAX_MATRIX_MONTHS = 24;
export const MAX_MATRIX_SCHOOLS = 500;

export function assertMayReadSubmissions(viewer: Viewer): void {
  if (viewer.role === 'LEADERSHIP')
    throw new ForbiddenError(
      `${ROLE_LABEL.LEADERSHIP}不查看各校报送明细 / leadership does not see schools' submissions`,
    );
}

const INSPECTOR_ID = /^[A-Za-z0-9_-]{1,32}$/u;

/** A 督学编号 filter, or null; BAD_USER_INPUT for one no 督学 could have. */
export function inspectorFilter(id: string | null | undefined): string | null {
  if (id == null || id === '') return null;
  if (!INSPECTOR_ID.test(id)) throw new BadUserInputError('督学编号无效 / bad inspectorId');
  return id;
}

export function matrixMonths(from: string, to: string): string[] {
  const months = monthRange(from, to);
  if (months.length > MAX_MATRIX_MONTHS)
    throw new BadUserInputError(
      `最多 ${MAX_MATRIX_MONTHS} 个月 / at most ${MAX_MATRIX_MONTHS} months`,
    );
  return months;
}

/** Due: a service month whose deadline (MonthRules.reportDueAt) is before `now`. */
export function dueMonths(
  policy: DistrictPolicy,
  months: readonly string[],
  now: Date,
): DueMonth[] {
  return months.map((month) => {
    const rules = monthRules(policy, month);
    return { month, due: rules.serviceMonth && Date.parse(rules.reportDueAt) < now.getTime() };
  });
}

export function toMatrix(
  months: readonly string[],
  cells: readonly SubmissionCellRow[],
  totals: SubmissionTotalsRow,
  inspectors: SubmissionMatrix['inspectors'],
): SubmissionMatrix {
  const rows = new Map<string, { row: SubmissionRow; byMonth: Map<string, SubmissionCellRow> }>();
  for (const cell of cells) {
    let entry = rows.get(cell.school_code);
    if (!entry) {
      entry = {
        row: {
          schoolCode: cell.school_code,
          schoolName: cell.school_name,
          township: cell.township,
          cells: [],
        },
        byMonth: new Map(),
      };
      rows.set(cell.school_code, entry);
    }
    entry.byMonth.set(cell.month, cell);
  }
  for (const { row, byMonth } of rows.values()) {
    row.cells = months.map((month) => {
      const c = byMonth.get(month);
      return c
        ? {
            month,
            state: c.state,
            firstReceivedAt: c.first_ms === null ? null : shanghaiIso(int(c.first_ms)),
            corrections: c.corrections,
            openDoubts: c.open_doubts,
          }
        : { month, state: 'NOT_DUE', firstReceivedAt: null, corrections: 0, openDoubts: 0 };
    });
  }
  return {
    months: [...months],
    rows: [...rows.values()].map((e) => e.row),
    total: totals.schools,
    onTime: totals.on_time,
    late: totals.late,
    missing: totals.missing,
    corrected: totals.corrected,
    withDoubts: totals.with_doubts,
    inspectors,
  };
}
