/**
 * `npm run bench -- startup [--runs 7]`
 *
 * The compiled build (`node --enable-source-maps dist/server/start.js`, what `npm start`
 * runs) against the sources through tsx (`node --import tsx server/start.ts`, what
 * `npm start` ran before the build: the tsx CLI adds a relay process on top), alternating,
 * each run a fresh process on the same migrated, empty warehouse:
 * - the server: spawn → first 200 from /healthz (polled every 10 ms once the start line names
 *   the port), and its resident
 *   memory then (VmRSS, and VmHWM, the peak so far);
 * - the CLI: a whole `etl load` of the 4-school registry workbook (an .xlsx: the reader's
 *   worker thread starts too), its wall time and its sampled peak memory.
 * Medians, and the ratios compiled / tsx. dist/ is rebuilt from the sources first.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openWarehouse } from '../../server/db/connect.ts';
import { ROOT } from '../helpers/run-script.ts';

const REGISTRY = fileURLToPath(new URL('../fixtures/etl/学校名录.xlsx', import.meta.url));

const WAYS = {
  tsx: { server: ['--import', 'tsx', 'server/start.ts'], etl: ['--import', 'tsx', 'etl/cli.ts'] },
  compiled: {
    server: ['--enable-source-maps', 'dist/server/start.js'],
    etl: ['--enable-source-maps', 'dist/etl/cli.js'],
  },
} as const;
type Way = keyof typeof WAYS;

interface Sample {
  ms: number;
  rssMiB: number;
  peakMiB: number;
}

/** Resident memory of `pid` in MiB, from /proc (VmRSS now, VmHWM the peak so far). */
function memory(pid: number): { rss: number; hwm: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (key: string): number => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1]);
    const rss = kib('VmRSS') / 1024;
    const hwm = kib('VmHWM') / 1024;
    // A process that has exited but not been reaped has no memory lines.
    return Number.isFinite(rss) && Number.isFinite(hwm) ? { rss, hwm } : null;
  } catch {
    return null; // it has exited
  }
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function env(db: string): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = {
    ...process.env,
    KEHOU_DB: db,
    KEHOU_LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    NODE_ENV: 'production',
  };
  delete e.NODE_OPTIONS;
  return e;
}

async function serverStart(way: Way, db: string): Promise<Sample> {
  const started = performance.now();
  const child = spawn(process.execPath, [...WAYS[way].server], {
    cwd: ROOT,
    // Port 0: the system picks a free one, which the start line names.
    env: { ...env(db), PORT: '0' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${way}: the server stopped at start`);
      if (performance.now() - started > 120_000) throw new Error(`${way}: no /healthz in 2 min`);
      const url = /Kehou is serving (http:\/\/127\.0\.0\.1:\d+)/u.exec(out)?.[1];
      const ok =
        url !== undefined &&
        (await fetch(`${url}/healthz`)
          .then((r) => r.status === 200)
          .catch(() => false));
      if (ok) break;
      await sleep(10);
    }
    const ms = performance.now() - started;
    const mem = memory(child.pid!)!;
    return { ms, rssMiB: mem.rss, peakMiB: mem.hwm };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

async function etlLoad(way: Way, db: string): Promise<Sample> {
  const started = performance.now();
  const child = spawn(process.execPath, [...WAYS[way].etl, 'load', REGISTRY, '--json'], {
    cwd: ROOT,
    env: env(db),
    stdio: 'ignore',
  });
  let peak = 0;
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  let done = false;
  void exited.then(() => (done = true));
  while (!done) {
    peak = Math.max(peak, memory(child.pid!)?.hwm ?? 0);
    await sleep(20);
  }
  const ms = performance.now() - started;
  if ((await exited) !== 0) throw new Error(`${way}: etl load failed`);
  return { ms, rssMiB: peak, peakMiB: peak };
}

export async function benchStartup(args: { runs: number }): Promise<void> {
  process.stdout.write('building dist/ (npm run build:server)…\n');
  const built = spawnSync('npm', ['run', '-s', 'build:server'], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('the build failed');

  const dir = mkdtempSync(join(tmpdir(), 'kehou-startup-'));
  try {
    const db = join(dir, 'kehou.duckdb');
    // Migrated once: each start then opens an existing warehouse, as a server restarts.
    await (await openWarehouse(db)).close();
    const fresh = join(dir, 'fresh.duckdb');
    const results: Record<Way, { server: Sample[]; etl: Sample[] }> = {
      tsx: { server: [], etl: [] },
      compiled: { server: [], etl: [] },
    };
    // One warm-up each (disk cache), then alternating runs, the order swapped every run.
    for (let run = -1; run < args.runs; run++) {
      const order: Way[] = run % 2 === 0 ? ['tsx', 'compiled'] : ['compiled', 'tsx'];
      for (const way of order) {
        const server = await serverStart(way, db);
        rmSync(fresh, { force: true });
        rmSync(`${fresh}.wal`, { force: true });
        copyFileSync(db, fresh);
        const etl = await etlLoad(way, fresh);
        if (run >= 0) {
          results[way].server.push(server);
          results[way].etl.push(etl);
        }
        process.stdout.write(
          `${run < 0 ? 'warm-up' : `run ${run + 1}`} ${way.padEnd(8)} /healthz ${server.ms.toFixed(0)} ms, RSS ${server.rssMiB.toFixed(0)} MiB; etl load ${etl.ms.toFixed(0)} ms, peak ${etl.peakMiB.toFixed(0)} MiB\n`,
        );
      }
    }
    const row = (label: string, pick: (s: { server: Sample[]; etl: Sample[] }) => number[]) => {
      const t = median(pick(results.tsx));
      const c = median(pick(results.compiled));
      return `| ${label.padEnd(42)} | ${t.toFixed(0).padStart(6)} | ${c.toFixed(0).padStart(8)} | ${(c / t).toFixed(2)} |`;
    };
    process.stdout.write(
      [
        '',
        `medians of ${args.runs} runs (node ${process.version})`,
        `| ${'figure'.padEnd(42)} | ${'tsx'.padStart(6)} | ${'compiled'.padStart(8)} | ratio |`,
        row('server: spawn → /healthz 200 (ms)', (r) => r.server.map((s) => s.ms)),
        row('server: RSS at ready (MiB)', (r) => r.server.map((s) => s.rssMiB)),
        row('server: peak RSS at ready (MiB)', (r) => r.server.map((s) => s.peakMiB)),
        row('etl load registry.xlsx, whole process (ms)', (r) => r.etl.map((s) => s.ms)),
        row('etl load: peak RSS, sampled (MiB)', (r) => r.etl.map((s) => s.peakMiB)),
        '',
      ].join('\n'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
