/**
 * fireReminders over a hand-built district: which reminders fire for whom, once per event
 * key, and again when the key changes. Figures are counted by hand from the rows of test/helpers/seed-reminders.ts.
 */
import { describe, expect, it } from 'vitest';
import { kyselyOn, type Warehouse } from '../../../server/db/connect.ts';
import { loadPolicy } from '../../../server/policy/policy.ts';
import { fireReminders, type FireResult } from '../../../server/reminders/fire-reminders.ts';
import { NOW, seedDistrict } from '../../helpers/seed-reminders.ts';
import { query, useWarehouse } from '../../helpers/with-warehouse.ts';

const policy = loadPolicy();

async function fire(warehouse: Warehouse, now = NOW): Promise<FireResult> {
  const conn = await warehouse.connect();
  try {
    return await fireReminders(kyselyOn(conn), policy, now);
  } finally {
    conn.closeSync();
  }
}

const keysOf = (result: FireResult): string[] =>
  result.fired.map((f) => `${f.user_id} ${f.dedupe_key}`).sort();

describe('fireReminders', () => {
  const warehouse = useWarehouse();

  it('fires each kind for the right users, once', async () => {
    await seedDistrict(warehouse());
    const first = await fire(warehouse());
    expect(first.byKind).toEqual({
      FLAG_RAISED: 2,
      DEADLINE_SOON: 2,
      OVERDUE: 1,
      COMPLAINT_ASSIGNED: 1,
      REPORT_MISSING: 2,
    });
    expect(keysOf(first)).toEqual([
      '3 complaint:1:assigned:3:0',
      '3 flag:1:raised:1',
      '3 flag:6:deadline-soon:2025-11-20',
      '3 flag:7:raised:0',
      // S2 was DX01's in October, the report's month, though DX02's now.
      '3 report:S2:2025-10:missing',
      '4 flag:2:deadline-soon:2025-11-22',
      '4 flag:3:overdue:2025-11-19',
      '4 report:S3:2025-10:missing',
    ]);
    const raised = first.fired.find((f) => f.kind === 'FLAG_RAISED');
    expect(raised?.title).toBe('新问题线索：第一小学');
    expect(raised?.link).toBe('/flags?flag=1');
    const complaint = first.fired.find((f) => f.kind === 'COMPLAINT_ASSIGNED');
    expect(complaint?.body).toContain('办理时限 2025-11-25');
    // The complainant and the allegation's words stay out of reminders.
    const rows = await query(warehouse(), `SELECT title || body AS text FROM notifications`);
    for (const row of rows) {
      expect(row.text).not.toMatch(/张某|13800000000|家长反映/u);
    }

    const again = await fire(warehouse());
    expect(again.fired).toEqual([]);
    expect(await query(warehouse(), `SELECT count(*) AS n FROM notifications`)).toEqual([{ n: 8 }]);
  });

  it('fires again when the event key changes', async () => {
    await seedDistrict(warehouse());
    await fire(warehouse());
    const conn = await warehouse().connect();
    try {
      await conn.run(`UPDATE flags SET rectify_deadline = DATE '2025-11-21' WHERE flag_id = 2`);
      await conn.run(`INSERT INTO flag_events (flag_id, action, from_status, to_status, username,
          user_name) VALUES (1, 'REOPENED', 'CLOSED', 'OPEN', 'bureau', '局督学')`);
      await conn.run(`UPDATE complaints SET handler_user_id = 4 WHERE complaint_id = 1`);
    } finally {
      conn.closeSync();
    }
    const second = await fire(warehouse());
    expect(keysOf(second)).toEqual([
      '3 flag:1:raised:2',
      '4 complaint:1:assigned:4:0',
      '4 flag:2:deadline-soon:2025-11-21',
    ]);
    // Three days on, flags 6 (deadline 11-20) and 2 (11-21) are overdue; flag 4's 11-30 is
    // still more than three days away.
    const later = await fire(warehouse(), new Date('2025-11-23T09:00:00+08:00'));
    expect(keysOf(later)).toEqual(['3 flag:6:overdue:2025-11-20', '4 flag:2:overdue:2025-11-21']);
  });

  it('does not tell a 督学 of a flag they raised or a complaint they took on themselves', async () => {
    await seedDistrict(warehouse());
    await fire(warehouse());
    const conn = await warehouse().connect();
    try {
      // dx01 (user 3) raised flag 8 from a visit and recorded complaint 4, handling it.
      await conn.run(`INSERT INTO flags (flag_id, school_code, month, code, rule, source, status,
          detail, raised_by) VALUES (8, 'S1', '2025-11', 'LATE_END', 'LATE_END.inspection',
          'inspection', 'OPEN', '走访发现18:40才结束', 'dx01')`);
      await conn.run(`INSERT INTO complaints (complaint_id, school_code, source, flag_code,
          received_on, month, allegation, status, handler_user_id, deadline,
          created_by_user_id, created_by) VALUES (4, 'S1', 'INSPECTOR_PHONE', 'LATE_END',
          DATE '2025-11-19', '2025-11', '放学太晚', 'RECEIVED', 3, DATE '2025-12-04', 3, 'dx01')`);
    } finally {
      conn.closeSync();
    }
    expect(keysOf(await fire(warehouse()))).toEqual([]);
    // Handed on by the bureau to dx02 (user 4), the complaint is news to its new handler.
    const again = await warehouse().connect();
    try {
      await again.run(`UPDATE complaints SET handler_user_id = 4 WHERE complaint_id = 4`);
      await again.run(`INSERT INTO complaint_events (complaint_id, action, from_status, to_status,
          user_id, username, user_name) VALUES (4, 'ASSIGNED', 'RECEIVED', 'INVESTIGATING', 1,
          'bureau', '局督学')`);
    } finally {
      again.closeSync();
    }
    const handedOn = await fire(warehouse());
    expect(handedOn.fired.map((f) => [f.user_id, f.kind])).toEqual([[4, 'COMPLAINT_ASSIGNED']]);
  });
});
