/**
 * The demo district's planted rule breaks, loaded through the real ETL under 清河县's
 * policy: the flags raised are exactly the ground truth, school by month by code — no
 * more (a clean school-month raises nothing) and no fewer.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoFiles, type DemoResult } from '../../../etl/demo/cli.ts';
import { storeDemoPolicy } from '../../../etl/demo/demo-policy.ts';
import { exitCode, loadPaths } from '../../../etl/index.ts';
import { openWarehouse, type Warehouse } from '../../../server/db/connect.ts';
import { query, type Row } from '../../helpers/with-warehouse.ts';

let dir: string;
let demo: DemoResult;
let warehouse: Warehouse;
let flags: Row[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kehou-demo-truth-'));
  // Spring 2025 under version 2024.1, autumn under 2025.1; no report is due in July or August.
  demo = await generateDemoFiles({
    outDir: dir,
    schools: 40,
    seed: 20240901,
    fromMonth: '2025-05',
    toMonth: '2025-10',
    messy: false,
  });
  warehouse = await openWarehouse(':memory:');
  await storeDemoPolicy(warehouse);
  const summary = await loadPaths(warehouse, [dir], {
    user: 'demo',
    now: new Date('2025-11-06T00:00:00+08:00'), // after October's deadline
  });
  expect(exitCode(summary)).toBe(0);
  flags = await query(
    warehouse,
    `SELECT school_code, month, code, policy_version FROM flags WHERE status = 'OPEN'`,
  );
}, 60_000);

afterAll(async () => {
  await warehouse?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the demo district under qinghe-policy.yaml', () => {
  it('raises a flag for exactly the planted (school, month, code) rule breaks', () => {
    const truth = new Set(demo.ruleBreaks.map((b) => `${b.school_code} ${b.month} ${b.rule}`));
    const raised = new Set(
      flags.map((f) => `${String(f.school_code)} ${String(f.month)} ${String(f.code)}`),
    );
    expect(truth.size).toBeGreaterThan(5);
    expect([...raised].sort()).toEqual([...truth].sort());
  });

  it('plants breaks of most kinds in a district this small', () => {
    expect(new Set(demo.ruleBreaks.map((b) => b.rule)).size).toBeGreaterThanOrEqual(6);
  });

  it('judges each month by the policy version in force then', () => {
    for (const f of flags)
      expect(f.policy_version).toBe(String(f.month) < '2025-09' ? '2024.1' : '2025.1');
    expect(new Set(flags.map((f) => f.policy_version))).toEqual(new Set(['2024.1', '2025.1']));
  });
});
