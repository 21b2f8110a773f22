/**
 * `npm run bench -- startup [--runs 7]`
 *
 * The compiled build (`node --enable-source-maps dist/server/start.js`, what `npm start`
 * runs) against the sources through tsx (`node --import tsx server/start.ts`, what
 * `npm start` ran before the build: the tsx CLI adds a relay process on top), alternating,
 * each run a fresh process on the same migrated, empty warehouse:
 * - the server: spawn → first 200 from /healthz (polled every 10 ms once the start line names
 *   the port), and then its CPU time (user + system, /proc/<pid>/stat) and resident memory
 *   (VmRSS, and VmHWM, the peak so far);
 * - the CLI: a whole `etl load` of the 4-school registry workbook (an .xlsx: the reader's
 *   worker thread starts too), its wall time, CPU time and peak memory, which a preloaded
 *   data: module writes on exit (process.resourceUsage(), worker thread included).
 * CPU time says what the loader costs even on a busy machine, where wall time mostly says
 * how busy it is. Medians, and the ratios compiled / tsx. dist/ is rebuilt first.
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
  cpuMs: number;
  rssMiB: number;
  peakMiB: number;
}

/**
 * Preloaded into a timed CLI process: on exit it writes its CPU time (ms) and peak resident
 * memory (MiB) as JSON to KEHOU_BENCH_USAGE_FILE. A data: module, so the compiled process
 * gets no TypeScript loader with it.
 */
const USAGE_PRELOAD = `data:text/javascript,${encodeURIComponent(
  'import { writeFileSync } from "node:fs";' +
    'process.on("exit", () => { const u = process.resourceUsage();' +
    ' writeFileSync(process.env.KEHOU_BENCH_USAGE_FILE, JSON.stringify({' +
    ' cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, peakMiB: u.maxRSS / 1024 })); });',
)}`;

/** CPU time (user + system) `pid` has used so far, in ms, from /proc/<pid>/stat. */
function cpuMs(pid: number): number {
  // Fields after the parenthesised command name; utime and stime are the 14th and 15th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
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
    return { ms, cpuMs: cpuMs(child.pid!), rssMiB: mem.rss, peakMiB: mem.hwm };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

async function etlLoad(way: Way, db: string, usageFile: string): Promise<Sample> {
  const [entry, ...flags] = [...WAYS[way].etl].reverse();
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [...flags.reverse(), '--import', USAGE_PRELOAD, entry!, 'load', REGISTRY, '--json'],
    { cwd: ROOT, env: { ...env(db), KEHOU_BENCH_USAGE_FILE: usageFile }, stdio: 'ignore' },
  );
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`${way}: etl load failed`);
  const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as { cpuMs: number; peakMiB: number };
  return { ms, cpuMs: usage.cpuMs, rssMiB: usage.peakMiB, peakMiB: usage.peakMiB };
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
        const etl = await etlLoad(way, fresh, join(dir, 'usage.json'));
        if (run >= 0) {
          results[way].server.push(server);
          results[way].etl.push(etl);
        }
        process.stdout.write(
          `${run < 0 ? 'warm-up' : `run ${run + 1}`} ${way.padEnd(8)} /healthz ${server.ms.toFixed(0)} ms (CPU ${server.cpuMs.toFixed(0)} ms), RSS ${server.rssMiB.toFixed(0)} MiB; etl load ${etl.ms.toFixed(0)} ms (CPU ${etl.cpuMs.toFixed(0)} ms), peak ${etl.peakMiB.toFixed(0)} MiB\n`,
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
        row('server: CPU time to ready (ms)', (r) => r.server.map((s) => s.cpuMs)),
        row('server: RSS at ready (MiB)', (r) => r.server.map((s) => s.rssMiB)),
        row('server: peak RSS at ready (MiB)', (r) => r.server.map((s) => s.peakMiB)),
        row('etl load registry.xlsx, whole process (ms)', (r) => r.etl.map((s) => s.ms)),
        row('etl load: CPU time (ms)', (r) => r.etl.map((s) => s.cpuMs)),
        row('etl load: peak RSS (MiB)', (r) => r.etl.map((s) => s.peakMiB)),
        '',
      ].join('\n'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
