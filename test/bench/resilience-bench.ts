/**
 * `npm run bench -- resilience`
 *
 * The server as `npm start` runs it (its own process, NODE_ENV=production) on a copy of the
 * demo district, while hostile or heavy uploads go in. For each phase, sequential requests
 * of a dashboard query (the month's overview with 环比/同比) and of /healthz run alongside,
 * and the server's resident memory is sampled from /proc:
 * - idle: the reference;
 * - a zip bomb (an 8 MB .xlsx inflating to 1.1 GB);
 * - a 7.9-million-row .xlsx (under the 50 MB upload limit);
 * - a real load: 2,000 schools' registry and 140,000 participation rows, while sign-in,
 *   a session refresh and sign-out are timed too.
 * Targets: the dashboard query's p95 during a phase within 2× its idle p95; sign-in p95
 * within 500 ms during the load.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPassword } from '../../server/auth/password.ts';
import { openWarehouse } from '../../server/db/connect.ts';
import { insertUser } from '../../server/graphql/users/users.repository.ts';
import { repeatedRows, sheetRows, workbookParts, writeZip } from '../etl/read/zip-builder.ts';
import { spawnScript } from '../helpers/run-script.ts';
import { until } from '../helpers/until.ts';
import { demoWarehouse } from './demo-warehouse.ts';
import { generateBenchFiles } from './generate-bench-files.ts';

const PASSWORD = randomBytes(12).toString('hex');

function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(s.length * q) - 1)] ?? NaN;
}

const ms = (x: number): string => `${x.toFixed(1)} ms`;

/** Resident memory of `pid` in MiB, from /proc (VmRSS now, VmHWM the peak so far). */
function memory(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string): number => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1]);
  return { rss: kib('VmRSS') / 1024, hwm: kib('VmHWM') / 1024 };
}

interface Server {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

async function startServer(db: string): Promise<Server> {
  const started = spawnScript('server/start.ts', [], {
    unsetNodeEnv: true,
    env: {
      KEHOU_DB: db,
      PORT: '0',
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      KEHOU_LOG_LEVEL: 'silent',
      KEHOU_LOGIN_RATE_PER_MIN: '100000',
    },
  });
  const url = await until(
    () => /Kehou is serving (http:\/\/127\.0\.0\.1:\d+)/u.exec(started.output())?.[1] ?? null,
    60_000,
  );
  return {
    url,
    pid: started.child.pid ?? 0,
    async stop() {
      started.child.kill('SIGTERM');
      await started.exited;
    },
  };
}

async function signIn(url: string): Promise<string> {
  const res = await fetch(`${url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'bench', password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`sign-in answered ${res.status}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

interface Samples {
  query: number[];
  health: number[];
  healthFailures: number;
  peakRss: number;
}

/** Times the dashboard query and /healthz, one after the other, until `done` settles (or `done` pairs). */
async function probe(
  server: Server,
  cookie: string,
  month: string,
  done: Promise<unknown> | number,
) {
  let finished = false;
  if (typeof done !== 'number') void done.finally(() => (finished = true));
  const samples: Samples = { query: [], health: [], healthFailures: 0, peakRss: 0 };
  const body = JSON.stringify({
    query: `query ($m: String!) { overview(month: $m) { schoolsInScope participationRate schoolCoverageRate } }`,
    variables: { m: month },
  });
  const rss = setInterval(() => {
    samples.peakRss = Math.max(samples.peakRss, memory(server.pid).rss);
  }, 50);
  try {
    do {
      let t = performance.now();
      const q = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body,
      });
      await q.text();
      samples.query.push(performance.now() - t);
      t = performance.now();
      const h = await fetch(`${server.url}/healthz`);
      await h.text();
      samples.health.push(performance.now() - t);
      if (h.status !== 200) samples.healthFailures += 1;
    } while (typeof done === 'number' ? samples.query.length < done : !finished);
  } finally {
    clearInterval(rss);
  }
  return samples;
}

/**
 * Uploads `files` from a separate Node process, as a clerk's browser would from another
 * machine: building and sending a 35 MB body must not slow this process's own probes.
 */
const UPLOADER = `
const [url, cookie, ...files] = process.argv.slice(1);
const { readFileSync } = await import('node:fs');
const form = new FormData();
for (const path of files) form.append('files', new Blob([readFileSync(path)]), path.split('/').at(-1));
const t = performance.now();
const res = await fetch(url + '/api/uploads', { method: 'POST', headers: { cookie }, body: form });
const answer = await res.json();
const summary = (answer.files ?? []).map((f) => f.error?.split(' / ')[0] ?? (f.rowsLoaded ?? 0) + ' rows loaded').join('; ');
process.stdout.write(JSON.stringify({ status: res.status, ms: performance.now() - t, summary }));
`;

function upload(
  url: string,
  cookie: string,
  files: readonly string[],
): Promise<{ status: number; ms: number; summary: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', UPLOADER, url, cookie, ...files],
      { maxBuffer: 1 << 20 },
      (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout))),
    );
  });
}

function report(name: string, s: Samples, idle: Samples | null): void {
  const p95 = quantile(s.query, 0.95);
  const ratio = idle ? ` (${(p95 / quantile(idle.query, 0.95)).toFixed(2)}× idle, target ≤ 2)` : '';
  console.log(
    `${name.padEnd(22)} query p50 ${ms(quantile(s.query, 0.5))}, p95 ${ms(p95)}${ratio}; ` +
      `/healthz p50 ${ms(quantile(s.health, 0.5))}, p95 ${ms(quantile(s.health, 0.95))}, max ${ms(Math.max(...s.health))}, ` +
      `${s.healthFailures} not 200 of ${s.health.length}; server RSS peak ${s.peakRss.toFixed(0)} MiB`,
  );
}

export async function benchResilience(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kehou-resilience-'));
  try {
    const db = join(dir, 'kehou.duckdb');
    copyFileSync(demoWarehouse(false), db);
    const setup = await openWarehouse(db);
    const conn = await setup.connect();
    const month = String(
      (await conn.runAndReadAll('SELECT max(month) AS m FROM monthly_reports')).getRowObjectsJS()[0]
        ?.m,
    );
    conn.closeSync();
    await insertUser(setup.db, {
      username: 'bench',
      displayName: '压测',
      role: 'BUREAU_INSPECTOR',
      inspectorId: null,
      passwordHash: await hashPassword(PASSWORD),
    });
    await setup.close();

    console.log('writing the hostile and heavy files …');
    const bomb = join(dir, '炸弹.xlsx');
    await writeZip(
      bomb,
      workbookParts([{ name: 'Sheet1', body: repeatedRows(1_100 * 1024 * 1024) }]),
    );
    const huge = join(dir, '七百九十万行.xlsx');
    // One cell a row keeps it under the 50 MB upload limit, as the file that broke the server was.
    await writeZip(huge, workbookParts([{ name: 'Sheet1', body: sheetRows(7_900_000, 1) }]));
    mkdirSync(join(dir, 'real'));
    const real = await generateBenchFiles(join(dir, 'real'), 2_000);
    console.log(
      `zip bomb ${(statSync(bomb).size / 1048576).toFixed(1)} MB, 7.9M rows ${(statSync(huge).size / 1048576).toFixed(1)} MB, ` +
        `real load ${real.rows.toLocaleString('en')} participation rows`,
    );

    const server = await startServer(db);
    console.log(`server pid ${server.pid}, RSS at start ${memory(server.pid).rss.toFixed(0)} MiB`);
    try {
      const cookie = await signIn(server.url);
      // Warm-up, then 200 idle pairs.
      await probe(server, cookie, month, 20);
      const idle = await probe(server, cookie, month, 200);
      report('idle', idle, null);

      // Each hostile file is sent several times in a row, so the phase lasts long enough
      // for its percentiles to mean something.
      for (const [name, files, times] of [
        ['zip bomb', [bomb], 10],
        ['7.9 million rows', [huge], 5],
      ] as const) {
        const answers: Array<Awaited<ReturnType<typeof upload>>> = [];
        const sent = (async () => {
          for (let i = 0; i < times; i += 1) answers.push(await upload(server.url, cookie, files));
        })();
        const during = await probe(server, cookie, month, sent);
        await sent;
        report(name, during, idle);
        const seconds = answers.map((a) => (a.ms / 1000).toFixed(1)).join(', ');
        console.log(
          `${''.padEnd(22)} ${times} uploads answered ${[...new Set(answers.map((a) => a.status))].join('/')} in ${seconds} s: ${answers[0]?.summary ?? ''}`,
        );
      }

      const sent = upload(server.url, cookie, [real.registry, real.participation]);
      const signIns: number[] = [];
      const refreshes: number[] = [];
      const signOuts: number[] = [];
      let finished = false;
      void sent.finally(() => (finished = true));
      const sessions = (async () => {
        while (!finished) {
          let t = performance.now();
          const c = await signIn(server.url);
          signIns.push(performance.now() - t);
          t = performance.now();
          await (await fetch(`${server.url}/auth/session`, { headers: { cookie: c } })).text();
          refreshes.push(performance.now() - t);
          t = performance.now();
          await fetch(`${server.url}/auth/logout`, { method: 'POST', headers: { cookie: c } });
          signOuts.push(performance.now() - t);
        }
      })();
      const during = await probe(server, cookie, month, sent);
      await sessions;
      const answer = await sent;
      report('real load', during, idle);
      console.log(
        `${''.padEnd(22)} upload answered ${answer.status} in ${(answer.ms / 1000).toFixed(1)} s: ${answer.summary}`,
      );
      console.log(
        `${''.padEnd(22)} sign-in p50 ${ms(quantile(signIns, 0.5))}, p95 ${ms(quantile(signIns, 0.95))} (target ≤ 500 ms, ${signIns.length} sign-ins); ` +
          `session p95 ${ms(quantile(refreshes, 0.95))}; sign-out p95 ${ms(quantile(signOuts, 0.95))}`,
      );
      console.log(
        `server RSS high-water mark over the run: ${memory(server.pid).hwm.toFixed(0)} MiB`,
      );
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
