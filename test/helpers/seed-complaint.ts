/**
 * A complaint (投诉与举报) written straight into the warehouse, as recordComplaint would
 * leave it: a 12345-hotline complaint of illegal fees, received, with no handler.
 */
import { sql } from 'kysely';
import type { ComplaintStatus } from '../../server/db/tables/complaints.table.ts';
import type { WarehouseWriter } from '../../server/db/writer.ts';

export interface SeedComplaint {
  school: string;
  /** YYYY-MM-DD */
  receivedOn: string;
  /** A flag catalogue code; default ILLEGAL_FEES. */
  category?: string;
  status?: ComplaintStatus;
  handlerUserId?: number | null;
  /** YYYY-MM-DD; default receivedOn + 15 days (the default policy's handling_days). */
  deadline?: string;
}

/** Inserts the complaint and its RECEIVED event; returns its id. */
export async function seedComplaint(writer: WarehouseWriter, c: SeedComplaint): Promise<string> {
  return writer.write(async ({ db }) => {
    const deadline = c.deadline ?? sql`CAST(${c.receivedOn} AS DATE) + INTERVAL 15 DAY`;
    const row = await db
      .insertInto('complaints')
      .values({
        school_code: c.school,
        source: 'HOTLINE_12345',
        flag_code: c.category ?? 'ILLEGAL_FEES',
        received_on: sql`CAST(${c.receivedOn} AS DATE)` as never,
        month: c.receivedOn.slice(0, 7),
        allegation: '家长反映另收费用',
        complainant_name: '陈女士',
        complainant_contact: '13800000000',
        status: c.status ?? 'RECEIVED',
        handler_user_id: c.handlerUserId ?? null,
        deadline: (typeof deadline === 'string'
          ? sql`CAST(${deadline} AS DATE)`
          : deadline) as never,
        flag_id: null,
        visit_id: null,
        finding: null,
        substantiated: null,
        created_by_user_id: 1,
        created_by: 'bureau',
        closed_at: null,
      })
      .returning('complaint_id')
      .executeTakeFirstOrThrow();
    const id = Number(row.complaint_id);
    await db
      .insertInto('complaint_events')
      .values({
        complaint_id: id,
        action: 'RECEIVED',
        from_status: null,
        to_status: 'RECEIVED',
        user_id: 1,
        username: 'bureau',
        user_name: 'bureau',
        note: null,
      })
      .execute();
    return String(id);
  });
}
