/** Month strings "YYYY-MM" (Asia/Shanghai): validation and calendar arithmetic. */
import { BadUserInputError } from '../errors.ts';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/u;

/** Longest month range one request may ask for. */
export const MAX_MONTHS = 60;

export function assertMonth(value: string, argument = 'month'): string {
  if (!MONTH.test(value))
    throw new BadUserInputError(`${argument} 应为 YYYY-MM 格式 / ${argument} must be YYYY-MM`);
  return value;
}

function index(month: string): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

function fromIndex(i: number): string {
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

export function addMonths(month: string, delta: number): string {
  return fromIndex(index(month) + delta);
}

/** Every month from `from` to `to`, inclusive. */
export function monthRange(from: string, to: string): string[] {
  assertMonth(from, 'from');
  assertMonth(to, 'to');
  const a = index(from);
  const b = index(to);
  if (b < a) throw new BadUserInputError('from 不能晚于 to / from must not be after to');
  if (b - a + 1 > MAX_MONTHS)
    throw new BadUserInputError(`最多 ${MAX_MONTHS} 个月 / at most ${MAX_MONTHS} months`);
  return Array.from({ length: b - a + 1 }, (_, i) => fromIndex(a + i));
}

export { currentMonth, semesterStart } from '../../db/calendar.ts';
