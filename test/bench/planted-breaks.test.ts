/**
 * The benchmark districts are what their output claims: loaded through the real ETL under
 * the default policy, they raise exactly the planted flags, rule by rule — a clean
 * school-month raises nothing, a planted one exactly its rule — in realistic and stress runs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exitCode, loadPaths } from '../../etl/index.ts';
import { openWarehouse, type Warehouse } from '../../server/db/connect.ts';
import { raisedFlags } from './flag-tally.ts';
import { API_BENCH_NOW, generateApiBenchFiles } from './generate-api-bench-files.ts';
import { generateBenchFiles } from './generate-bench-files.ts';

let dir: string;
let warehouse: Warehouse;

beforeEach(async () => {
  // The generators follow the default policy file; so must the warehouse.
  delete process.env.KEHOU_POLICY;
  dir = await mkdtemp(join(tmpdir(), 'kehou-bench-breaks-'));
  warehouse = await openWarehouse(':memory:');
});

afterEach(async () => {
  await warehouse?.close();
  await rm(dir, { recursive: true, force: true });
});

async function load(paths: string[]): Promise<Record<string, number>> {
  const summary = await loadPaths(warehouse, paths, { user: 'bench', now: API_BENCH_NOW });
  expect(exitCode(summary)).toBe(0);
  const conn = await warehouse.connect();
  try {
    return await raisedFlags(conn);
  } finally {
    conn.closeSync();
  }
}

describe('the API benchmark district', () => {
  it.each([
    ['realistic', false],
    ['stress', true],
  ])(
    '%s: raises exactly the planted flags',
    async (_, stress) => {
      const files = await generateApiBenchFiles(dir, { schools: 60, respondents: 40, stress });
      const planted = Object.values(files.planted).reduce((a, b) => a + b, 0);
      if (stress) expect(planted).toBe(files.schoolMonths);
      else expect(planted).toBeGreaterThan(10);
      expect(await load(files.paths)).toEqual(files.planted);
    },
    60_000,
  );
});

describe('the ETL benchmark district', () => {
  it.each([
    ['realistic', false],
    ['stress', true],
  ])(
    '%s: raises exactly the planted flags',
    async (_, stress) => {
      const files = await generateBenchFiles(dir, 60, stress);
      expect(await load([files.registry, files.participation])).toEqual(files.planted);
    },
    60_000,
  );
});
