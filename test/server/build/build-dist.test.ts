/**
 * The production build as a bureau's IT staff meet it: a fresh checkout of the sources
 * compiles (`npm run build:server`; the dashboard's vite build is the global setup's), and
 * what it compiled runs under plain node, with no TypeScript tooling in the process: the
 * users and etl CLIs (an .xlsx, so the workbook reader's worker thread starts from its
 * compiled module), the server (/healthz, sign-in, a GraphQL query over what the ETL
 * loaded, the dashboard), stack traces that name .ts lines. Then the same from a real
 * production install (`npm ci --omit=dev`, from the npm cache), where tsx, vite and
 * TypeScript are not even installed, and `npm run -s users` runs the compiled module.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../helpers/until.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const REGISTRY = fileURLToPath(new URL('../../fixtures/etl/学校名录.xlsx', import.meta.url));
/** What a checkout needs to build server and ETL. */
const SOURCES = ['server/', 'etl/', 'schema/'];
const TOP = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];
const PASSWORD = 'build-test 课后督导 2026';

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of an operator's shell: no loader smuggled in through NODE_OPTIONS. */
function plainEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0' };
  // Vitest's NODE_ENV=test is not an operator's (Apollo, for one, behaves differently).
  delete env.NODE_OPTIONS;
  delete env.NODE_ENV;
  return { ...env, ...extra };
}

function run(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  stdin = '',
): Promise<Exit> {
  const child = spawn(command, args, { cwd, env: plainEnv(env), stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin.end(stdin);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `node --enable-source-maps <compiled module> …`, as the README tells operators. */
const node = (cwd: string, module: string, args: string[], env: NodeJS.ProcessEnv, stdin = '') =>
  run(process.execPath, ['--enable-source-maps', module, ...args], cwd, env, stdin);

const jsFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.js'))
    .map((e) => join(e.parentPath, e.name));

/**
 * users → etl → server in `dir` on a new warehouse, all compiled: what a deployment does on
 * its first day. Returns the server's process arguments and environment, as the kernel
 * saw them.
 */
async function firstDay(dir: string, env: NodeJS.ProcessEnv): Promise<{ argv: string[] }> {
  const db = join(dir, 'data', 'kehou.duckdb');
  const base = { ...env, KEHOU_DB: db, KEHOU_LOG_LEVEL: 'silent' };

  // The common-password list is a data file beside the compiled module.
  const weak = await node(
    dir,
    'dist/server/auth/cli.js',
    ['add', 'ops', '--role', 'BUREAU_INSPECTOR'],
    base,
    'password1234567\n',
  );
  expect(weak.code).toBe(1);
  expect(weak.stderr).toContain('最常见的密码');
  const add = await node(
    dir,
    'dist/server/auth/cli.js',
    ['add', 'ops', '--role', 'BUREAU_INSPECTOR', '--name', '运维'],
    base,
    `${PASSWORD}\n`,
  );
  expect(add.code, add.stderr).toBe(0);

  const load = await node(dir, 'dist/etl/cli.js', ['load', REGISTRY, '--json'], base);
  expect(load.code, load.stderr).toBe(0);
  expect(JSON.parse(load.stdout)).toMatchObject({
    files: [{ kind: 'registry', rowsRead: 5, rowsSkipped: 1, rowsLoaded: 4, unitsLoaded: 4 }],
  });

  const server = spawn(process.execPath, ['--enable-source-maps', 'dist/server/start.js'], {
    cwd: dir,
    env: plainEnv({ ...base, PORT: '0', HOST: '127.0.0.1' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  server.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  server.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | null>((resolve) => server.on('close', resolve));
  try {
    const url = await until(() => {
      if (server.exitCode !== null) throw new Error(`the server stopped: ${err}`);
      return /Kehou is serving (http:\/\/127\.0\.0\.1:\d+)/u.exec(out)?.[1] ?? null;
    }, 60_000);
    const argv = readFileSync(`/proc/${server.pid}/cmdline`, 'utf8').split('\0').slice(0, -1);

    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="app"');

    const login = await fetch(`${url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'ops', password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const answer = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({
        query: '{ me { username role } loadBatches { total items { fileName kind rowsLoaded } } }',
      }),
    });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({
      data: {
        me: { username: 'ops', role: 'BUREAU_INSPECTOR' },
        loadBatches: {
          total: 1,
          items: [{ fileName: '学校名录.xlsx', kind: 'registry', rowsLoaded: 4 }],
        },
      },
    });

    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    // Logs are silenced: anything on stderr would be a warning or an error of the run itself.
    expect(err).not.toMatch(/Error|错误| at /u);
    return { argv };
  } finally {
    if (server.exitCode === null) server.kill('SIGKILL');
  }
}

let checkout: string;

beforeAll(async () => {
  checkout = await mkdtemp(join(tmpdir(), 'kehou-build-'));
  // A fresh checkout: the tracked (and new, not ignored) sources, no dist/, the installed
  // packages beside them.
  const listed = spawnSync(
    'git',
    ['ls-files', '-co', '--exclude-standard', '-z', ...SOURCES, ...TOP],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  expect(listed.status).toBe(0);
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    if (existsSync(join(ROOT, file))) cpSync(join(ROOT, file), join(checkout, file));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(checkout, 'node_modules'));
  // The dashboard the global setup built (vite), as `npm run build` would have.
  cpSync(join(ROOT, 'web', 'dist'), join(checkout, 'web', 'dist'), { recursive: true });
  const built = await run('npm', ['run', '-s', 'build:server'], checkout, {});
  // npm itself may warn on stderr (about its configuration): the exit status is what counts.
  expect(built.code, built.stderr).toBe(0);
  expect(built.stdout).toContain('compiled into dist/');
}, 240_000);

afterAll(async () => {
  await rm(checkout, { recursive: true, force: true });
});

describe('server/build/build-dist.ts', { timeout: 240_000 }, () => {
  it('compiles server and ETL into dist/ with their data files and no TypeScript loader', () => {
    const modules = jsFiles(join(checkout, 'dist'));
    expect(modules.length).toBeGreaterThan(300);
    for (const module of modules) {
      const text = readFileSync(module, 'utf8');
      expect(text, module).not.toMatch(/from ["']tsx|import\(["']tsx|\.ts["']\)/u);
      expect(existsSync(`${module}.map`), module).toBe(true);
      // Every file a module reads beside itself is there; only the tsx boot of the
      // workbook reader is not, which the compiled host never starts.
      for (const [, asset] of text.matchAll(/new URL\(["'](\.[^"']+)["'], import\.meta\.url\)/gu)) {
        if (asset === './xlsx-worker-boot.mjs') continue;
        expect(existsSync(join(dirname(module), asset!)), `${module} reads ${asset}`).toBe(true);
      }
    }
  });

  it('runs compiled: users, an .xlsx load, the server, sign-in and a query, under plain node', async () => {
    const { argv } = await firstDay(checkout, {});
    // No loader in the server process: its arguments are exactly the README's, and
    // plainEnv() left no NODE_OPTIONS to bring one in.
    expect(argv).toEqual([process.execPath, '--enable-source-maps', 'dist/server/start.js']);
  });

  it('maps a stack trace from the compiled module to the .ts line', async () => {
    const source = readFileSync(join(checkout, 'server', 'graphql', 'schema.ts'), 'utf8').split(
      '\n',
    );
    const line = source.findIndex((l) => l.includes('readdirSync(dir)')) + 1;
    expect(line).toBeGreaterThan(0);
    const failed = await run(
      process.execPath,
      [
        '--enable-source-maps',
        '--input-type=module',
        '-e',
        "const { loadTypeDefs } = await import('./dist/server/graphql/schema.js'); loadTypeDefs('/no/such/schema/');",
      ],
      checkout,
      {},
    );
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('ENOENT');
    expect(failed.stderr).toMatch(new RegExp(`server/graphql/schema\\.ts:${line}:\\d+`, 'u'));
  });

  it('runs from a production install (npm ci --omit=dev) with the README files copied', async () => {
    const prod = await mkdtemp(join(tmpdir(), 'kehou-prod-'));
    try {
      for (const file of ['package.json', 'package-lock.json'])
        cpSync(join(checkout, file), join(prod, file));
      // --offline: the packages come from the npm cache the development install filled.
      const ci = await run(
        'npm',
        ['ci', '--omit=dev', '--offline', '--no-audit', '--no-fund'],
        prod,
        {},
      );
      expect(ci.code, ci.stderr).toBe(0);
      for (const dev of ['tsx', 'typescript', 'vite', 'vue', 'echarts', 'vitest'])
        expect(existsSync(join(prod, 'node_modules', dev)), dev).toBe(false);
      for (const part of ['dist', 'schema', 'web/dist'])
        cpSync(join(checkout, part), join(prod, part), { recursive: true });
      await firstDay(prod, { NODE_ENV: 'production' });
      // The package's CLI scripts, without tsx or the sources, run the compiled modules.
      const listed = await run('npm', ['run', '-s', 'users', '--', 'list', '--json'], prod, {
        KEHOU_DB: join(prod, 'data', 'kehou.duckdb'),
        KEHOU_LOG_LEVEL: 'silent',
      });
      expect(listed.code, listed.stderr).toBe(0);
      expect(JSON.parse(listed.stdout)).toMatchObject({
        users: [{ username: 'ops', name: '运维', role: 'BUREAU_INSPECTOR' }],
      });
    } finally {
      await rm(prod, { recursive: true, force: true });
    }
  });
});
