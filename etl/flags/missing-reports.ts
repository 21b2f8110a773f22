/**
 * MISSING_REPORT.missing: a school open in a service month whose report deadline
 * (MonthRules.reportDueAt, day N of the next month 23:59:59 Asia/Shanghai) has passed,
 * with no monthly report, from the first month any report was received. The rule judges
 * any school-month in flag_scope; the sweep puts every school × every such month there
 * (with no batch).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { monthRules } from '../../server/policy/month-rules.ts';
import { addMonths } from '../../server/db/calendar.ts';
import type { DistrictPolicy } from '../../server/policy/policy.ts';
import { lit } from '../normalize/sql-text.ts';
import type { EvidenceRule } from './rules/evidence-rule.ts';
import { cat } from './sql-format.ts';

export const MISSING_RULE = 'MISSING_REPORT.missing';

export const missingReport: EvidenceRule = {
  rule: MISSING_RULE,
  reads: ['monthly', 'registry'],
  when: (ctx) =>
    ctx.firstReportMonth === null
      ? 'FALSE'
      : `NOT has_report AND school_open AND service_month
      AND report_due < ${lit(ctx.nowIso)}::TIMESTAMPTZ AND month >= ${lit(ctx.firstReportMonth)}`,
  observed: `'未报送'`,
  threshold: cat(`'截止 '`, 'due_date'),
  detail: cat('month', `' 月报截至 '`, 'due_date', `' 仍未报送'`),
  batch: 'NULL::INTEGER',
};

const nextMonth = (month: string): string => addMonths(month, 1);

/**
 * Service months from `first` through the last month whose deadline is before `now`
 * (deadlines grow with the month: day 1..28 of the next month).
 */
export function dueServiceMonths(policy: DistrictPolicy, first: string, now: Date): string[] {
  const out: string[] = [];
  for (let month = first; ; month = nextMonth(month)) {
    const rules = monthRules(policy, month);
    if (Date.parse(rules.reportDueAt) >= now.getTime()) return out;
    if (rules.serviceMonth) out.push(month);
  }
}

/**
 * flag_scope for the sweep: every school × every due service month, plus the school-months
 * of existing MISSING_REPORT flags (a school closed since, or a month no longer due, is
 * judged again and its flag resolved). Returns false when no report was ever received.
 */
export async function createSweepScope(
  conn: DuckDBConnection,
  policy: DistrictPolicy,
  now: Date,
): Promise<boolean> {
  const reader = await conn.runAndReadAll(`SELECT min(month) AS first FROM monthly_reports`);
  const first = (reader.getRowObjectsJS()[0]?.first as string | null | undefined) ?? null;
  const months = first === null ? [] : dueServiceMonths(policy, first, now);
  const values = months.length > 0 ? months.map((m) => `(${lit(m)})`).join(', ') : `(NULL)`;
  await conn.run(`CREATE OR REPLACE TEMP TABLE flag_scope AS
    SELECT school_code, month, NULL::INTEGER AS batch_id FROM (
      SELECT s.school_code, v.month FROM (SELECT DISTINCT school_code FROM schools) s
        CROSS JOIN (VALUES ${values}) AS v(month) WHERE v.month IS NOT NULL
      UNION
      SELECT school_code, month FROM flags
      WHERE source = 'report' AND rule = ${lit(MISSING_RULE)} AND month IS NOT NULL)`);
  return first !== null;
}
