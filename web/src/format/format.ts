/**
 * zh-CN display of the API's figures. Rates arrive as fractions (0..1) and differences of
 * rates in the same units; null means "no denominator" and shows as a dash. Nothing here
 * computes a rate: it only formats what the server computed.
 */

import { TIME_ZONE } from '../../../server/db/calendar.ts';

export const DASH = '—';
/** A figure that has no meaning in the month (no service expected: 寒暑假). */
export const NOT_APPLICABLE = '不适用';
/** A change against a month that does not compare (no service, or no reports yet). */
export const NOT_COMPARABLE = '不可比';

const percentFormat = new Intl.NumberFormat('zh-CN', {
  style: 'percent',
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});
const integerFormat = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('zh-CN', {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});

type Maybe = number | null | undefined;

/** 0.6234 → "62.3%". */
export function percent(value: Maybe): string {
  return value === null || value === undefined ? DASH : percentFormat.format(value);
}

/** A rate as a number of percent with one decimal, for chart axes and labels: 0.6234 → 62.3. */
export function percentNumber(value: Maybe): number | null {
  return value === null || value === undefined ? null : Math.round(value * 1000) / 10;
}

/** What a change reads when it rounds to nothing at the precision shown. */
export const FLAT = '持平';

/** A difference of rates: 0.012 → "+1.2个百分点"; 0 → "持平". */
export function points(delta: Maybe): string {
  if (delta === null || delta === undefined) return DASH;
  const p = Math.round(delta * 1000) / 10;
  if (p === 0) return FLAT;
  return `${p > 0 ? '+' : '−'}${oneDecimal.format(Math.abs(p))}个百分点`;
}

/** 12345 → "12,345". */
export function integer(value: Maybe): string {
  return value === null || value === undefined ? DASH : integerFormat.format(value);
}

/** A count difference: 3 → "+3", −2 → "−2", 0 → "持平". */
export function countDelta(delta: Maybe): string {
  if (delta === null || delta === undefined) return DASH;
  if (delta === 0) return FLAT;
  return `${delta > 0 ? '+' : '−'}${integerFormat.format(Math.abs(delta))}`;
}

/** A 0..100 score with one decimal: 85.25 → "85.3". */
export function score(value: Maybe): string {
  return value === null || value === undefined ? DASH : oneDecimal.format(value);
}

/** A score difference: 1.25 → "+1.3分". */
export function scoreDelta(delta: Maybe): string {
  if (delta === null || delta === undefined) return DASH;
  const rounded = Math.round(delta * 10) / 10;
  if (rounded === 0) return FLAT;
  return `${rounded > 0 ? '+' : '−'}${oneDecimal.format(Math.abs(rounded))}分`;
}

/** "2025-09" → "2025年9月". */
export function month(value: string | null | undefined): string {
  if (!value) return DASH;
  const [y, m] = value.split('-');
  return `${y}年${Number(m)}月`;
}

/** "2025-09" → "9月" (axis labels); January shows its year: "2026-01" → "2026年1月". */
export function monthShort(value: string): string {
  const [y, m] = value.split('-');
  return Number(m) === 1 ? `${y}年1月` : `${Number(m)}月`;
}

/** "2025-09-03" → "2025年9月3日". */
export function date(value: string | null | undefined): string {
  if (!value) return DASH;
  const [y, m, d] = value.slice(0, 10).split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
}

const dateTimeFormat = new Intl.DateTimeFormat('zh-CN', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** An ISO instant in Beijing time: "2025-11-20T04:00:00Z" → "2025/11/20 12:00". */
export function dateTime(value: string | null | undefined): string {
  if (!value) return DASH;
  const instant = new Date(value);
  return Number.isNaN(instant.getTime()) ? value : dateTimeFormat.format(instant);
}

/** A change as a KPI card shows it: its text (from points, countDelta, scoreDelta) and delta. */
export interface Change {
  text: string;
  delta: number | null;
}

/**
 * The arrow and tone of a change. A change whose text reads 持平 is flat, whatever its
 * unrounded delta: the text's rounding decides, so "▼ 持平" cannot show.
 */
export function changeMark(
  change: Change,
  better: 'up' | 'down',
): { arrow: '' | '▲' | '▼'; tone: 'flat' | 'good' | 'bad' } {
  const { delta } = change;
  if (delta === null || delta === 0 || change.text === FLAT) return { arrow: '', tone: 'flat' };
  return {
    arrow: delta > 0 ? '▲' : '▼',
    tone: delta > 0 === (better === 'up') ? 'good' : 'bad',
  };
}
