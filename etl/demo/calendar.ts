/**
 * The school calendar of the demo county. Service runs on school days only, so the
 * months without service (winter break in February, summer in July and August) have
 * no reports at all, and school days follow the real holiday pattern.
 */
import type { Rng } from './random.ts';

const NO_SERVICE_MONTHS = new Set([2, 7, 8]);

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

/** Every service month in [from, to], in order. */
export function serviceMonths(from: string, to: string): string[] {
  const a = parseMonth(from);
  const b = parseMonth(to);
  const out: string[] = [];
  let y = a.year;
  let m = a.month;
  while (y < b.year || (y === b.year && m <= b.month)) {
    if (!NO_SERVICE_MONTHS.has(m)) out.push(formatMonth(y, m));
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

/** The school year a month belongs to, named by the year it starts in September. */
export function schoolYearOf(month: string): number {
  const { year, month: m } = parseMonth(month);
  return m >= 9 ? year : year - 1;
}

/** 2024秋季 for September-January, 2025春季 for March-June. */
export function semesterOf(month: string): string {
  const { year, month: m } = parseMonth(month);
  if (m >= 9) return `${year}秋季`;
  if (m === 1) return `${year - 1}秋季`;
  return `${year}春季`;
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
