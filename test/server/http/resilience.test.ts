/**
 * The server as an operator meets it on a bad day: the engine invalidates the warehouse,
 * a query runs away, a client trickles its body, a long upload runs while people sign in.
 * Each case runs the real app over HTTP on loopback.
 */
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPaths } from '../../../etl/index.ts';
import { DEFAULT_AUTH_CONFIG } from '../../../server/auth/auth-config.ts';
import { hashPassword } from '../../../server/auth/password.ts';
import type { ServerConfig } from '../../../server/config.ts';
import { openWarehouse, type Warehouse } from '../../../server/db/connect.ts';
import { QueryScope, QueryTimeoutError, runInQueryScope } from '../../../server/db/query-scope.ts';
import { WarehouseWriter } from '../../../server/db/writer.ts';
import { insertUser } from '../../../server/graphql/users/users.repository.ts';
import { createApp, type AppDeps } from '../../../server/http/app.ts';
import { API_FIXTURES, FIXTURE_LOADED_AT } from '../../helpers/api-fixture.ts';
import { localServerConfig } from '../../helpers/local-server.ts';
import { until } from '../../helpers/until.ts';

const PASSWORD = 'resilience-test-password';
const REGISTRY = fileURLToPath(new URL('../../fixtures/etl/学校名录.xlsx', import.meta.url));

interface Served {
  url: string;
  warehouse: Warehouse;
  close(): Promise<void>;
}

let dir: string;
let served: Served | null = null;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kehou-resilience-'));
});

afterEach(async () => {
  await served?.close();
  served = null;
  await rm(dir, { recursive: true, force: true });
});

/** The fixture district with a bureau inspector, served by the real app. */
async function serve(
  warehouse: Warehouse,
  config: Partial<ServerConfig> = {},
  extra: Partial<AppDeps> = {},
): Promise<Served> {
  await loadPaths(warehouse, [API_FIXTURES], { user: 'test', now: FIXTURE_LOADED_AT });
  const writer = await WarehouseWriter.open(warehouse);
  const authWriter = await WarehouseWriter.open(warehouse);
  const passwordHash = await hashPassword(PASSWORD);
  await writer.write(({ db }) =>
    insertUser(db, {
      username: 'bureau',
      displayName: '督导科',
      role: 'BUREAU_INSPECTOR',
      inspectorId: null,
      passwordHash,
    }),
  );
  const httpServer: Server = createServer();
  const { app, apollo } = await createApp({
    warehouse,
    writer,
    authWriter,
    config: localServerConfig(warehouse.path, config),
    auth: { ...DEFAULT_AUTH_CONFIG, secureCookies: false, loginRatePerMinute: 10_000 },
    log: pino({ level: process.env.KEHOU_TEST_LOG ?? 'silent' }),
    httpServer,
    ...extra,
  });
  httpServer.on('request', app);
  httpServer.listen(0, '127.0.0.1');
  await once(httpServer, 'listening');
  return {
    url: `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`,
    warehouse,
    async close() {
      httpServer.closeAllConnections();
      await new Promise((r) => httpServer.close(r));
      await apollo.stop();
      await writer.close();
      await authWriter.close();
      await warehouse.close();
    },
  };
}

async function signIn(url: string): Promise<string> {
  const res = await fetch(`${url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'bureau', password: PASSWORD }),
  });
  expect(res.status).toBe(200);
  return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

async function graphql(
  url: string,
  cookie: string,
  query: string,
): Promise<{
  data?: Record<string, unknown> | null;
  errors?: { extensions?: { code?: string } }[];
}> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ query }),
  });
  return (await res.json()) as Awaited<ReturnType<typeof graphql>>;
}

const SCHOOLS = '{ schools(month: "2025-10", first: 5) { total items { school { code } } } }';

describe('an engine failure', () => {
  it('makes /healthz answer 503 while the warehouse cannot be used, then everything works again without a restart', async () => {
    const path = join(dir, 'k.duckdb');
    const warehouse = await openWarehouse(path, {
      firstInstanceSettings: { debug_checkpoint_abort: 'before_header' },
      reopenRetryMs: 50,
    });
    served = await serve(warehouse);
    const { url } = served;
    const cookie = await signIn(url);
    const before = await graphql(url, cookie, SCHOOLS);
    expect(before.errors).toBeUndefined();

    // The file is taken away, then the engine fails: the re-open cannot succeed yet.
    const aside = join(dir, 'aside');
    await mkdir(aside);
    for (const f of ['k.duckdb', 'k.duckdb.wal'])
      if (existsSync(join(dir, f))) await rename(join(dir, f), join(aside, f));
    await mkdir(path);
    const conn = await warehouse.connect();
    await expect(conn.run('CHECKPOINT')).rejects.toThrow(/FATAL Error/u);
    conn.closeSync();

    const down = await until(async () => {
      const res = await fetch(`${url}/healthz`);
      const body = (await res.json()) as { state?: string };
      return res.status === 503 && body.state === 'unavailable' ? body : null;
    });
    expect(down).toEqual({ ok: false, state: 'unavailable' });
    const meanwhile = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ query: SCHOOLS }),
    });
    expect(meanwhile.status).toBe(503);
    expect(await meanwhile.json()).toEqual({
      error: {
        code: 'WAREHOUSE_UNAVAILABLE',
        message:
          '数据仓库暂不可用，正在恢复，请稍后重试 / the warehouse is unavailable while it recovers; try again shortly',
      },
    });

    await rm(path, { recursive: true });
    for (const f of await readdir(aside)) await rename(join(aside, f), join(dir, f));
    await until(async () => ((await fetch(`${url}/healthz`)).status === 200 ? true : null));
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ ok: true });
    expect(warehouse.generation).toBe(2);
    // The session survived (it is in the file), reads work, and so do both writers.
    expect(await graphql(url, cookie, SCHOOLS)).toEqual(before);
    const again = await signIn(url);
    expect(await graphql(url, again, '{ me { username } }')).toEqual({
      data: { me: { username: 'bureau' } },
    });
  });
});

describe('the query deadline', () => {
  it('interrupts a runaway statement of a request and leaves the connection pool healthy', async () => {
    const warehouse = await openWarehouse(':memory:');
    try {
      const scope = new QueryScope();
      scope.arm(200);
      const started = Date.now();
      await expect(
        runInQueryScope(scope, () =>
          sql`SELECT count(*) FROM range(100000000000)`.execute(warehouse.db),
        ),
      ).rejects.toBeInstanceOf(QueryTimeoutError);
      expect(Date.now() - started).toBeLessThan(5_000);
      // Later statements of the timed-out request are refused at once.
      await expect(
        runInQueryScope(scope, () => sql`SELECT 1`.execute(warehouse.db)),
      ).rejects.toBeInstanceOf(QueryTimeoutError);
      expect(await sql`SELECT 42 AS n`.execute(warehouse.db)).toMatchObject({
        rows: [{ n: 42 }],
      });
      expect(warehouse.generation).toBe(1);
    } finally {
      await warehouse.close();
    }
  });

  it('answers QUERY_TIMEOUT to a GraphQL request that runs past it, and the server answers on', async () => {
    const warehouse = await openWarehouse(':memory:');
    served = await serve(warehouse, { queryTimeoutMs: 300 });
    const { url } = served;
    const cookie = await signIn(url);
    // The registry becomes a view that takes minutes to compute.
    const conn = await warehouse.connect();
    await conn.run('ALTER TABLE schools RENAME TO schools_kept');
    await conn.run(
      `CREATE VIEW schools AS SELECT s.* FROM schools_kept s, (SELECT count(*) AS n FROM range(100000000000)) slow WHERE slow.n > 0`,
    );
    conn.closeSync();
    const started = Date.now();
    const answer = await graphql(url, cookie, SCHOOLS);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(answer.errors?.[0]).toMatchObject({
      message:
        '查询超时：超过 0.3 秒，已中止，请缩小范围后重试 / query timed out after 0.3 s and was stopped; narrow the request and try again',
      extensions: { code: 'QUERY_TIMEOUT' },
    });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(await graphql(url, cookie, '{ me { username } }')).toEqual({
      data: { me: { username: 'bureau' } },
    });
  });
});

describe('HTTP hardening', () => {
  it('serves no Apollo landing page on GET /graphql', async () => {
    served = await serve(await openWarehouse(':memory:'), { production: true });
    const cookie = await signIn(served.url);
    const res = await fetch(`${served.url}/graphql`, {
      headers: { accept: 'text/html', 'apollo-require-preflight': 'true', cookie },
    });
    expect(res.headers.get('content-type')).not.toMatch(/html/u);
    expect(res.status).not.toBe(200);
  });

  /** Sends the start of a body and then nothing; resolves with the status and when the socket closed. */
  function trickle(
    url: string,
    path: string,
    headers: Record<string, string>,
    first: string,
  ): Promise<{ status: number; body: string; ms: number }> {
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const req = request(`${url}${path}`, { method: 'POST', headers });
      req.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.on('close', () =>
          resolve({ status: res.statusCode ?? 0, body, ms: Date.now() - started }),
        );
      });
      req.on('error', reject);
      req.write(first);
    });
  }

  it('cuts a request body that has not arrived in time, and an upload that stalls', async () => {
    served = await serve(await openWarehouse(':memory:'), { bodyTimeoutMs: 300 });
    const { url } = served;
    const slow = await trickle(
      url,
      '/graphql',
      { 'content-type': 'application/json', 'content-length': '500' },
      '{"query":',
    );
    expect(slow.status).toBe(408);
    expect(JSON.parse(slow.body)).toMatchObject({ error: { code: 'REQUEST_TIMEOUT' } });
    expect(slow.ms).toBeLessThan(3_000);

    const cookie = await signIn(url);
    const stalled = await trickle(
      url,
      '/api/uploads',
      {
        cookie,
        'content-type': 'multipart/form-data; boundary=x',
        'content-length': '1000000',
      },
      '--x\r\nContent-Disposition: form-data; name="files"; filename="a.csv"\r\n\r\n',
    );
    expect(stalled.status).toBe(408);
    expect(stalled.ms).toBeLessThan(3_000);
  });

  it('lets an upload that keeps moving take longer than a body may', async () => {
    served = await serve(await openWarehouse(':memory:'), { bodyTimeoutMs: 300 });
    const { url } = served;
    const cookie = await signIn(url);
    const boundary = 'kehou-slow';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="说明.csv"\r\nContent-Type: text/csv\r\n\r\n`,
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    // 32 KB every 150 ms for about 1.5 s: five times the body limit, never stalled.
    const line = Buffer.from(`${'说明文字'.repeat(8)}\n`);
    const block = Buffer.concat(
      Array.from({ length: Math.ceil(32_768 / line.length) }, () => line),
    );
    const chunks = [head, ...Array.from({ length: 10 }, () => block), tail];
    const started = Date.now();
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${url}/api/uploads`, {
        method: 'POST',
        headers: {
          cookie,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': String(chunks.reduce((n, c) => n + c.length, 0)),
        },
      });
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      let i = 0;
      const next = (): void => {
        const chunk = chunks[i++];
        if (!chunk) return void req.end();
        req.write(chunk);
        setTimeout(next, 150);
      };
      next();
    });
    expect(Date.now() - started).toBeGreaterThan(1_400);
    // Loaded and judged (a file of no known kind: 422), not cut.
    expect(status).toBe(422);
  });
});

describe('signing in during a long upload', () => {
  it('never waits for the upload: sign-in, session refresh and sign-out answer while a load holds the writer', async () => {
    let clock = new Date('2025-11-20T09:00:00+08:00');
    let reached!: () => void;
    const inside = new Promise<void>((r) => (reached = r));
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    served = await serve(
      await openWarehouse(':memory:'),
      {},
      {
        now: () => clock,
        uploadBeforeCommit: async () => {
          reached();
          await held;
        },
      },
    );
    const { url } = served;
    const uploader = await signIn(url);
    const body = new FormData();
    body.append(
      'files',
      new Blob([await import('node:fs/promises').then((fs) => fs.readFile(REGISTRY))]),
      '学校名录.xlsx',
    );
    const uploading = fetch(`${url}/api/uploads`, {
      method: 'POST',
      headers: { cookie: uploader },
      body,
    });
    await inside;

    const times: number[] = [];
    const timed = async <T>(fn: () => Promise<T>): Promise<T> => {
      const t = performance.now();
      const value = await fn();
      times.push(performance.now() - t);
      return value;
    };
    for (let i = 0; i < 10; i += 1) {
      const cookie = await timed(() => signIn(url));
      // Two minutes later the session's last use is written again (a refresh).
      clock = new Date(clock.getTime() + 2 * 60_000);
      const me = await timed(() => graphql(url, cookie, '{ me { username } }'));
      expect(me).toEqual({ data: { me: { username: 'bureau' } } });
      const out = await timed(() =>
        fetch(`${url}/auth/logout`, { method: 'POST', headers: { cookie } }),
      );
      expect(out.status).toBe(204);
    }
    let finished = false;
    void uploading.then(() => (finished = true));
    expect(finished).toBe(false);
    const sorted = [...times].sort((a, b) => a - b);
    expect(sorted[Math.ceil(sorted.length * 0.95) - 1]).toBeLessThan(500);

    release();
    expect((await uploading).status).toBe(200);
  });
});
