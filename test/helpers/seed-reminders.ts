/**
 * A hand-built district for the reminders' tests: schools, 督学 assignments, users, one
 * October report, flags and complaints, each chosen to fire one reminder (or none).
 */
import type { Warehouse } from '../../server/db/connect.ts';

/** 2025-11-20 noon in Shanghai: October's report was due on 11-05 (deadline_day 5). */
export const NOW = new Date('2025-11-20T12:00:00+08:00');

/**
 * Schools S1..S4. DX01 holds S1, S2, S4 from 2025-09; DX02 holds S3, and S2 from 2025-11.
 * S4 closed on 2025-09-01. Users: 1 bureau, 3 dx01, 4 dx02, 6 a disabled DX01 user.
 * October's report: S1 only.
 */
export async function seedDistrict(warehouse: Warehouse): Promise<void> {
  const conn = await warehouse.connect();
  try {
    const school = (code: string, name: string, validTo: string | null) =>
      `('${code}', '${name}', '城关镇', 'primary', 'urban', 'public', false, 30, NULL, ${validTo === null ? 'NULL' : `'${validTo}'`}, NULL, 1, NULL, NULL)`;
    await conn.run(`INSERT INTO schools (school_code, school_name, township, stage, locality,
        ownership, remote, teachers_total, valid_from, valid_to, merged_into, batch_id,
        source_sheet, source_row) VALUES
      ${school('S1', '第一小学', null)}, ${school('S2', '第二小学', null)},
      ${school('S3', '第三小学', null)}, ${school('S4', '第四小学', '2025-09-01')}`);
    await conn.run(`INSERT INTO inspector_assignments (inspector_id, school_code, effective_month,
        batch_id, source_sheet, source_row) VALUES
      ('DX01', 'S1', '2025-09', 1, NULL, NULL), ('DX01', 'S2', '2025-09', 1, NULL, NULL),
      ('DX01', 'S4', '2025-09', 1, NULL, NULL), ('DX02', 'S3', '2025-09', 1, NULL, NULL),
      ('DX02', 'S2', '2025-11', 1, NULL, NULL)`);
    await conn.run(`INSERT INTO users (user_id, username, display_name, role, inspector_id,
        password_hash, disabled) VALUES
      (1, 'bureau', '局督学', 'BUREAU_INSPECTOR', NULL, 'x', false),
      (3, 'dx01', '督学一', 'SUPERVISING_INSPECTOR', 'DX01', 'x', false),
      (4, 'dx02', '督学二', 'SUPERVISING_INSPECTOR', 'DX02', 'x', false),
      (6, 'dx01old', '督学旧', 'SUPERVISING_INSPECTOR', 'DX01', 'x', true)`);
    await conn.run(`INSERT INTO monthly_reports (school_code, month, school_days, service_days,
        daily_minutes, homework_periods, written_homework_g12, fee_per_period, fee_waived,
        waived_but_charged, fees_published, teachers_serving, teacher_pay_per_period,
        external_staff, providers, providers_unapproved, largest_group, incidents, complaints,
        batch_id) VALUES ('S1', '2025-10', 20, 20, 120, 1, false, 0, 0, 0, true, 10, 50, 0, 0, 0,
        40, 0, 0, 1)`);
    const flag = (id: number, school: string, status: string, deadline: string | null) =>
      `(${id}, '${school}', '2025-10', 'LATE_END', 'LATE_END.cap', 'report', '${status}',
        '最晚结束时间 18:40，超过规定 18:00（小学）', 'system',
        ${deadline === null ? 'NULL' : `DATE '${deadline}'`})`;
    await conn.run(`INSERT INTO flags (flag_id, school_code, month, code, rule, source, status,
        detail, raised_by, rectify_deadline) VALUES
      ${flag(1, 'S1', 'OPEN', null)}, ${flag(2, 'S2', 'RECTIFYING', '2025-11-22')},
      ${flag(3, 'S3', 'RECTIFYING', '2025-11-19')}, ${flag(4, 'S1', 'RECTIFYING', '2025-11-30')},
      ${flag(5, 'S3', 'CLOSED', null)}, ${flag(6, 'S1', 'RECTIFYING', '2025-11-20')}`);
    // An inspection flag a complaint raised: its detail is a person's words.
    await conn.run(`INSERT INTO flags (flag_id, school_code, month, code, rule, source, status,
        detail, raised_by) VALUES (7, 'S1', '2025-11', 'ILLEGAL_FEES', 'ILLEGAL_FEES.complaint',
        'inspection', 'OPEN', '家长张某反映收取资料费', 'bureau')`);
    await conn.run(`INSERT INTO flag_events (flag_id, action, from_status, to_status, username,
        user_name) VALUES (1, 'RAISED', NULL, 'OPEN', 'system', '系统')`);
    const complaint = (id: number, school: string, status: string, handler: number | null) =>
      `(${id}, '${school}', 'HOTLINE_12345', 'ILLEGAL_FEES', DATE '2025-11-10', '2025-11',
        '家长反映收费', '张某', '13800000000', '${status}', ${handler ?? 'NULL'},
        DATE '2025-11-25', 1, 'bureau')`;
    await conn.run(`INSERT INTO complaints (complaint_id, school_code, source, flag_code,
        received_on, month, allegation, complainant_name, complainant_contact, status,
        handler_user_id, deadline, created_by_user_id, created_by) VALUES
      ${complaint(1, 'S1', 'RECEIVED', 3)}, ${complaint(2, 'S3', 'CLOSED', 4)},
      ${complaint(3, 'S3', 'RECEIVED', null)}`);
  } finally {
    conn.closeSync();
  }
}
