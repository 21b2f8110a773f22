/**
 * `npm start` as an operator meets it: the server holds the warehouse file, `etl load`
 * stops at once naming it, and SIGTERM shuts it down cleanly (exit 0, marker gone, the
 * warehouse openable again). Run as `node --import tsx` so the signal reaches the server
 * itself rather than an npx wrapper.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { storeDemoPolicy } from '../../etl/demo/demo-policy.ts';
import { hashPassword } from '../../server/auth/password.ts';
import { openWarehouse } from '../../server/db/connect.ts';
import { insertUser } from '../../server/graphql/users/users.repository.ts';
import { startServer } from '../../server/http/serve.ts';
import { spawnScript } from '../helpers/run-script.ts';
import { until } from '../helpers/until.ts';
import { query } from '../helpers/with-warehouse.ts';

const REGISTRY = fileURLToPath(new URL('../fixtures/etl/学校名录.xlsx', import.meta.url));

/** NODE_ENV is left unset, as `npm start` runs (Apollo, for one, behaves differently under test). */
const run = (script: string, args: string[], env: NodeJS.ProcessEnv) =>
  spawnScript(script, args, { env, unsetNodeEnv: true });

let dir: string;
let db: string;
let server: ChildProcess | null = null;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kehou-start-'));
  db = join(dir, 'kehou.duckdb');
});

afterEach(async () => {
  if (server?.exitCode === null) server.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

// Two processes start and stop per test: generous on a busy 2-core machine.
describe('server/start.ts', { timeout: 60_000 }, () => {
  it('refuses to start with a broken evaluation scheme, naming what is wrong', async () => {
    const scheme = join(dir, 'scheme.yaml');
    await writeFile(scheme, 'name: 坏方案\nversions: []\n');
    const started = run('server/start.ts', [], {
      KEHOU_DB: db,
      PORT: '0',
      HOST: '127.0.0.1',
      KEHOU_EVALUATION_SCHEME: scheme,
    });
    server = started.child;
    const exit = await started.exited;
    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain('服务器无法启动');
    expect(exit.stderr).toContain('scheme.yaml 无效 / invalid');
    expect(exit.stderr).toContain('at least one version');
    expect(exit.stdout).not.toContain('Kehou is serving');
  });

  it('holds the warehouse, makes etl name it, and stops cleanly on SIGTERM', async () => {
    const started = run('server/start.ts', [], { KEHOU_DB: db, PORT: '0', HOST: '127.0.0.1' });
    server = started.child;
    const url = await until(
      () => /Kehou is serving (http:\/\/127\.0\.0\.1:\d+)/u.exec(started.output())?.[1] ?? null,
      20_000,
    );
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });
    expect(JSON.parse(await readFile(`${db}.server.json`, 'utf8'))).toMatchObject({
      pid: server.pid,
      url,
    });

    const etl = await run('etl/cli.ts', ['load', REGISTRY, '--json'], { KEHOU_DB: db }).exited;
    expect(etl.code).toBe(1);
    expect(etl.ms).toBeLessThan(10_000);
    // --json: stdout is still exactly one JSON document, saying why nothing was loaded.
    const refused = JSON.parse(etl.stdout) as Record<string, unknown>;
    expect(refused).toMatchObject({ dryRun: false, files: [], errorCode: 'WAREHOUSE_LOCKED' });
    expect(refused.error).toContain(`held by the running server (pid ${server.pid}, ${url})`);
    expect(etl.stderr).toContain(
      `The warehouse ${db} is held by the running server (pid ${server.pid}, ${url}).`,
    );
    expect(etl.stderr).toContain(
      `curl -b cookies.txt -F files=@月报.xlsx -F files=@学校名录.xlsx ${url}/api/uploads`,
    );
    // Re-judging flags needs the warehouse too: it names the server and says to stop it first.
    const flags = await run('etl/cli.ts', ['flags', '--json'], { KEHOU_DB: db }).exited;
    expect(flags.code).toBe(1);
    expect(JSON.parse(flags.stdout)).toMatchObject({ ok: false, errorCode: 'WAREHOUSE_LOCKED' });
    expect(flags.stderr).toContain(
      `The warehouse ${db} is held by the running server (pid ${server.pid}, ${url}).`,
    );

    server.kill('SIGTERM');
    const exit = await started.exited;
    expect(exit.code).toBe(0);
    expect(existsSync(`${db}.server.json`)).toBe(false);
    const warehouse = await openWarehouse(db);
    try {
      expect(await query(warehouse, 'SELECT count(*)::INTEGER AS n FROM users')).toEqual([
        { n: 0 },
      ]);
    } finally {
      await warehouse.close();
    }
  });

  it('refuses to start a second server on the same warehouse and names the first', async () => {
    const first = run('server/start.ts', [], { KEHOU_DB: db, PORT: '0', HOST: '127.0.0.1' });
    server = first.child;
    const url = await until(
      () => /Kehou is serving (http:\/\/127\.0\.0\.1:\d+)/u.exec(first.output())?.[1] ?? null,
      20_000,
    );
    const second = await run('server/start.ts', [], { KEHOU_DB: db, PORT: '0' }).exited;
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`(pid ${server.pid}, ${url})`);
    expect(second.stderr).toContain('a server is already running');
    // The refused second start must not remove the first server's marker.
    expect(existsSync(`${db}.server.json`)).toBe(true);
    server.kill('SIGINT');
    expect((await first.exited).code).toBe(0);
  });
});

describe('a server killed during an upload', { timeout: 90_000 }, () => {
  it('leaves no temp files or stale marker at the next start, and the audit says the upload did not finish', async () => {
    const password = 'kill-test-password-2026';
    const setup = await openWarehouse(db);
    try {
      await insertUser(setup.db, {
        username: 'bureau',
        displayName: '局督学',
        role: 'BUREAU_INSPECTOR',
        inspectorId: null,
        passwordHash: await hashPassword(password),
      });
    } finally {
      await setup.close();
    }
    const serve = () => {
      const started = run('server/start.ts', [], { KEHOU_DB: db, PORT: '0', HOST: '127.0.0.1' });
      const url = until(
        () => /Kehou is serving (http:\/\/127\.0\.0\.1:\d+)/u.exec(started.output())?.[1] ?? null,
        30_000,
      );
      return { ...started, url };
    };
    const first = serve();
    server = first.child;
    const url = await first.url;
    const login = await fetch(`${url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bureau', password }),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

    // Half an upload: the headers and the start of a file, then nothing.
    const boundary = 'kehou-kill-test';
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="月报.csv"\r\nContent-Type: text/csv\r\n\r\n`;
    const upload = request(`${url}/api/uploads`, {
      method: 'POST',
      headers: {
        cookie,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(10_000_000),
      },
    });
    upload.on('error', () => undefined);
    upload.write(head + '学校标识码,填报月份\n'.repeat(2_000));
    const work = join(dir, 'kehou.work');
    await until(async () => {
      const markers = await readdir(join(work, 'uploads')).catch(() => []);
      const temps = await readdir(join(work, 'tmp')).catch(() => []);
      return markers.length === 1 && temps.length === 1 ? true : null;
    }, 20_000);
    server.kill('SIGKILL');
    await first.exited;
    upload.destroy();

    const second = serve();
    server = second.child;
    await second.url;
    expect(await readdir(join(work, 'tmp'))).toEqual([]);
    expect(await readdir(join(work, 'uploads'))).toEqual([]);
    expect(JSON.parse(await readFile(`${db}.server.json`, 'utf8'))).toMatchObject({
      pid: server.pid,
    });
    server.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);

    const warehouse = await openWarehouse(db);
    try {
      const rows = await query(
        warehouse,
        `SELECT username, outcome, json_extract_string(detail, '$.error') AS error FROM audit_log WHERE action = 'upload'`,
      );
      expect(rows).toEqual([{ username: 'bureau', outcome: 'failed', error: 'INTERRUPTED' }]);
    } finally {
      await warehouse.close();
    }
  });
});

describe('startServer: the policy in force', () => {
  it('judges metrics by the warehouse’s policy, the one the ETL raises flags by', async () => {
    const warehouse = await openWarehouse(':memory:');
    await storeDemoPolicy(warehouse);
    const server = await startServer({
      warehouse,
      config: { port: 0, host: '127.0.0.1' },
      log: pino({ level: 'silent' }),
    });
    try {
      expect(server.policy.district).toBe('清河县');
      expect(server.policy.versions.map((v) => v.version)).toEqual(['2024.1', '2025.1']);
    } finally {
      await server.close();
    }
  });

  it('stores the default policy in a warehouse that has none', async () => {
    const warehouse = await openWarehouse(':memory:');
    const server = await startServer({
      warehouse,
      config: { port: 0, host: '127.0.0.1' },
      log: pino({ level: 'silent' }),
    });
    try {
      expect(server.policy.versions.map((v) => v.version)).toEqual(['2021.1']);
      expect(await query(warehouse, `SELECT file_name, loaded_by FROM policy_files`)).toEqual([
        { file_name: 'district-policy.yaml', loaded_by: 'default' },
      ]);
    } finally {
      await server.close();
    }
  });
});
