/**
 * Validation of what a user types into the supervision forms (visits, rectification
 * steps): trimmed texts with a length cap, calendar dates "YYYY-MM-DD" and numeric ids.
 * Every refusal is a BAD_USER_INPUT in Chinese and English naming the argument.
 */
import { BadUserInputError } from '../errors.ts';

/** Longest note, request, reason or detail a user may enter, in characters. */
export const MAX_TEXT = 2000;
/** Longest visit findings or evidence text, in characters. */
export const MAX_LONG_TEXT = 4000;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/u;
const ID = /^[1-9]\d{0,14}$/u;

/** `value` trimmed; refused when empty or longer than `max` characters. */
export function requiredText(value: string, argument: string, max = MAX_TEXT): string {
  const text = value.trim();
  if (text.length === 0)
    throw new BadUserInputError(`${argument} 不能为空 / ${argument} is required`);
  if ([...text].length > max)
    throw new BadUserInputError(
      `${argument} 最多 ${max} 个字符 / ${argument} must be at most ${max} characters`,
    );
  return text;
}

/** `value` trimmed, or null when absent or blank; refused when longer than `max`. */
export function optionalText(
  value: string | null | undefined,
  argument: string,
  max = MAX_TEXT,
): string | null {
  if (value === null || value === undefined || value.trim().length === 0) return null;
  return requiredText(value, argument, max);
}

/** A real calendar date "YYYY-MM-DD" (no 2025-02-30). */
export function assertDate(value: string, argument: string): string {
  const match = DATE.exec(value);
  const [y, m, d] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (
    !match ||
    date.getUTCFullYear() !== y ||
    date.getUTCMonth() !== m - 1 ||
    date.getUTCDate() !== d
  )
    throw new BadUserInputError(
      `${argument} 应为有效日期 YYYY-MM-DD / ${argument} must be a real date YYYY-MM-DD`,
    );
  return value;
}

/** The date one year after `date` ("YYYY-MM-DD"); 29 February gives 1 March. */
export function oneYearAfter(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + 1);
  return d.toISOString().slice(0, 10);
}

/** A positive integer id as a number, or null when the text cannot be an id. */
export function parseId(value: string): number | null {
  return ID.test(value) ? Number(value) : null;
}
