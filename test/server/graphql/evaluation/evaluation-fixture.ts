/**
 * What the evaluation tests add to the API fixture district (test/fixtures/api) beyond
 * its files: flags with rectification deadlines in October 2025 (东城第一小学), two visits
 * of 东城村小 (one with a finding), and one rejected row of the monthly-report file
 * naming 东城村小. Every figure the tests expect is counted from these by hand.
 */
import { sql } from 'kysely';
import type { WarehouseWriter } from '../../../../server/db/writer.ts';
import { seedLateEndFlag } from '../../../helpers/seed-flag.ts';

export async function seedEvaluationExtras(writer: WarehouseWriter): Promise<void> {
  const school = '1000000001';
  const month = '2025-10';
  // Rectified 2025-10-18, due 2025-10-20: on time.
  await seedLateEndFlag(writer, {
    school,
    month,
    status: 'RECTIFIED',
    createdAt: '2025-10-18T10:00:00+08:00',
    deadline: '2025-10-20',
  });
  // Rectified 2025-10-28, due 2025-10-25: late.
  await seedLateEndFlag(writer, {
    school,
    month,
    status: 'RECTIFIED',
    createdAt: '2025-10-28T10:00:00+08:00',
    deadline: '2025-10-25',
  });
  // Still rectifying, due 2025-10-22.
  await seedLateEndFlag(writer, {
    school,
    month,
    status: 'RECTIFYING',
    createdAt: '2025-10-10T10:00:00+08:00',
    deadline: '2025-10-22',
  });
  // Dismissed: neither a deadline nor a flag that counts.
  await seedLateEndFlag(writer, {
    school,
    month,
    status: 'DISMISSED',
    createdAt: '2025-10-11T10:00:00+08:00',
    deadline: '2025-10-21',
  });
  await writer.write(async ({ db }) => {
    const visit = (date: string) =>
      db
        .insertInto('visits')
        .values({
          school_code: '1000000002',
          visit_date: sql`CAST(${date} AS DATE)`,
          kind: 'ROUTINE',
          user_id: 1,
          username: 'bureau',
          user_name: 'bureau',
          inspector_id: null,
          findings: date === '2025-10-15' ? '安全通道堵塞' : '未发现问题',
          evidence: null,
        })
        .returning('visit_id')
        .executeTakeFirstOrThrow();
    const found = await visit('2025-10-15');
    await visit('2025-10-16');
    await db
      .insertInto('flags')
      .values({
        school_code: '1000000002',
        month: '2025-10',
        code: 'SAFETY_INCIDENT',
        rule: 'SAFETY_INCIDENT.inspection',
        source: 'inspection',
        status: 'OPEN',
        detail: '督导发现：安全通道堵塞',
        policy_version: null,
        threshold: null,
        observed: null,
        evidence_batch_id: null,
        visit_id: Number(found.visit_id),
        raised_by: 'bureau',
        rectify_deadline: null,
        rectify_request: null,
        rectify_report: null,
        resolution: null,
      })
      .execute();
    await sql`INSERT INTO load_rejects
      SELECT DISTINCT r.batch_id, NULL, 99, '开展天数', 'abc', 'NOT_A_NUMBER', '不是数字', 'not a number',
        '1000000002', '东城村小'
      FROM monthly_reports r WHERE r.month = '2025-10'`.execute(db);
  });
}
