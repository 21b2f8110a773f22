import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadPaths } from '../../../etl/index.ts';
import { openWarehouse, type Warehouse } from '../../../server/db/connect.ts';
import { WarehouseWriter } from '../../../server/db/writer.ts';
import {
  msToNextShanghaiMidnight,
  startDeadlineSweep,
  type DeadlineSweep,
} from '../../../server/jobs/deadline-sweep.ts';
import { API_FIXTURES } from '../../helpers/api-fixture.ts';

describe('msToNextShanghaiMidnight', () => {
  it('waits until one second after the next midnight in Asia/Shanghai', () => {
    // 23:59:00 in Shanghai is 15:59:00 UTC: 60 s to midnight, plus one.
    expect(msToNextShanghaiMidnight(new Date('2025-11-05T15:59:00Z'))).toBe(61_000);
    // Exactly midnight in Shanghai: the next one is a day away.
    expect(msToNextShanghaiMidnight(new Date('2025-11-05T16:00:00Z'))).toBe(86_401_000);
  });
});

describe('startDeadlineSweep', () => {
  let warehouse: Warehouse | undefined;
  let writer: WarehouseWriter | undefined;
  let sweep: DeadlineSweep | undefined;
  afterEach(async () => {
    sweep?.stop();
    await writer?.close();
    await warehouse?.close();
  });

  async function missing(w: Warehouse): Promise<string[]> {
    const rows = await w.db
      .selectFrom('flags')
      .select(['school_code', 'month', 'status'])
      .where('code', '=', 'MISSING_REPORT')
      .orderBy('month')
      .orderBy('school_code')
      .execute();
    return rows.map((r) => `${r.school_code} ${r.month} ${r.status}`);
  }

  it('raises MISSING_REPORT once the deadline passes, without any new load', async () => {
    warehouse = await openWarehouse(':memory:');
    // Loaded one second before the 2025-10 deadline (2025-11-05 23:59:59 in Shanghai).
    const loaded = await loadPaths(warehouse, [API_FIXTURES], {
      user: 'test',
      now: new Date('2025-11-05T23:59:58+08:00'),
    });
    expect(loaded.files.every((f) => !f.error)).toBe(true);
    const before = await missing(warehouse);
    // 2024-10 .. 2025-09 were due; only 1000000001 reported 2024-10, no reports in between.
    expect(before.filter((m) => m.includes('2025-10'))).toEqual([]);

    writer = await WarehouseWriter.open(warehouse);
    let clock = new Date('2025-11-05T23:59:59+08:00');
    sweep = startDeadlineSweep({
      warehouse,
      writer,
      log: pino({ level: 'silent' }),
      now: () => clock,
      intervalMs: 3_600_000,
    });
    expect(await sweep.runOnce()).toBe(0);
    clock = new Date('2025-11-06T00:00:00+08:00');
    expect(await sweep.runOnce()).toBe(1);
    const after = await missing(warehouse);
    expect(after.filter((m) => m.includes('2025-10'))).toEqual(['1000000004 2025-10 OPEN']);
    expect(after.length).toBe(before.length + 1);
    // Idempotent: the next hour's sweep raises nothing new.
    expect(await sweep.runOnce()).toBe(0);
  });
});
