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

/** A calendar date moved by `delta` days: ("2025-12-31", 1) → "2026-01-01". */
export function addDays(date: string, delta: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + delta * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from one calendar date to another: ("2025-12-01", "2025-12-08") → 7. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** The Monday starting the (ISO) week of a calendar date: "2026-12-05" (a Saturday) → "2026-11-30". */
export function weekStart(date: string): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 Sunday … 6 Saturday
  return addDays(date, -((weekday + 6) % 7));
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

/**
 * Periods (统计周期): a month "2024-09", a semester "2024-2025-1" (第一学期, September–January)
 * or "2024-2025-2" (第二学期, February–July), or a school year "2024-2025" (September–August).
 * A period's figures are sums of its months' counts; which of its months expect service is
 * the policy's business (server/policy/month-rules.ts), not the calendar's.
 */
export type PeriodKind = 'MONTH' | 'SEMESTER' | 'YEAR';

export interface Period {
  kind: PeriodKind;
  /** The canonical text: "2024-09", "2024-2025-1", "2024-2025". */
  key: string;
  /** Every calendar month of the period, oldest first. */
  months: string[];
  /** 中文: "2024年9月", "2024-2025学年第一学期", "2024-2025学年". */
  label: string;
}

const PERIOD_MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/u;
const PERIOD_SEMESTER = /^(\d{4})-(\d{4})-([12])$/u;
const PERIOD_YEAR = /^(\d{4})-(\d{4})$/u;

/** The school year "2024-2025" that starts in the autumn of `startYear`. */
function yearKey(startYear: number): string {
  return `${startYear}-${startYear + 1}`;
}

function semesterPeriod(startYear: number, half: 1 | 2): Period {
  const first = half === 1 ? `${startYear}-${AUTUMN}` : `${startYear + 1}-${SPRING}`;
  const last =
    half === 1
      ? addMonths(`${startYear + 1}-${SPRING}`, -1)
      : addMonths(`${startYear + 1}-${AUTUMN}`, -2);
  return {
    kind: 'SEMESTER',
    key: `${yearKey(startYear)}-${half}`,
    months: monthSequence(first, last),
    label: `${yearKey(startYear)}学年${half === 1 ? '第一学期' : '第二学期'}`,
  };
}

function yearPeriod(startYear: number): Period {
  const first = `${startYear}-${AUTUMN}`;
  return {
    kind: 'YEAR',
    key: yearKey(startYear),
    months: monthSequence(first, addMonths(first, 11)),
    label: `${yearKey(startYear)}学年`,
  };
}

function monthPeriod(month: string): Period {
  return {
    kind: 'MONTH',
    key: month,
    months: [month],
    label: `${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月`,
  };
}

/** The period a text names, or null when it names none (a reason is the caller's to give). */
export function parsePeriod(text: string): Period | null {
  if (PERIOD_MONTH.test(text)) return monthPeriod(text);
  const semester = PERIOD_SEMESTER.exec(text);
  if (semester) {
    const start = Number(semester[1]);
    if (Number(semester[2]) !== start + 1) return null;
    return semesterPeriod(start, semester[3] === '1' ? 1 : 2);
  }
  const year = PERIOD_YEAR.exec(text);
  if (year) {
    const start = Number(year[1]);
    return Number(year[2]) === start + 1 ? yearPeriod(start) : null;
  }
  return null;
}

/** The period of `kind` holding a month: ("2025-01", 'SEMESTER') → 2024-2025-1. */
export function periodOf(month: string, kind: PeriodKind): Period {
  switch (kind) {
    case 'MONTH':
      return monthPeriod(month);
    case 'SEMESTER':
      return semesterPeriod(schoolYearOf(month), isAutumnSemester(month) ? 1 : 2);
    case 'YEAR':
      return yearPeriod(schoolYearOf(month));
  }
}

/** The period just before (环比): the previous month, semester or school year. */
export function previousPeriod(period: Period): Period {
  return periodOf(addMonths(period.months[0] as string, -1), period.kind);
}

/** The same period a year earlier (同比). */
export function yearEarlierPeriod(period: Period): Period {
  return periodOf(addMonths(period.months[0] as string, -12), period.kind);
}
