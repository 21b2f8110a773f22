/**
 * The `month` / `period` arguments of every query that asks for figures of a period: read,
 * validated and turned into a calendar Period (server/db/calendar.ts, the one home of
 * periods) in one place, so every resolver and export refuses the same inputs with the
 * same message. Which of a period's months are summed is policy (monthRules).
 */
import { parsePeriod, periodOf, type Period } from '../../db/calendar.ts';
import type { DistrictPolicy } from '../../policy/policy.ts';
import { monthRules } from '../../policy/month-rules.ts';
import { BadUserInputError } from '../errors.ts';
import { assertMonth, MAX_MONTHS } from './months.ts';
import type { ScopeRequest } from './scope.ts';

export type { Period } from '../../db/calendar.ts';

/** Earliest and latest school years a period may name: no data exists outside them. */
const FIRST_YEAR = 2000;
const LAST_YEAR = 2099;

/** A period's months must fit the longest range a request may ask for. */
const MAX_PERIOD_MONTHS = Math.min(12, MAX_MONTHS);

export interface PeriodArgs {
  month?: string | null;
  period?: string | null;
}

const PERIOD_HINT =
  '应为月份 "2024-09"、学期 "2024-2025-1"/"2024-2025-2" 或学年 "2024-2025" / ' +
  'must be a month "2024-09", a semester "2024-2025-1"/"2024-2025-2" or a school year "2024-2025"';

/** The Period a `period` text names, or BadUserInputError saying what is expected. */
export function parsePeriodArg(text: string, argument = 'period'): Period {
  const period = parsePeriod(text.trim());
  if (!period) throw new BadUserInputError(`${argument} ${PERIOD_HINT}`);
  const year = Number(period.months[0]?.slice(0, 4));
  if (year < FIRST_YEAR || year > LAST_YEAR || period.months.length > MAX_PERIOD_MONTHS)
    throw new BadUserInputError(
      `${argument} 超出 ${FIRST_YEAR}–${LAST_YEAR} 年 / ${argument} must lie within ${FIRST_YEAR}–${LAST_YEAR}`,
    );
  return period;
}

/**
 * Exactly one of `month` ("2024-09") and `period` (month, semester or school year): the
 * Period asked for. `fallback` (e.g. the current month) applies when a query lets both
 * be omitted; without it, omitting both is refused.
 */
export function periodArg(args: PeriodArgs, fallback?: string): Period {
  const month = args.month ?? null;
  const period = args.period ?? null;
  if (month !== null && period !== null)
    throw new BadUserInputError(
      'month 与 period 只能给一个 / give either month or period, not both',
    );
  if (period !== null) return parsePeriodArg(period);
  if (month !== null) return periodOf(assertMonth(month), 'MONTH');
  if (fallback !== undefined) return periodOf(assertMonth(fallback), 'MONTH');
  throw new BadUserInputError('须给出 month 或 period / give month or period');
}

/**
 * The months whose counts a period's figures sum: those in which the policy expects
 * service. A month asked for on its own is kept even without service, as the monthly
 * overview always was (its rates are then null, 不适用).
 */
export function summedMonths(policy: DistrictPolicy, period: Period): string[] {
  if (period.kind === 'MONTH') return [...period.months];
  return period.months.filter((m) => monthRules(policy, m).serviceMonth);
}

/**
 * The request for every month of `periods` (of one kind): a semester's or year's
 * satisfaction counts each answer in the month it was submitted (single-month windows, so
 * none twice), a month keeps the window asked for.
 */
export function periodsRequest(request: ScopeRequest, periods: readonly Period[]): ScopeRequest {
  const months = [...new Set(periods.flatMap((p) => p.months))].sort();
  const single = periods.every((p) => p.kind === 'MONTH');
  return { ...request, months, window: single ? request.window : 'MONTH' };
}
