/**
 * doubt_month_rules: the data-quality thresholds and the report deadline of every month the
 * warehouse holds, one row per month, so each check joins its month's policy instead of
 * reading YAML per row (like flag_month_rules for the violation rules).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { monthSequence, shanghaiDate } from '../../server/db/calendar.ts';
import { monthRules } from '../../server/policy/month-rules.ts';
import type { DistrictPolicy } from '../../server/policy/policy.ts';
import { lit } from '../normalize/sql-text.ts';

export const DOUBT_MONTH_RULES = 'doubt_month_rules';

const COLUMNS = [
  'month',
  'policy_version',
  'service_month',
  'max_month_ratio',
  'min_base',
  'max_peer_z',
  'min_peer_group',
  'identical_months',
  'round_counts_min',
  'max_resubmissions',
  'report_due',
  'due_date',
] as const;

function row(policy: DistrictPolicy, month: string): string {
  const r = monthRules(policy, month);
  const q = r.version.data_quality;
  return `(${[
    lit(month),
    lit(r.version.version),
    String(r.serviceMonth),
    `${q.max_month_ratio}::DOUBLE`,
    `${q.min_base}::INTEGER`,
    `${q.max_peer_z}::DOUBLE`,
    `${q.min_peer_group}::INTEGER`,
    `${q.identical_months}::INTEGER`,
    `${q.round_counts_min}::INTEGER`,
    `${q.max_resubmissions}::INTEGER`,
    `${lit(r.reportDueAt)}::TIMESTAMPTZ`,
    `${lit(shanghaiDate(Date.parse(r.reportDueAt)))}::DATE`,
  ].join(', ')})`;
}

/** (Re)creates doubt_month_rules for every month from the first to the last reported one. */
export async function createDoubtMonthRules(
  conn: DuckDBConnection,
  policy: DistrictPolicy,
): Promise<string[]> {
  const span = (
    await conn.runAndReadAll(`SELECT min(month) AS first, max(month) AS last FROM (
      SELECT month FROM monthly_reports UNION ALL SELECT month FROM participation)`)
  ).getRowObjectsJS()[0];
  const first = (span?.first as string | null) ?? null;
  const last = (span?.last as string | null) ?? null;
  const months = first === null || last === null ? [] : monthSequence(first, last);
  const rows = (months.length > 0 ? months : ['2000-01']).map((m) => row(policy, m));
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${DOUBT_MONTH_RULES} AS
    SELECT * FROM (VALUES ${rows.join(',\n')}) AS v(${COLUMNS.join(', ')})
    ${months.length > 0 ? '' : 'WHERE FALSE'}`);
  return months;
}
