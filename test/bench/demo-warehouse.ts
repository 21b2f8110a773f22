/**
 * The demo district (150 schools × 20 months, loaded through the real ETL by
 * `npm run demo -- --no-serve`), cached under data/bench/ for the benchmarks that need a
 * realistic warehouse. The cache is keyed by the sources that decide its content.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');

/** The demo warehouse depends on the generator, the ETL and the schema: hash their sources. */
function sourcesKey(): string {
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|yaml|sql)$/.test(entry.name))
        hash.update(relative(ROOT, path)).update(readFileSync(path));
    }
  };
  for (const dir of ['etl', 'server/db', 'server/policy']) walk(join(ROOT, dir));
  return hash.digest('hex').slice(0, 16);
}

export function demoWarehouse(fresh: boolean): string {
  const dir = join(ROOT, 'data', 'bench', `web-demo-${sourcesKey()}`);
  const path = join(dir, 'demo.duckdb');
  if (!fresh && existsSync(path)) return path;
  // Demo warehouses of earlier sources (12 MB each, one per ETL change): keep only this one.
  const parent = join(ROOT, 'data', 'bench');
  for (const old of existsSync(parent) ? readdirSync(parent) : [])
    if (/^web-demo-[0-9a-f]{16}$/u.test(old))
      rmSync(join(parent, old), { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  console.log(`loading the demo district into ${path} (npm run demo -- --no-serve) …`);
  const t0 = performance.now();
  execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'etl/demo/run-demo.ts'),
      '--no-serve',
      '--out',
      join(dir, 'files'),
    ],
    {
      cwd: ROOT,
      // The password goes through the environment, never the command line.
      env: { ...process.env, KEHOU_DB: path, KEHOU_DEMO_PASSWORD: randomBytes(12).toString('hex') },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  console.log(`loaded in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return path;
}
