/**
 * The school calendar of the demo county. Service runs on school days only, so the
 * months without service (the county's policy: winter break in February, summer in July
 * and August) have no reports at all, and school days follow the real holiday pattern.
 */
import { readFileSync } from 'node:fs';
import { isAutumnSemester, monthSequence, semesterStart } from '../../server/db/calendar.ts';
import { monthRules } from '../../server/policy/month-rules.ts';
import { parsePolicy } from '../../server/policy/policy.ts';
import { DEMO_POLICY_PATH } from './demo-policy.ts';
import type { Rng } from './random.ts';

export { schoolYearOf } from '../../server/db/calendar.ts';

const DEMO_POLICY = parsePolicy(readFileSync(DEMO_POLICY_PATH, 'utf8'), DEMO_POLICY_PATH);

/**
 * Typical school days: October loses the National Day week, January ends with the
 * winter break mid-month, May loses Labour Day, June the Dragon Boat festival.
 */
const BASE_SCHOOL_DAYS: Record<number, number> = {
  1: 12,
  3: 21,
  4: 20,
  5: 19,
  6: 19,
  9: 21,
  10: 17,
  11: 21,
  12: 22,
};

/** A month's typical school days, before a county's own calendar varies them. */
export function typicalSchoolDays(month: string): number {
  return BASE_SCHOOL_DAYS[parseMonth(month).month] ?? 20;
}

export function parseMonth(month: string): { year: number; month: number } {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) throw new Error(`month must be YYYY-MM, got "${month}"`);
  const mm = Number(m[2]);
  if (mm < 1 || mm > 12) throw new Error(`month out of range: "${month}"`);
  return { year: Number(m[1]), month: mm };
}

export function formatMonth(year: number, month: number): string {
  return `${year}-${String(month).padStart(2, '0')}`;
}

/** Every service month in [from, to], in order (the demo policy's service months). */
export function serviceMonths(from: string, to: string): string[] {
  parseMonth(from);
  parseMonth(to);
  return monthSequence(from, to).filter((month) => monthRules(DEMO_POLICY, month).serviceMonth);
}

/** 2024秋季 for September-January, 2025春季 for March-June. */
export function semesterOf(month: string): string {
  parseMonth(month);
  return `${semesterStart(month).slice(0, 4)}${isAutumnSemester(month) ? '秋季' : '春季'}`;
}

/** One county calendar for all schools; ±1 day from year to year as holidays move. */
export function schoolDaysByMonth(months: readonly string[], rng: Rng): Map<string, number> {
  const out = new Map<string, number>();
  for (const month of months) {
    const base = typicalSchoolDays(month);
    out.set(month, base + rng.int(-1, 1));
  }
  return out;
}
