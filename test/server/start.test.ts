/**
 * `npm start` as an operator meets it: the server holds the warehouse file, `etl load`
 * stops at once naming it, and SIGTERM shuts it down cleanly (exit 0, marker gone, the
 * warehouse openable again). Run as `node --import tsx` so the signal reaches the server
 * itself rather than an npx wrapper.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { storeDemoPolicy } from '../../etl/demo/demo-policy.ts';
import { openWarehouse } from '../../server/db/connect.ts';
import { startServer } from '../../server/http/serve.ts';
import { query } from '../helpers/with-warehouse.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const REGISTRY = fileURLToPath(new URL('../fixtures/etl/学校名录.xlsx', import.meta.url));

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** NODE_ENV is left unset, as `npm start` runs (Apollo, for one, behaves differently under test). */
function run(script: string, args: string[], env: NodeJS.ProcessEnv) {
  const started = Date.now();
  const inherited = { ...process.env };
  delete inherited.NODE_ENV;
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: root,
    env: { ...inherited, FORCE_COLOR: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<Exit>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
  const output = () => stdout;
  return { child, exited, output };
}

async function until<T>(probe: () => T | null | Promise<T | null>, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

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
    expect(etl.stdout).toBe('');
    expect(etl.stderr).toContain(
      `The warehouse ${db} is held by the running server (pid ${server.pid}, ${url}).`,
    );
    expect(etl.stderr).toContain(
      `curl -b cookies.txt -F files=@月报.xlsx -F files=@学校名录.xlsx ${url}/api/uploads`,
    );
    // Re-judging flags needs the warehouse too: it names the server and says to stop it first.
    const flags = await run('etl/cli.ts', ['flags', '--json'], { KEHOU_DB: db }).exited;
    expect(flags.code).toBe(1);
    expect(flags.stdout).toBe('');
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
