/**
 * A flag's life under reloads: idempotent reruns, automatic resolution when a corrected
 * report no longer shows the problem, reopening when it returns, evidence updates that
 * keep a person's status, flags people closed or dismissed (and inspection flags) left
 * alone, and failed or dry-run loads that leave flags and events exactly as they were.
 */
import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inTransaction, loadPaths, rejudgeAll } from '../../../etl/index.ts';
import { readStoredPolicyOn } from '../../../server/policy/policy-store.ts';
import {
  AFTER_NOVEMBER,
  MONTHLY,
  openFlagDistrict,
  S1,
  S2,
  type FlagDistrict,
} from './flags-fixture.ts';

let d: FlagDistrict;
beforeEach(async () => {
  d = await openFlagDistrict();
  await d.load();
});
afterEach(async () => {
  await d.close();
});

const LATE = `school_code = '${S2}' AND month = '2025-10' AND rule = 'LATE_END.after_cap'`;

async function state() {
  return {
    flags: await d.sql(`SELECT * FROM flags ORDER BY flag_id`),
    events: await d.sql(`SELECT * FROM flag_events ORDER BY event_id`),
  };
}

async function rejudge() {
  const conn = await d.warehouse.connect();
  try {
    const { policy } = await readStoredPolicyOn(conn);
    return await inTransaction(conn, false, () =>
      rejudgeAll(conn, { policy, now: AFTER_NOVEMBER, reason: '按现行政策重新判定' }),
    );
  } finally {
    conn.closeSync();
  }
}

describe('mergeFlags: idempotence', () => {
  it('changes nothing when the same files, or an identical copy under another name, load again', async () => {
    const before = await state();
    const again = await d.load();
    expect(again.files.map((f) => [f.unchanged, f.flags])).toEqual([
      [true, undefined],
      [true, undefined],
      [true, undefined],
    ]);
    expect(again.missingReports).toEqual({ raised: 0, updated: 0, resolved: 0, reopened: 0 });
    // Other bytes (a trailing blank line), the same rows.
    const copy = await d.file('月报-副本.csv', `${await readFile(MONTHLY, 'utf8')}\n`);
    const reloaded = await d.load([copy]);
    expect(reloaded.files[0]).toMatchObject({
      unchanged: false,
      rowsLoaded: 10,
      flags: { raised: 0, updated: 0, resolved: 0, reopened: 0 },
    });
    expect(await state()).toEqual(before);
  });

  it('re-judges everything twice (etl flags) without a new flag or event', async () => {
    const before = await state();
    expect((await rejudge()).total).toEqual({ raised: 0, updated: 0, resolved: 0, reopened: 0 });
    expect((await rejudge()).total).toEqual({ raised: 0, updated: 0, resolved: 0, reopened: 0 });
    expect(await state()).toEqual(before);
  });
});

describe('mergeFlags: automatic resolution', () => {
  it('closes a flag a corrected report no longer shows, and reopens it when the evidence returns', async () => {
    const fixed = await d.monthly('更正.csv', [
      { school: S2, month: '2025-10', set: { 最晚结束时间: '17:50' } },
    ]);
    const r1 = (await d.load([fixed])).files[0]!;
    expect(r1.flags).toEqual({ raised: 0, updated: 0, resolved: 1, reopened: 0 });
    expect(await d.flags(LATE)).toMatchObject([
      { status: 'CLOSED', resolution: 'auto', observed: '18:01' },
    ]);
    const back = await d.monthly('再次更正.csv', [
      { school: S2, month: '2025-10', set: { 最晚结束时间: '18:05' } },
    ]);
    const r2 = (await d.load([back])).files[0]!;
    expect(r2.flags).toEqual({ raised: 0, updated: 0, resolved: 0, reopened: 1 });
    expect(await d.flags(LATE)).toMatchObject([
      {
        status: 'OPEN',
        resolution: null,
        observed: '18:05',
        detail: '最晚结束时间 18:05，超过规定 18:00（小学）',
        evidence_batch_id: r2.batchId,
      },
    ]);
    expect(
      (await d.events(LATE)).map((e) => [e.action, e.from_status, e.to_status, e.note, e.batch_id]),
    ).toEqual([
      ['RAISED', null, 'OPEN', '系统根据导入的报告发现（批次 2，文件 月报.csv）', 2],
      [
        'AUTO_RESOLVED',
        'OPEN',
        'CLOSED',
        `更正后的报告（批次 ${r1.batchId}，文件 更正.csv）不再显示该问题`,
        r1.batchId,
      ],
      [
        'REOPENED',
        'CLOSED',
        'OPEN',
        `报告（批次 ${r2.batchId}，文件 再次更正.csv）再次显示该问题`,
        r2.batchId,
      ],
    ]);
  });

  it('updates changed evidence but keeps the status a person set', async () => {
    await d.sql(`UPDATE flags SET status = 'RECTIFYING' WHERE ${LATE}`);
    const later = await d.monthly('更正.csv', [
      { school: S2, month: '2025-10', set: { 最晚结束时间: '18:20' } },
    ]);
    const r = (await d.load([later])).files[0]!;
    expect(r.flags).toEqual({ raised: 0, updated: 1, resolved: 0, reopened: 0 });
    expect(await d.flags(LATE)).toMatchObject([
      {
        status: 'RECTIFYING',
        observed: '18:20',
        detail: '最晚结束时间 18:20，超过规定 18:00（小学）',
        evidence_batch_id: r.batchId,
      },
    ]);
    expect((await d.events(LATE)).at(-1)).toMatchObject({
      action: 'EVIDENCE_UPDATED',
      from_status: 'RECTIFYING',
      to_status: 'RECTIFYING',
      note: `报告（批次 ${r.batchId}，文件 更正.csv）更新了证据：实际 18:01 → 18:20`,
    });
  });

  it('never touches a flag a person dismissed or closed, nor an inspection flag', async () => {
    const safety = `school_code = '${S2}' AND rule = 'SAFETY_INCIDENT.incidents'`;
    await d.sql(`UPDATE flags SET status = 'DISMISSED', resolution = 'dismissed' WHERE ${safety}`);
    await d.sql(`UPDATE flags SET status = 'CLOSED', resolution = 'closed' WHERE ${LATE}`);
    await d.sql(`INSERT INTO flags (school_code, month, code, rule, source, status, detail, raised_by)
      VALUES ('${S1}', '2025-10', 'LATE_END', 'LATE_END.inspection', 'inspection', 'OPEN', '督导发现延时', 'dx01')`);
    const before = await state();
    // The incident and the late end go away, then come back worse: nothing changes either way.
    await d.load([
      await d.monthly('更正.csv', [
        { school: S2, month: '2025-10', set: { 最晚结束时间: '17:50', 安全事故数: '0' } },
      ]),
    ]);
    await d.load([
      await d.monthly('再次更正.csv', [
        { school: S2, month: '2025-10', set: { 最晚结束时间: '18:40', 安全事故数: '2' } },
        { school: S1, month: '2025-10', set: { 投诉数: '1' } },
      ]),
    ]);
    expect(await state()).toEqual(before);
  });
});

describe('mergeFlags inside the load transaction', () => {
  it('leaves flags and events exactly as they were when the load fails before commit', async () => {
    const before = await state();
    const fixed = await d.monthly('更正.csv', [
      { school: S2, month: '2025-10', set: { 最晚结束时间: '17:50', 安全事故数: '0' } },
    ]);
    const summary = await loadPaths(d.warehouse, [fixed], {
      now: AFTER_NOVEMBER,
      beforeCommit: () => {
        throw new Error('injected');
      },
    });
    expect(summary.files[0]?.warehouseError).toBe(true);
    expect(await state()).toEqual(before);
  });

  it('reports on a dry run what would change, and changes nothing', async () => {
    const before = await state();
    const fixed = await d.monthly('更正.csv', [
      { school: S2, month: '2025-10', set: { 最晚结束时间: '17:50', 安全事故数: '0' } },
    ]);
    const summary = await d.load([fixed], { dryRun: true });
    expect(summary.files[0]?.flags).toEqual({ raised: 0, updated: 0, resolved: 2, reopened: 0 });
    expect(summary.missingReports).toBeUndefined();
    expect(await state()).toEqual(before);
  });
});
