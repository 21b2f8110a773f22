/**
 * The district's clock and school calendar, written once for etl, server and web: months
 * are "YYYY-MM" and dates "YYYY-MM-DD" in China Standard Time; semesters start in
 * September (autumn, September–January) and February (spring, February–August). Which
 * months have no service is policy data (no_service_months, server/policy/month-rules.ts).
 *
 * Pure (no Node APIs): the web app imports it too (eslint.config.js, WEB_KERNEL), and the
 * facts-once test fails on a copy of these facts anywhere else.
 */

/** The IANA zone every date and month of the product is in. */
export const TIME_ZONE = 'Asia/Shanghai';

/** China Standard Time is UTC+8 all year (no daylight saving since 1991). */
export const UTC_OFFSET = '+08:00';
const OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** 1763611200000 → "2025-11-20T12:00:00+08:00" (ISO 8601 to the second, as the API writes instants). */
export function shanghaiIso(epochMs: number): string {
  return `${new Date(epochMs + OFFSET_MS).toISOString().slice(0, 19)}${UTC_OFFSET}`;
}

/** The calendar date "YYYY-MM-DD" of an instant in Asia/Shanghai. */
export function shanghaiDate(epochMs: number): string {
  return shanghaiIso(epochMs).slice(0, 10);
}

/** Today's date "YYYY-MM-DD" in Asia/Shanghai. */
export function currentDate(now: Date = new Date()): string {
  return shanghaiDate(now.getTime());
}

/** This month "YYYY-MM" in Asia/Shanghai. */
export function currentMonth(now: Date = new Date()): string {
  return currentDate(now).slice(0, 7);
}

/** The instant of a local date and time: ("2025-12-05", "23:59:59") → 2025-12-05T15:59:59Z. */
export function shanghaiInstant(date: string, time = '00:00:00'): Date {
  return new Date(`${date}T${time}${UTC_OFFSET}`);
}

/** Epoch milliseconds of the next midnight in Asia/Shanghai after `now`. */
export function nextShanghaiMidnight(now: Date): number {
  return (Math.floor((now.getTime() + OFFSET_MS) / DAY_MS) + 1) * DAY_MS - OFFSET_MS;
}

/** SQL: a TIMESTAMPTZ expression as local (naive) time in Asia/Shanghai. */
export function shanghaiLocalSql(instant: string): string {
  return `timezone('${TIME_ZONE}', ${instant})`;
}

/** SQL: the calendar date (DATE) in Asia/Shanghai of a TIMESTAMPTZ expression. */
export function shanghaiDateSql(instant: string): string {
  return `CAST(${shanghaiLocalSql(instant)} AS DATE)`;
}

/** "YYYY-MM" as a number of months, for arithmetic. */
function monthIndex(month: string): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

function monthAt(index: number): string {
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** "2025-12" + 1 → "2026-01"; "2025-03" − 4 → "2024-11". */
export function addMonths(month: string, delta: number): string {
  return monthAt(monthIndex(month) + delta);
}

/** How many months `to` is after `from` ("2025-09" → "2026-01": 4; negative when before). */
export function monthsBetween(from: string, to: string): number {
  return monthIndex(to) - monthIndex(from);
}

/** Every month from `from` to `to` inclusive, oldest first; empty when `to` is before `from`. */
export function monthSequence(from: string, to: string): string[] {
  const start = monthIndex(from);
  return Array.from({ length: Math.max(0, monthIndex(to) - start + 1) }, (_, i) =>
    monthAt(start + i),
  );
}

/** The month the autumn semester (and the school year) starts in. */
export const AUTUMN_START_MONTH = 9;
/** The month the spring semester starts in. */
export const SPRING_START_MONTH = 2;

const two = (n: number) => String(n).padStart(2, '0');
const AUTUMN = two(AUTUMN_START_MONTH);
const SPRING = two(SPRING_START_MONTH);

/** The school year a month belongs to, named by the year its autumn semester starts. */
export function schoolYearOf(month: string): number {
  const year = Number(month.slice(0, 4));
  return Number(month.slice(5, 7)) >= AUTUMN_START_MONTH ? year : year - 1;
}

/** Whether a month belongs to an autumn semester (September–January). */
export function isAutumnSemester(month: string): boolean {
  const m = Number(month.slice(5, 7));
  return m >= AUTUMN_START_MONTH || m < SPRING_START_MONTH;
}

/** First month of the semester holding `month`: "2026-01" → "2025-09", "2026-03" → "2026-02". */
export function semesterStart(month: string): string {
  const year = schoolYearOf(month);
  return isAutumnSemester(month) ? `${year}-${AUTUMN}` : `${year + 1}-${SPRING}`;
}

/** SQL: first month ('YYYY-09' or 'YYYY-02') of the semester holding a 'YYYY-MM' text. */
export function semesterStartSql(month: string): string {
  const mm = `CAST(substr(${month}, 6, 2) AS INTEGER)`;
  const yyyy = `CAST(substr(${month}, 1, 4) AS INTEGER)`;
  return `(CASE WHEN ${mm} >= ${AUTUMN_START_MONTH} THEN substr(${month}, 1, 4) || '-${AUTUMN}'
    WHEN ${mm} < ${SPRING_START_MONTH} THEN CAST(${yyyy} - 1 AS VARCHAR) || '-${AUTUMN}'
    ELSE substr(${month}, 1, 4) || '-${SPRING}' END)`;
}

/** SQL: '2025 秋季学期' / '2026 春季学期' for a semester start month text. */
export function semesterLabelSql(start: string): string {
  return `(substr(${start}, 1, 4) || CASE WHEN substr(${start}, 6, 2) = '${AUTUMN}' THEN ' 秋季学期' ELSE ' 春季学期' END)`;
}

/** SQL: first month of the semester after the one starting at `start`: '2025-09' → '2026-02'. */
export function semesterEndSql(start: string): string {
  return `(CASE WHEN substr(${start}, 6, 2) = '${AUTUMN}'
    THEN CAST(CAST(substr(${start}, 1, 4) AS INTEGER) + 1 AS VARCHAR) || '-${SPRING}'
    ELSE substr(${start}, 1, 4) || '-${AUTUMN}' END)`;
}
