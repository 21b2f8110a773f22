/**
 * Semester filing flags, hand-checked on a four-school fixture for 2025-2026学年第一学期
 * (first school day 2025-09-01: 一校一案 due 2025-10-01, 需求征询 by 2025-10-31, fees by
 * 2025-10-01; teacher pay capped at 50 元 a period by the fixture's policy).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../../etl/index.ts';
import { judgeFilingSemester } from '../../../etl/flags/filing-flags.ts';
import { parsePolicy } from '../../../server/policy/policy.ts';
import { query, withWarehouse } from '../../helpers/with-warehouse.ts';
import type { Warehouse } from '../../../server/db/connect.ts';

const policy = parsePolicy(`district: 测试区
versions:
  - version: '2025.1'
    effective_from: '2025-09'
    source: 测试
    filings:
      max_teacher_pay_per_period: 50
`);
const SEMESTER = '2025-2026-1';

const plan = (fee: number) => ({
  document: '课后服务实施方案',
  daysPerWeek: 5,
  startTime: '16:00',
  endTime: '18:00',
  contentMix: [{ kind: 'READING', periodsPerWeek: 5 }],
  teachers: 10,
  externalStaff: 0,
  thirdPartyProviders: 0,
  feePerPeriod: fee,
  priorityArrangements: '优先',
});

async function seed(conn: DuckDBConnection): Promise<void> {
  const school = (code: string, validTo: string | null) =>
    `('${code}', '学校${code}', '东城镇', 'primary', 'rural', 'public', false, 20, NULL, ${validTo === null ? 'NULL' : `DATE '${validTo}'`}, NULL, 1, NULL, NULL)`;
  await conn.run(
    `INSERT INTO schools VALUES ${[
      school('S1', null),
      school('S2', null),
      school('S3', null),
      school('S4', '2025-07-01'),
    ].join(', ')}`,
  );
  await file(conn, 'S1', 'PLAN', plan(0), '2025-09-20 10:00:00+08');
  await file(
    conn,
    'S1',
    'SURVEY',
    { date: '2025-09-15', respondents: 300, demandByGrade: [] },
    '2025-09-25 10:00:00+08',
  );
  // 6000 元 for 100 periods: 60 元 a period, over the 50 元 cap.
  await file(
    conn,
    'S1',
    'PAY',
    {
      periods: 100,
      teacherPay: 6000,
      teachers: 10,
      performancePay: 0,
      studentsServed: 200,
      subsidy: 0,
    },
    '2025-09-26 10:00:00+08',
  );
  // Late (after 2025-10-01) and charging 3 元 a period with no fee filing.
  await file(conn, 'S2', 'PLAN', plan(3), '2025-10-05 09:00:00+08');
  // S3 files nothing; a returned survey does not count.
  await file(
    conn,
    'S3',
    'SURVEY',
    { date: '2025-09-10', respondents: 10, demandByGrade: [] },
    '2025-09-10 09:00:00+08',
    'RETURNED',
  );
}

async function file(
  conn: DuckDBConnection,
  school: string,
  kind: string,
  fields: unknown,
  at: string,
  status = 'FILED',
) {
  await conn.run(`INSERT INTO semester_filings (school_code, semester, kind, payload, status, filed_at, filed_by_name)
    VALUES ('${school}', '${SEMESTER}', '${kind}', '${JSON.stringify(fields)}', '${status}', TIMESTAMPTZ '${at}', '测试')`);
}

async function judge(w: Warehouse, now: string) {
  const conn = await w.connect();
  try {
    return await inTransaction(conn, false, () =>
      judgeFilingSemester(conn, policy, SEMESTER, new Date(now)),
    );
  } finally {
    conn.closeSync();
  }
}

const openFlags = (w: Warehouse) =>
  query(
    w,
    `SELECT school_code, month, rule, observed, threshold, detail FROM flags
    WHERE status = 'OPEN' ORDER BY school_code, rule`,
  );

describe('judgeFilingSemester', () => {
  it('raises each filing flag once its deadline has passed, and resolves it when the filing comes', async () => {
    await withWarehouse(async (w) => {
      const conn = await w.connect();
      await seed(conn);
      conn.closeSync();

      // On the plan's deadline day nothing is late yet; the pay over the cap is flagged at once.
      const early = await judge(w, '2025-10-01T23:59:59+08:00');
      expect(early?.total).toEqual({ raised: 1, updated: 0, resolved: 0, reopened: 0 });
      expect(await openFlags(w)).toEqual([
        {
          school_code: 'S1',
          month: '2025-09',
          rule: 'ILLEGAL_ALLOWANCES.filed_pay',
          observed: '教师课时补助每课时 60 元',
          threshold: '50 元',
          detail: '2025-2026学年第一学期备案：教师课时补助每课时 60 元，超过上限 50 元',
        },
      ]);

      // After 2025-10-31: S2's plan was late, it charges without publicity or refunds, and
      // neither S2 nor S3 ran a survey; S3 never filed a plan. S4 closed before the semester.
      const later = await judge(w, '2025-11-15T12:00:00+08:00');
      expect(later?.total).toEqual({ raised: 6, updated: 0, resolved: 0, reopened: 0 });
      const flags = await openFlags(w);
      expect(
        flags.map((f) => `${String(f.school_code)} ${String(f.rule)} ${String(f.observed)}`),
      ).toEqual([
        'S1 ILLEGAL_ALLOWANCES.filed_pay 教师课时补助每课时 60 元',
        'S2 FEE_FILINGS.no_refunds 未备案',
        'S2 FEE_FILINGS.unpublished 未公示',
        'S2 NO_DEMAND_SURVEY.missing 0 次',
        'S2 PLAN_NOT_FILED.late 2025-10-05 备案',
        'S3 NO_DEMAND_SURVEY.missing 0 次',
        'S3 PLAN_NOT_FILED.late 未备案',
      ]);
      expect(
        flags.find((f) => f.school_code === 'S2' && f.rule === 'PLAN_NOT_FILED.late')?.detail,
      ).toBe('2025-2026学年第一学期一校一案于 2025-10-05 备案，晚于截止日期 2025-10-01');

      // S3 runs its survey: that flag resolves; its late plan stays (the rule is the deadline).
      const c2 = await w.connect();
      await file(
        c2,
        'S3',
        'SURVEY',
        { date: '2025-11-16', respondents: 120, demandByGrade: [] },
        '2025-11-16 10:00:00+08',
      );
      c2.closeSync();
      const after = await judge(w, '2025-11-17T12:00:00+08:00');
      expect(after?.total).toEqual({ raised: 0, updated: 0, resolved: 1, reopened: 0 });
      const events = await query(
        w,
        `SELECT e.action, e.note FROM flag_events e JOIN flags f USING (flag_id)
        WHERE f.school_code = 'S3' AND f.rule = 'NO_DEMAND_SURVEY.missing' ORDER BY e.event_id`,
      );
      expect(events).toEqual([
        { action: 'RAISED', note: '系统核对2025-2026学年第一学期学期备案后发现' },
        { action: 'AUTO_RESOLVED', note: '学期备案补齐后不再显示该问题' },
      ]);
      expect(await judge(w, '2025-11-17T12:00:00+08:00')).toMatchObject({
        total: { raised: 0, updated: 0, resolved: 0, reopened: 0 },
      });
    });
  });

  it('judges no semester nobody filed for, and names no semester for a month', async () => {
    await withWarehouse(async (w) => {
      const c = await w.connect();
      await c.run(
        `INSERT INTO schools VALUES ('S1', '学校', '东城镇', 'primary', 'rural', 'public', false, 20, NULL, NULL, NULL, 1, NULL, NULL)`,
      );
      c.closeSync();
      expect((await judge(w, '2026-03-01T12:00:00+08:00'))?.total).toEqual({
        raised: 0,
        updated: 0,
        resolved: 0,
        reopened: 0,
      });
      const conn = await w.connect();
      expect(await judgeFilingSemester(conn, policy, '2025-10', new Date())).toBeNull();
      conn.closeSync();
    });
  });
});
