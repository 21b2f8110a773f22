/**
 * The demo's planted doubts are found and nothing else is: a small demo district loaded
 * through the real ETL under 清河县's policy, its arrivals stamped and its doubts judged as
 * `npm run demo` does. Every planted (school, month, rule) is OPEN; every other doubt is a
 * report of a file stamped late (three days, stamp-arrivals.ts) or lies in a planted
 * school-month; the schools without a plant or a late file raise none.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoFiles, type DemoResult } from '../../../etl/demo/cli.ts';
import { storeDemoPolicy } from '../../../etl/demo/demo-policy.ts';
import { judgeDemoDoubts } from '../../../etl/demo/planted-doubts.ts';
import { stampArrivals } from '../../../etl/demo/stamp-arrivals.ts';
import { exitCode, loadPaths } from '../../../etl/index.ts';
import { openWarehouse, type Warehouse } from '../../../server/db/connect.ts';
import { query, type Row } from '../../helpers/with-warehouse.ts';

let dir: string;
let demo: DemoResult;
let warehouse: Warehouse;
let doubts: Row[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kehou-demo-doubts-'));
  demo = await generateDemoFiles({
    outDir: dir,
    schools: 40,
    seed: 20240901,
    fromMonth: '2025-03',
    toMonth: '2025-12',
    messy: false,
  });
  warehouse = await openWarehouse(':memory:');
  const { current } = await storeDemoPolicy(warehouse);
  const summary = await loadPaths(warehouse, [dir], {
    user: 'demo',
    now: new Date(demo.casework.asOf),
  });
  expect(exitCode(summary)).toBe(0);
  await stampArrivals(warehouse, current.policy);
  await judgeDemoDoubts(warehouse, current.policy);
  doubts = await query(
    warehouse,
    `SELECT school_code, month, rule, status, value FROM data_doubts ORDER BY ALL`,
  );
}, 300_000);

afterAll(async () => {
  await warehouse?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the demo district’s data doubts', () => {
  it('plants one of each kind, in schools that break no rule', () => {
    expect(demo.plantedDoubts.map((d) => d.rule).sort()).toEqual([
      'IDENTICAL_MONTHS.participants_by_grade',
      'MONTH_JUMP.participants',
      'MONTH_JUMP.participants',
      'ROUND_NUMBERS.report_counts',
    ]);
    const breaking = new Set(demo.ruleBreaks.map((b) => b.school_code));
    for (const d of demo.plantedDoubts) expect(breaking.has(d.school_code)).toBe(false);
  });

  it('finds every planted doubt', () => {
    const open = new Set(
      doubts.filter((d) => d.status === 'OPEN').map((d) => `${d.school_code} ${d.month} ${d.rule}`),
    );
    for (const p of demo.plantedDoubts)
      expect(open.has(`${p.school_code} ${p.month} ${p.rule}`)).toBe(true);
  });

  it('raises nothing else but late reports, three days late', () => {
    const plantedMonths = new Set(demo.plantedDoubts.map((d) => `${d.school_code} ${d.month}`));
    const other = doubts.filter(
      (d) => d.rule !== 'LATE_REPORT.report' && !plantedMonths.has(`${d.school_code} ${d.month}`),
    );
    expect(other).toEqual([]);
    const late = doubts.filter((d) => d.rule === 'LATE_REPORT.report');
    expect(late.length).toBeGreaterThan(0);
    for (const d of late) expect(d).toMatchObject({ status: 'OPEN', value: 3 });
    // A judging right after the load leaves no CLEARED doubts behind.
    expect(doubts.filter((d) => d.status !== 'OPEN')).toEqual([]);
  });
});
