/**
 * The API benchmark's warehouse: the generated district loaded through the real ETL once
 * and cached in the OS temp folder under a hash of the generator's parameters and of the
 * sources that decide its content (generators, policy, ETL, migrations); each run serves a
 * copy, so the cached file stays as loaded. The build also times, in the same run, DuckDB
 * alone loading the same files (raw-load.ts) and counts the flags the load raised.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { openWarehouse } from '../../server/db/connect.ts';
import { loadPaths } from '../../etl/index.ts';
import { raisedFlags } from './flag-tally.ts';
import { API_BENCH_NOW, generateApiBenchFiles } from './generate-api-bench-files.ts';
import { rawLoad } from './raw-load.ts';

const ROOT = join(import.meta.dirname, '..', '..');

export interface BuildInfo {
  stress: boolean;
  generateMs: number;
  /** loadPaths of every file + CHECKPOINT. */
  loadMs: number;
  /** DuckDB alone: read_csv of the same files into plain tables + CHECKPOINT. */
  rawLoadMs: number;
  perFileMs: Record<string, number>;
  rows: Record<string, number>;
  bytes: number;
  /** Planted school-months per rule id, and the report flags the load raised per rule. */
  planted: Record<string, number>;
  raised: Record<string, number>;
  schoolMonths: number;
  builtAt: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|yaml)$/u.test(f) && !/^(demo|cli)/u.test(f))
    .map((f) => join(ROOT, dir, f))
    .sort();
}

/** Hash of what decides the warehouse's content: parameters, generators, policy, ETL, migrations. */
function warehouseKey(schools: number, respondents: number, stress: boolean): string {
  const hash = createHash('sha256').update(JSON.stringify({ schools, respondents, stress, v: 2 }));
  const files = [
    ...readdirSync(import.meta.dirname)
      .filter((f) =>
        /^(generate-|bench-district|monthly-report|participation-rows|planted-breaks|policy-limits)/u.test(
          f,
        ),
      )
      .map((f) => join(import.meta.dirname, f))
      .sort(),
    join(ROOT, 'server/db/migrate.ts'),
    ...sourceFiles('server/policy'),
    ...sourceFiles('etl'),
    ...sourceFiles('server/db/migrations'),
  ];
  for (const f of files) hash.update(relative(ROOT, f)).update(readFileSync(f));
  return hash.digest('hex').slice(0, 16);
}

export async function cachedWarehouse(
  schools: number,
  respondents: number,
  stress: boolean,
  fresh: boolean,
): Promise<{ path: string; info: BuildInfo; cached: boolean }> {
  const prefix = `kehou-api-bench-${schools}-${stress ? 'stress-' : ''}`;
  const dir = join(tmpdir(), `${prefix}${warehouseKey(schools, respondents, stress)}`);
  const path = join(dir, 'warehouse.duckdb');
  const meta = join(dir, 'build.json');
  if (!fresh && existsSync(path) && existsSync(meta))
    return { path, info: JSON.parse(readFileSync(meta, 'utf8')) as BuildInfo, cached: true };
  // Warehouses of earlier generator/ETL versions (tens of MiB each): keep only this one.
  for (const old of readdirSync(tmpdir()))
    if (old.startsWith(prefix) && /^[0-9a-f]{16}$/u.test(old.slice(prefix.length)))
      rmSync(join(tmpdir(), old), { recursive: true, force: true });
  const csv = join(dir, 'csv');
  mkdirSync(csv, { recursive: true });
  try {
    console.log(`building the benchmark warehouse in ${dir} …`);
    let t0 = performance.now();
    const files = await generateApiBenchFiles(csv, { schools, respondents, stress });
    const generateMs = performance.now() - t0;
    const bytes = files.paths.reduce((n, p) => n + statSync(p).size, 0);
    console.log(
      `generated ${(bytes / 2 ** 20).toFixed(0)} MiB of CSV in ${(generateMs / 1000).toFixed(1)} s: ${JSON.stringify(files.rows)}`,
    );
    const building = join(dir, 'building.duckdb');
    const warehouse = await openWarehouse(building);
    const perFileMs: Record<string, number> = {};
    let loadMs: number;
    let summary: Awaited<ReturnType<typeof loadPaths>>;
    let raised: Record<string, number>;
    try {
      t0 = performance.now();
      let last = t0;
      summary = await loadPaths(warehouse, files.paths, {
        user: 'bench',
        now: API_BENCH_NOW,
        onResult: (r) => {
          const now = performance.now();
          perFileMs[relative(csv, r.path)] = Math.round(now - last);
          last = now;
        },
      });
      const conn = await warehouse.connect();
      try {
        await conn.run('CHECKPOINT');
        loadMs = performance.now() - t0;
        raised = await raisedFlags(conn);
      } finally {
        conn.closeSync();
      }
    } finally {
      await warehouse.close();
    }
    const bad = summary.files.filter((f) => f.error || f.rowsRejected > 0);
    if (bad.length > 0)
      throw new Error(`benchmark load failed: ${JSON.stringify(bad).slice(0, 1000)}`);
    console.log(`ETL load ${(loadMs / 1000).toFixed(1)} s; now DuckDB alone on the same files …`);
    const [registry, assignments, monthly, participation, ...surveys] = files.paths;
    const rawLoadMs = await rawLoad(join(dir, 'raw.duckdb'), {
      registry: registry!,
      assignments: assignments!,
      monthly: monthly!,
      participation: participation!,
      surveys,
    });
    renameSync(building, path);
    const info: BuildInfo = {
      stress,
      generateMs,
      loadMs,
      rawLoadMs,
      perFileMs,
      rows: files.rows,
      bytes,
      planted: files.planted,
      raised,
      schoolMonths: files.schoolMonths,
      builtAt: new Date().toISOString(),
    };
    writeFileSync(meta, JSON.stringify(info, null, 2));
    return { path, info, cached: false };
  } finally {
    rmSync(csv, { recursive: true, force: true });
  }
}
