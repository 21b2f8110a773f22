/**
 * `npm run bench -- web [--runs 5] [--fresh]`
 *
 * The dashboard as a user meets it, on the demo district (150 schools, loaded through the
 * real ETL by `npm run demo -- --no-serve` once and cached under data/bench/): the built
 * web/dist served by the real app (gzip on), headless Debian Chromium at 1366×768.
 * - Size: JS and CSS the browser fetched from opening the sign-in page until the overview's
 *   charts were drawn, raw and gzipped (target ≤ 400 KB gzipped).
 * - Time: from clicking 登录 until every chart of 总览 has drawn (target ≤ 1.5 s), each run
 *   in a fresh browser context (cold cache, new session), median of the runs.
 * - Baseline in the same run: hand-written DuckDB SQL of the same figures on the same
 *   warehouse (the month's overview aggregate and its 12-month trend, raw-sql.ts), so the
 *   ratios say how much the whole page, and its OverviewSummary request (the same overview
 *   and trend through GraphQL, as the browser timed it), cost over the warehouse's own work.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pino } from 'pino';
import { build } from 'vite';
import { DEFAULT_AUTH_CONFIG } from '../../server/auth/auth-config.ts';
import { ensureDemoUsers } from '../../server/auth/demo-users.ts';
import { openWarehouse } from '../../server/db/connect.ts';
import { WarehouseWriter } from '../../server/db/writer.ts';
import { semesterStart } from '../../server/graphql/scope/months.ts';
import { createApp } from '../../server/http/app.ts';
import { chartsSettledInPage, launchBrowser } from '../helpers/browser.ts';
import { RAW_TREND, rawOverview } from './raw-sql.ts';
import { demoWarehouse, ROOT } from './demo-warehouse.ts';
import { localServerConfig } from '../helpers/local-server.ts';

export interface WebBenchArgs {
  runs: number;
  fresh: boolean;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function benchWeb(args: WebBenchArgs): Promise<void> {
  const t0 = performance.now();
  await build({ configFile: join(ROOT, 'web/vite.config.ts'), logLevel: 'warn' });
  console.log(`built web/dist in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const dbPath = demoWarehouse(args.fresh);

  const warehouse = await openWarehouse(dbPath);
  const writer = await WarehouseWriter.open(warehouse);
  const password = randomBytes(12).toString('hex');
  await ensureDemoUsers(writer, warehouse.db, password);
  const config = localServerConfig(dbPath);
  const httpServer = createServer();
  const { app, apollo } = await createApp({
    warehouse,
    writer,
    config,
    auth: { ...DEFAULT_AUTH_CONFIG, secureCookies: false, loginRatePerMinute: 1000 },
    log: pino({ level: 'silent' }),
    httpServer,
  });
  httpServer.on('request', app);
  httpServer.listen(0, '127.0.0.1');
  await once(httpServer, 'listening');
  const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  const conn = await warehouse.connect();
  const month = (
    await conn.runAndReadAll(`SELECT max(month) AS m FROM monthly_reports`)
  ).getRowObjectsJS()[0]!.m as string;
  const [y, m] = month.split('-').map(Number) as [number, number];
  const start = y * 12 + m - 1 - 11;
  const from = `${Math.floor(start / 12)}-${String((start % 12) + 1).padStart(2, '0')}`;

  const browser = await launchBrowser();
  const pageMs: number[] = [];
  const rawMs: number[] = [];
  const summaryMs: number[] = [];
  let assets = new Map<string, Buffer>();
  let graphqlRequests = 0;
  try {
    for (let run = 0; run < args.runs + 1; run++) {
      const context = await browser.newContext({
        viewport: { width: 1366, height: 768 },
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
      });
      const page = await context.newPage();
      const fetched = new Map<string, Buffer>();
      const pending: Promise<void>[] = [];
      let requests = 0;
      const timings: string[] = [];
      let summary: number | null = null;
      page.on('request', (r) => {
        if (r.url().endsWith('/graphql')) requests += 1;
      });
      page.on('requestfinished', (r) => {
        const path = new URL(r.url()).pathname;
        if (path !== '/graphql' && path !== '/auth/login') return;
        const name =
          path === '/auth/login'
            ? 'sign-in (argon2id)'
            : (/(?:query|mutation)\s+(\w+)/.exec(r.postData() ?? '')?.[1] ?? 'anonymous');
        const t = r.timing();
        const ms = t.responseEnd - t.requestStart;
        if (name === 'OverviewSummary') summary = ms;
        timings.push(`${name} ${Math.round(ms)} ms`);
      });
      page.on('response', (r) => {
        if (/\.(js|css)$/.test(new URL(r.url()).pathname))
          pending.push(r.body().then((b) => void fetched.set(r.url(), b)));
      });
      await page.goto(`${url}/login`);
      await page.getByLabel('用户名').fill('demo-bureau');
      await page.getByLabel('密码').fill(password);
      await page.waitForLoadState('networkidle');
      const started = performance.now();
      await page.getByRole('button', { name: '登录' }).click();
      await page.waitForURL('**/overview**');
      await page.waitForFunction(chartsSettledInPage, undefined, {
        polling: 'raf',
        timeout: 30_000,
      });
      const ms = performance.now() - started;
      await Promise.all(pending);
      await context.close();

      const r0 = performance.now();
      await conn.runAndReadAll(rawOverview(false), { month, window: semesterStart(month) });
      await conn.runAndReadAll(RAW_TREND, { from, to: month });
      const raw = performance.now() - r0;
      // The first run warms the server's and DuckDB's caches; it is not counted.
      if (run === 0) {
        console.log(`warm-up: page ${ms.toFixed(0)} ms, raw ${raw.toFixed(0)} ms`);
        continue;
      }
      pageMs.push(ms);
      rawMs.push(raw);
      if (summary !== null) summaryMs.push(summary);
      assets = fetched;
      graphqlRequests = requests;
      console.log(
        `run ${run}: sign-in → overview drawn ${ms.toFixed(0)} ms; raw DuckDB ${raw.toFixed(1)} ms; requests ${timings.join(', ')}`,
      );
    }
  } finally {
    await browser.close();
    conn.closeSync();
    await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    await apollo.stop();
    await writer.close();
    await warehouse.close();
  }

  let rawBytes = 0;
  let gzipBytes = 0;
  const lines: string[] = [];
  for (const [asset, body] of [...assets].sort((a, b) => b[1].length - a[1].length)) {
    const gz = gzipSync(body).length;
    rawBytes += body.length;
    gzipBytes += gz;
    lines.push(
      `  ${new URL(asset).pathname.padEnd(44)} ${(body.length / 1024).toFixed(1).padStart(7)} KB  gzip ${(gz / 1024).toFixed(1).padStart(6)} KB`,
    );
  }
  const page = median(pageMs);
  const raw = median(rawMs);
  console.log('');
  console.log(
    `demo district, month ${month}; ${args.runs} runs after a warm-up; ${graphqlRequests} GraphQL requests per page`,
  );
  console.log('first page (sign-in + 总览) JS and CSS:');
  for (const line of lines) console.log(line);
  console.log(
    `  total ${(rawBytes / 1024).toFixed(1)} KB, gzip ${(gzipBytes / 1024).toFixed(1)} KB   (target ≤ 400 KB gzip)`,
  );
  console.log(
    `sign-in → all overview charts drawn (median)  ${page.toFixed(0)} ms   (target ≤ 1500 ms)`,
  );
  console.log(`raw DuckDB overview + 12-month trend (median) ${raw.toFixed(1)} ms`);
  console.log(`ratio page / raw DuckDB                      ${(page / raw).toFixed(1)}`);
  if (summaryMs.length > 0) {
    const summary = median(summaryMs);
    console.log(
      `OverviewSummary request, overview + trend (median) ${summary.toFixed(1)} ms; ratio to raw DuckDB ${(summary / raw).toFixed(2)}`,
    );
  }
}
