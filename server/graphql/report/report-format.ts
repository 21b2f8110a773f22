/**
 * Numbers as the report's sentences write them (zh-CN and English): percentages and
 * changes with one decimal, rounded half away from zero, never "-0.0". Percentages of
 * counts are rounded in integer arithmetic, as the flags' texts are (etl/flags/sql-format.ts),
 * so "3/8" is 37.5% in both.
 */

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

/** A count with the locale's grouping: 12345 → "12,345". */
export function count(n: number): string {
  return n.toLocaleString('en-US');
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

/**
 * A month-on-month change already in display units (percentage points, score points),
 * as "较上月上升1.2个百分点" / "up 1.2 percentage points on the previous month".
 */
export function trend(change: number, unitZh: string, unitEn: string): Trend {
  const r = round1(change);
  if (r === 0) return { zh: '与上月持平', en: 'unchanged from the previous month', fell: false };
  const size = oneDecimal(Math.abs(r));
  return r > 0
    ? {
        zh: `较上月上升${size}${unitZh}`,
        en: `up ${size} ${unitEn} on the previous month`,
        fell: false,
      }
    : {
        zh: `较上月下降${size}${unitZh}`,
        en: `down ${size} ${unitEn} on the previous month`,
        fell: true,
      };
}
