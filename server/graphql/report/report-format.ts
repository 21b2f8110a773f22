/**
 * Numbers as the report's sentences write them (zh-CN and English): percentages and
 * changes with one decimal, rounded half away from zero, never "-0.0". Percentages of
 * counts are rounded in integer arithmetic, as the flags' texts are (etl/flags/sql-format.ts),
 * so "3/8" is 37.5% in both.
 */
import type { Period } from '../../db/calendar.ts';

/** x rounded to one decimal, half away from zero. */
export function round1(x: number): number {
  const r = (Math.sign(x) * Math.round(Math.abs(x) * 10)) / 10;
  return r === 0 ? 0 : r;
}

/** One decimal: 46.2222 → "46.2", 50 → "50.0". */
export function oneDecimal(x: number): string {
  return round1(x).toFixed(1);
}

/** a / b as a percentage with one decimal: (208, 450) → "46.2%"; b must be > 0. */
export function percentOfCounts(a: number, b: number): string {
  const tenths = Math.floor((2000 * a + b) / (2 * b));
  return `${Math.floor(tenths / 10)}.${tenths % 10}%`;
}

/** A policy rate as the flags write it: 0.95 → "95%", 0.925 → "92.5%". */
export function thresholdPercent(rate: number): string {
  return `${Number((rate * 100).toFixed(2))}%`;
}

/**
 * A count with the locale's grouping: 12345 → "12,345". Whole numbers are grouped by hand,
 * exactly as toLocaleString groups them but several times faster: the evaluation writes
 * hundreds of thousands of evidence counts for a district's school year.
 */
export function count(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const digits = String(n);
  return digits.length < 4 ? digits : digits.replace(/\B(?=(\d{3})+(?!\d))/gu, ',');
}

/** "2025-11-05" → "2025年11月5日". */
export function dateZh(date: string): string {
  return `${Number(date.slice(0, 4))}年${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
}

/** "1 school" / "3 schools" (and the like for other nouns). */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${count(n)} ${n === 1 ? noun : nouns}`;
}

/** At most `max` names, then how many more: "甲、乙等5所" / "A, B and 3 more". */
export function namesZh(names: readonly string[], max: number): string {
  const shown = names.slice(0, max).join('、');
  return names.length > max ? `${shown}等${count(names.length)}所` : shown;
}

export function namesEn(names: readonly string[], max: number): string {
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown} and ${count(names.length - max)} more` : shown;
}

export interface Trend {
  zh: string;
  en: string;
  /** The change rounds to a fall. */
  fell: boolean;
}

/** How sentences name a report's period and the one before it (环比). */
export interface PeriodWords {
  /** "本月" / "this month"; "2024-2025学年第一学期" / "in semester 2024-2025-1". */
  current: { zh: string; en: string };
  /** "上月" / "the previous month", "上学期", "上学年". */
  previous: { zh: string; en: string };
  /** Several months summed: school counts are school-months (校次). */
  summed: boolean;
}

export const MONTH_WORDS: PeriodWords = {
  current: { zh: '本月', en: 'this month' },
  previous: { zh: '上月', en: 'the previous month' },
  summed: false,
};

/** The words for a report of `period`. */
export function periodWords(period: Period): PeriodWords {
  switch (period.kind) {
    case 'MONTH':
      return MONTH_WORDS;
    case 'SEMESTER':
      return {
        current: { zh: period.label, en: `in semester ${period.key}` },
        previous: { zh: '上学期', en: 'the previous semester' },
        summed: true,
      };
    case 'YEAR':
      return {
        current: { zh: period.label, en: `in school year ${period.key}` },
        previous: { zh: '上学年', en: 'the previous school year' },
        summed: true,
      };
  }
}

/**
 * A change on the previous period already in display units (percentage points, score
 * points), as "较上月上升1.2个百分点" / "up 1.2 percentage points on the previous month".
 */
export function trend(
  change: number,
  unitZh: string,
  unitEn: string,
  previous: PeriodWords['previous'] = MONTH_WORDS.previous,
): Trend {
  const r = round1(change);
  if (r === 0)
    return { zh: `与${previous.zh}持平`, en: `unchanged from ${previous.en}`, fell: false };
  const size = oneDecimal(Math.abs(r));
  return r > 0
    ? {
        zh: `较${previous.zh}上升${size}${unitZh}`,
        en: `up ${size} ${unitEn} on ${previous.en}`,
        fell: false,
      }
    : {
        zh: `较${previous.zh}下降${size}${unitZh}`,
        en: `down ${size} ${unitEn} on ${previous.en}`,
        fell: true,
      };
}
