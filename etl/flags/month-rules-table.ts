/**
 * The policy as a table: one row per month with the flat MonthRules values, so every rule
 * joins its month's thresholds (and their texts) instead of interpreting the policy per row.
 * Money is in cents, times in minutes after midnight.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { addMonths, shanghaiDate } from '../../server/db/calendar.ts';
import { monthRules, type MonthRules } from '../../server/policy/month-rules.ts';
import type { DistrictPolicy } from '../../server/policy/policy.ts';
import { lit } from '../normalize/sql-text.ts';

export const MONTH_RULES_TABLE = 'flag_month_rules';

const cents = (yuan: number | null): string =>
  yuan === null ? 'NULL::BIGINT' : `${Math.round(yuan * 100)}::BIGINT`;
const intOrNull = (n: number | null): string => (n === null ? 'NULL::INTEGER' : `${n}::INTEGER`);
const textOrNull = (t: string | null): string => (t === null ? 'NULL::VARCHAR' : lit(t));

/** "90 分钟" or "2 课时（80 分钟）": whichever limit is the tighter one. */
function maxDailyText(r: MonthRules): string | null {
  const s = r.version.service;
  if (r.maxDailyMinutes === null) return null;
  const byPeriods =
    s.max_daily_periods === null ? null : s.max_daily_periods * s.minutes_per_period;
  if (byPeriods !== null && byPeriods === r.maxDailyMinutes && s.max_daily_minutes !== byPeriods)
    return `${s.max_daily_periods} 课时（${byPeriods} 分钟）`;
  return `${r.maxDailyMinutes} 分钟`;
}

/** "95%" for 0.95; up to two decimals of a percentage. */
function rateText(rate: number): string {
  return `${Number((rate * 100).toFixed(2))}%`;
}

/** "2025-11-05": the deadline's date in Asia/Shanghai. */
function dueDate(r: MonthRules): string {
  return shanghaiDate(Date.parse(r.reportDueAt));
}

const MONTH_RULES_COLUMNS = [
  'month',
  'policy_sha',
  'policy_version',
  'service_month',
  'cap_primary',
  'cap_primary_text',
  'cap_junior',
  'cap_junior_text',
  'cap_nine_year',
  'cap_nine_year_text',
  'cap_complete',
  'cap_complete_text',
  'floor_min',
  'floor_text',
  'days_per_week',
  'min_daily_minutes',
  'max_daily_minutes',
  'max_daily_text',
  'minutes_per_period',
  'homework_max',
  'written_forbidden',
  'max_group',
  'fee_cap_period',
  'fee_cap_day',
  'fee_cap_month',
  'fee_cap_semester',
  'waived_half',
  'must_publish',
  'pay_cap',
  'third_party_allowed',
  'min_demand_rate',
  'min_demand_text',
  'max_gap_points',
  'max_gap_text',
  'min_group_enrolled',
  'report_due',
  'due_date',
] as const;

function valuesRow(r: MonthRules, sha: string): string {
  const v = r.version;
  const cap = r.latestEnd;
  const rate = v.participation.min_demand_met_rate;
  const gap = v.priority_gap.max_gap_points;
  return `(${[
    lit(r.month),
    lit(sha),
    lit(v.version),
    String(r.serviceMonth),
    String(cap.primary.minutes),
    lit(cap.primary.text),
    String(cap.junior.minutes),
    lit(cap.junior.text),
    String(cap.nine_year.minutes),
    lit(cap.nine_year.text),
    String(cap.complete.minutes),
    lit(cap.complete.text),
    intOrNull(r.earliestEnd?.minutes ?? null),
    textOrNull(r.earliestEnd?.text ?? null),
    String(v.service.days_per_week),
    String(v.service.min_daily_minutes),
    intOrNull(r.maxDailyMinutes),
    textOrNull(maxDailyText(r)),
    String(v.service.minutes_per_period),
    `${v.homework.max_periods_per_day}::DOUBLE`,
    String(v.homework.written_forbidden_grades_1_2),
    String(v.groups.max_size),
    cents(v.fees.caps.per_period),
    cents(v.fees.caps.per_day),
    cents(v.fees.caps.per_month),
    cents(v.fees.caps.per_semester),
    String(v.fees.waived_families === 'half'),
    String(v.fees.must_publish),
    cents(v.teacher_pay.max_per_period),
    String(v.providers.third_party_allowed),
    rate === null ? 'NULL::DECIMAL(18,6)' : `${rate}::DECIMAL(18,6)`,
    textOrNull(rate === null ? null : rateText(rate)),
    gap === null ? 'NULL::DECIMAL(18,6)' : `${gap}::DECIMAL(18,6)`,
    textOrNull(gap === null ? null : String(gap)),
    String(v.priority_gap.min_group_enrolled),
    `${lit(r.reportDueAt)}::TIMESTAMPTZ`,
    lit(dueDate(r)),
  ].join(', ')})`;
}

const nextMonth = (month: string): string => addMonths(month, 1);

/** Every month from `first` to `last`, inclusive. */
function monthSpan(first: string, last: string): string[] {
  const out: string[] = [];
  for (let m = first; m <= last; m = nextMonth(m)) out.push(m);
  return out;
}

/** (Re)creates flag_month_rules with one row per month of `months`. */
async function createMonthRulesTable(
  conn: DuckDBConnection,
  policy: DistrictPolicy,
  months: readonly string[],
): Promise<void> {
  const list = [...new Set(months)].sort();
  const rows = (list.length > 0 ? list : ['2000-01']).map((m) =>
    valuesRow(monthRules(policy, m), policy.sha256),
  );
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${MONTH_RULES_TABLE} AS
    SELECT * FROM (VALUES ${rows.join(',\n')}) AS v(${MONTH_RULES_COLUMNS.join(', ')})
    ${list.length > 0 ? '' : 'WHERE FALSE'}`);
}

/**
 * Makes sure flag_month_rules holds `policy`'s rules for every month from the first to the
 * last of flag_scope and monthly_reports; returns those months, the first reported one and
 * the number of school-months in flag_scope. The table outlives one judging run (a folder's
 * files reuse it) and checks itself: a rolled-back transaction or another policy
 * recreates it. Its VALUES list costs more to plan than the data it holds.
 */
export async function ensureMonthRules(
  conn: DuckDBConnection,
  policy: DistrictPolicy,
): Promise<{ firstReportMonth: string | null; months: string[]; scopeRows: number }> {
  const span = `SELECT min(month) FILTER (WHERE report) AS first_report,
      min(month) AS first, max(month) AS last, count(*) FILTER (WHERE NOT report) AS scope_rows
    FROM (SELECT month, false AS report FROM flag_scope
      UNION ALL SELECT month, true FROM monthly_reports)`;
  // One query when the table is there (the usual case within a folder's load).
  const row = await conn
    .runAndReadAll(
      `WITH span AS (${span}) SELECT span.*, (SELECT count(*) FROM ${MONTH_RULES_TABLE} m
        WHERE m.policy_sha = ${lit(policy.sha256)} AND m.month BETWEEN span.first AND span.last)::INTEGER AS held
      FROM span`,
    )
    .catch(() => conn.runAndReadAll(`SELECT *, -1 AS held FROM (${span})`))
    .then((r) => r.getRowObjectsJS()[0] ?? {});
  const first = (row.first as string | null) ?? null;
  const last = (row.last as string | null) ?? null;
  const firstReportMonth = (row.first_report as string | null) ?? null;
  const months = first === null || last === null ? [] : monthSpan(first, last);
  if (months.length === 0 || Number(row.held) !== months.length)
    await createMonthRulesTable(conn, policy, months);
  return { firstReportMonth, months, scopeRows: Number(row.scope_rows ?? 0) };
}
