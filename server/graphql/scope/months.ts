/** Month strings "YYYY-MM" (Asia/Shanghai): validation and calendar arithmetic. */
import { monthSequence, monthsBetween } from '../../db/calendar.ts';
import { BadUserInputError } from '../errors.ts';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/u;

/** Longest month range one request may ask for. */
export const MAX_MONTHS = 60;

export function assertMonth(value: string, argument = 'month'): string {
  if (!MONTH.test(value))
    throw new BadUserInputError(`${argument} 应为 YYYY-MM 格式 / ${argument} must be YYYY-MM`);
  return value;
}

/** Every month from `from` to `to`, inclusive. */
export function monthRange(from: string, to: string): string[] {
  assertMonth(from, 'from');
  assertMonth(to, 'to');
  const span = monthsBetween(from, to);
  if (span < 0) throw new BadUserInputError('from 不能晚于 to / from must not be after to');
  if (span + 1 > MAX_MONTHS)
    throw new BadUserInputError(`最多 ${MAX_MONTHS} 个月 / at most ${MAX_MONTHS} months`);
  return monthSequence(from, to);
}

export { addMonths, currentMonth, semesterStart } from '../../db/calendar.ts';
