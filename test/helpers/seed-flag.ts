/**
 * A LATE_END report flag written straight into the warehouse, in the state a test needs:
 * the rectification fields follow its status (a RECTIFYING flag has a deadline and a
 * request, a RECTIFIED one also the school's report).
 */
import { sql } from 'kysely';
import type { FlagStatus } from '../../server/db/tables/flags.table.ts';
import type { WarehouseWriter } from '../../server/db/writer.ts';

export interface SeedFlag {
  school: string;
  month: string;
  status?: FlagStatus;
  /** When it was raised (ISO instant). */
  createdAt: string;
  /** Rectification deadline (YYYY-MM-DD) of a flag past OPEN; default 2025-11-30. */
  deadline?: string;
}

/** Inserts the flag and returns its id. */
export async function seedLateEndFlag(writer: WarehouseWriter, flag: SeedFlag): Promise<string> {
  const status = flag.status ?? 'OPEN';
  const row = await writer.write(({ db }) =>
    db
      .insertInto('flags')
      .values({
        school_code: flag.school,
        month: flag.month,
        code: 'LATE_END',
        rule: 'LATE_END.cap',
        source: 'report',
        status,
        detail: '最晚结束时间 18:40，超过规定 18:00（小学）',
        raised_by: 'system',
        policy_version: null,
        threshold: '18:00（小学）',
        observed: '18:40',
        evidence_batch_id: null,
        visit_id: null,
        rectify_deadline:
          status === 'OPEN' ? null : sql`CAST(${flag.deadline ?? '2025-11-30'} AS DATE)`,
        rectify_request: status === 'OPEN' ? null : '限期整改',
        rectify_report: status === 'RECTIFIED' ? '已整改' : null,
        resolution: null,
        created_at: sql`CAST(${flag.createdAt} AS TIMESTAMPTZ)`,
        updated_at: sql`CAST(${flag.createdAt} AS TIMESTAMPTZ)`,
      })
      .returning('flag_id')
      .executeTakeFirstOrThrow(),
  );
  return String(row.flag_id);
}
