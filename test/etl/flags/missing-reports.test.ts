/**
 * MISSING_REPORT: a monthly report is missing once its deadline (day 5 of the next month,
 * 23:59:59 Asia/Shanghai by default) has passed, for service months only, for schools
 * open in the month; a report arriving later resolves the flag, saying it came late.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { inTransaction, sweepMissingReports } from '../../../etl/index.ts';
import { dueServiceMonths } from '../../../etl/flags/missing-reports.ts';
import { currentDate } from '../../../server/db/calendar.ts';
import { parsePolicy } from '../../../server/policy/policy.ts';
import { readStoredPolicyOn } from '../../../server/policy/policy-store.ts';
import { openFlagDistrict, policyText, S1, S6, type FlagDistrict } from './flags-fixture.ts';

let d: FlagDistrict | null = null;
afterEach(async () => {
  await d?.close();
  d = null;
});

const MISSING = `rule = 'MISSING_REPORT.missing'`;

async function sweep(district: FlagDistrict, now: Date) {
  const conn = await district.warehouse.connect();
  try {
    const { policy } = await readStoredPolicyOn(conn);
    return await inTransaction(conn, false, () => sweepMissingReports(conn, { policy, now }));
  } finally {
    conn.closeSync();
  }
}

const missing = async (district: FlagDistrict) =>
  (await district.flags(`${MISSING} AND status = 'OPEN'`)).map(
    (f) => `${String(f.school_code)} ${String(f.month)}`,
  );

describe('sweepMissingReports', () => {
  it('is not missing at 23:59:59 on the deadline day, and is one second later', async () => {
    d = await openFlagDistrict();
    await d.load(undefined, { now: new Date('2025-12-05T23:59:59+08:00') });
    expect(await missing(d)).toEqual([]);
    const swept = await sweep(d, new Date('2025-12-06T00:00:00+08:00'));
    expect(swept.total).toEqual({ raised: 1, updated: 0, resolved: 0, reopened: 0 });
    // S6 reported November; it opened on 2025-11-01, so October was never due from it.
    expect(await missing(d)).toEqual([`${S1} 2025-11`]);
  });

  it('expects no report in February, July or August', async () => {
    d = await openFlagDistrict();
    await d.load(undefined, { now: new Date('2026-09-10T00:00:00+08:00') });
    const s1 = (await missing(d)).filter((k) => k.startsWith(S1)).map((k) => k.slice(11));
    expect(s1).toEqual([
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
    ]);
    const s6 = (await missing(d)).filter((k) => k.startsWith(S6)).map((k) => k.slice(11));
    expect(s6[0]).toBe('2025-12'); // not 2025-10: the school opened in November
  });

  it('resolves the flag when the report arrives late, saying so, in the load that brings it', async () => {
    d = await openFlagDistrict();
    await d.load();
    const late = await d.monthly('补报.csv', [
      { school: S1, month: '2025-10', set: { 填报月份: '2025-11' } },
    ]);
    const r = (await d.load([late])).files[0]!;
    expect(r.flags).toEqual({ raised: 0, updated: 0, resolved: 1, reopened: 0 });
    expect(await d.flags(MISSING)).toMatchObject([
      { school_code: S1, month: '2025-11', status: 'CLOSED', resolution: 'auto' },
    ]);
    expect((await d.events(MISSING)).map((e) => [e.action, e.note, e.batch_id])).toEqual([
      ['RAISED', '系统核对报送截止日期后发现', null],
      [
        'AUTO_RESOLVED',
        `月报已于 ${currentDate()} 补报（批次 ${r.batchId}，文件 补报.csv），晚于截止日期 2025-12-05`,
        r.batchId,
      ],
    ]);
  });

  it('keeps the flag when only grade rows arrive for the month', async () => {
    d = await openFlagDistrict();
    await d.load();
    const before = await d.flags(MISSING);
    const participation = await d.file(
      '分年级-补报.csv',
      '学校标识码,填报月份,年级,在校生数,申请人数,参加人数,留守儿童数,留守儿童参加数,随迁子女数,随迁子女参加数,残疾儿童数,残疾儿童参加数,困难家庭学生数,困难家庭学生参加数\n' +
        `${S1},2025-11,1,100,100,95,20,17,19,0,0,0,20,17\n`,
    );
    const r = (await d.load([participation])).files[0]!;
    expect(r.flags).toEqual({ raised: 0, updated: 0, resolved: 0, reopened: 0 });
    expect(await d.flags(MISSING)).toEqual(before);
  });

  it('resolves flags of months the policy no longer expects a report for', async () => {
    d = await openFlagDistrict(policyText());
    await d.load();
    expect(await missing(d)).toEqual([`${S1} 2025-11`]);
    const conn = await d.warehouse.connect();
    try {
      const policy = parsePolicy(policyText({ service: { no_service_months: [2, 7, 8, 11] } }));
      const swept = await inTransaction(conn, false, () =>
        sweepMissingReports(conn, { policy, now: new Date('2025-12-06T00:00:00+08:00') }),
      );
      expect(swept.total).toEqual({ raised: 0, updated: 0, resolved: 1, reopened: 0 });
    } finally {
      conn.closeSync();
    }
    expect(await missing(d)).toEqual([]);
  });
});

describe('dueServiceMonths', () => {
  const policy = parsePolicy(policyText());
  it('lists service months whose deadline is before now, skipping February, July and August', () => {
    expect(dueServiceMonths(policy, '2026-01', new Date('2026-09-05T23:59:59+08:00'))).toEqual([
      '2026-01',
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
    ]);
    expect(dueServiceMonths(policy, '2026-01', new Date('2026-09-06T00:00:00+08:00'))).toEqual([
      '2026-01',
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
    ]); // August's deadline passed, but no report is due for August
    expect(dueServiceMonths(policy, '2026-09', new Date('2026-10-05T23:59:59+08:00'))).toEqual([]);
    expect(dueServiceMonths(policy, '2026-09', new Date('2026-10-06T00:00:00+08:00'))).toEqual([
      '2026-09',
    ]);
  });
});
