/**
 * A data doubt written straight into the warehouse, as the checks (etl/doubts/) would
 * leave it: a month-on-month jump of participants by default.
 */
import { sql } from 'kysely';
import type { DoubtStatus } from '../../server/db/tables/data-doubts.table.ts';
import type { WarehouseWriter } from '../../server/db/writer.ts';

export interface SeedDoubt {
  school: string;
  month: string;
  status?: DoubtStatus;
  rule?: string;
  /** When it was raised (ISO instant); default 2025-11-20 04:00 UTC. */
  createdAt?: string;
}

/** Inserts the doubt and returns its id. */
export async function seedDoubt(writer: WarehouseWriter, doubt: SeedDoubt): Promise<string> {
  const at = sql`CAST(${doubt.createdAt ?? '2025-11-20T04:00:00Z'} AS TIMESTAMPTZ)`;
  const row = await writer.write(({ db }) =>
    db
      .insertInto('data_doubts')
      .values({
        school_code: doubt.school,
        month: doubt.month,
        rule: doubt.rule ?? 'MONTH_JUMP.participants',
        measure: 'participants',
        value: 400,
        reference: 100,
        deviation: 4,
        detail: '参与人数 400 人，是上月（100 人）的 4 倍',
        detail_en: 'participants 400, 4 times the previous month (100)',
        status: doubt.status ?? 'OPEN',
        evidence_batch_id: null,
        policy_version: null,
        review_note: null,
        reviewed_by: null,
        reviewed_at: null,
        created_at: at as never,
        updated_at: at as never,
      })
      .returning('doubt_id')
      .executeTakeFirstOrThrow(),
  );
  return String(row.doubt_id);
}
