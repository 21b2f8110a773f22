/**
 * The demo loads twenty months of reports in one minute, so every batch would carry that
 * minute as its load time and every report would count as late (report timeliness 0 %,
 * no school earning the evaluation's 按时报送 points). A real bureau loads each month's
 * files as they arrive. The demo therefore records, once after its load, when each
 * township's monthly file arrived in its simulated history: the afternoon of the deadline
 * day (when its clerk saved it, see write-monthly.ts), and for about one file in twenty,
 * three days after the deadline, so timeliness has something to find. Only the demo does
 * this; the ETL always records the real load time.
 */
import { sql } from 'kysely';
import { shanghaiInstant } from '../../server/db/calendar.ts';
import type { Warehouse } from '../../server/db/connect.ts';
import { reportDueAt } from '../../server/policy/month-rules.ts';
import { policyFor, type DistrictPolicy } from '../../server/policy/policy.ts';

/** One file in LATE_ONE_IN arrives late (by a hash of its name: the same files every run). */
const LATE_ONE_IN = 20;
const DAYS_LATE = 3;
const ARRIVAL_TIME = '16:00:00';

function arrival(month: string, policy: DistrictPolicy, late: boolean): string {
  const day = reportDueAt(month, policyFor(policy, month).reports.deadline_day).slice(0, 10);
  const due = shanghaiInstant(day, ARRIVAL_TIME);
  return new Date(due.getTime() + (late ? DAYS_LATE * 86_400_000 : 0)).toISOString();
}

/**
 * Sets the load time of the demo's monthly-report and per-grade batches to their simulated
 * arrival (plus the batch number in seconds, so files keep their load order). Idempotent.
 * Returns how many batches arrived on time and late.
 */
export async function stampArrivals(
  warehouse: Warehouse,
  policy: DistrictPolicy,
): Promise<{ onTime: number; late: number }> {
  const months = await sql<{ month: string }>`
    SELECT DISTINCT month FROM monthly_reports ORDER BY month`.execute(warehouse.db);
  if (months.rows.length === 0) return { onTime: 0, late: 0 };
  const rows = months.rows.map(
    ({ month }) =>
      sql`(${sql.lit(month)}, ${sql.lit(arrival(month, policy, false))}::TIMESTAMPTZ, ${sql.lit(arrival(month, policy, true))}::TIMESTAMPTZ)`,
  );
  // Literals, not parameters: DuckDB cannot prepare an UPDATE … FROM a VALUES list.
  const result = await sql<{ late: boolean; n: number }>`
    WITH arrivals(month, on_time, late) AS (VALUES ${sql.join(rows)}),
    batch_months AS (
      SELECT batch_id, min(month) AS month FROM monthly_reports GROUP BY batch_id
      UNION ALL
      SELECT batch_id, min(month) AS month FROM participation GROUP BY batch_id),
    stamped AS (
      SELECT b.batch_id,
        hash(b.file_name) % ${sql.lit(LATE_ONE_IN)} = 0 AS late,
        (CASE WHEN hash(b.file_name) % ${sql.lit(LATE_ONE_IN)} = 0 THEN a.late ELSE a.on_time END)
          + to_seconds(b.batch_id) AS arrived
      FROM load_batches b
      JOIN batch_months bm ON bm.batch_id = b.batch_id
      JOIN arrivals a ON a.month = bm.month)
    UPDATE load_batches SET loaded_at = stamped.arrived
    FROM stamped WHERE load_batches.batch_id = stamped.batch_id
    RETURNING hash(load_batches.file_name) % ${sql.lit(LATE_ONE_IN)} = 0 AS late`.execute(
    warehouse.db,
  );
  const late = result.rows.filter((r) => r.late).length;
  return { onTime: result.rows.length - late, late };
}
