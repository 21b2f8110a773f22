/**
 * The README's operations guide, read and run: its systemd units, environment file, shell
 * helper and nginx block name the same paths, port and entry points; every CLI subcommand
 * the README names exists; and the backup timer's own command line, run several times
 * against a temporary warehouse among backups of earlier (faked) dates, leaves exactly the
 * folders the retention rule keeps, after which the guide's restore block brings back the
 * newest. Compiled paths (`dist/…/x.js`) run as their sources (`…/x.ts`) through tsx here.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { link, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverConfigFromEnv } from '../../server/config.ts';
import { BACKUP_FILE, MANIFEST_FILE } from '../../server/db/backup.ts';
import { rotatedFolderName, ROTATED_PREFIX } from '../../server/db/backup-rotate.ts';
import { openWarehouse } from '../../server/db/connect.ts';
import { metricNames } from '../../server/http/metrics-route.ts';
import { ROOT } from '../helpers/run-script.ts';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const GUIDE = README.slice(README.indexOf('## Operations\n'), README.indexOf('## Architecture\n'));

/** The fenced block after `<!-- ops-test: <tag> -->`. */
function block(tag: string): string {
  const at = GUIDE.indexOf(`<!-- ops-test: ${tag} -->`);
  expect(at, `README block ${tag}`).toBeGreaterThan(-1);
  const match = /```[a-z]*\n([\s\S]*?)```/u.exec(GUIDE.slice(at));
  return match?.[1] ?? '';
}

/** `Key=value` lines of a unit or an environment file; a key may repeat. */
function settings(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z_]+)=(.*)$/u.exec(line.trim());
    if (m) out.set(m[1]!, [...(out.get(m[1]!) ?? []), m[2]!]);
  }
  return out;
}

const one = (map: Map<string, string[]>, key: string): string => {
  const values = map.get(key) ?? [];
  expect(values, key).toHaveLength(1);
  return values[0]!;
};

const ENV = settings(block('env'));
const SERVICE = settings(block('kehou.service'));
const BACKUP = settings(block('kehou-backup.service'));
const TIMER = settings(block('kehou-backup.timer'));
const HELPER = block('kehou-function');
const ENV_FILE = /^# (\S+)/u.exec(block('env'))?.[1] ?? '';

/** `dist/server/db/warehouse-cli.js` → `server/db/warehouse-cli.ts`. */
const sourceOf = (compiled: string): string =>
  compiled.replace(/^dist\//u, '').replace(/\.js$/u, '.ts');

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'test', KEHOU_LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * A unit's ExecStart as it would run: `${VAR}` from `env`, `/usr/bin/node` as this Node
 * with tsx, the compiled entry as its source.
 */
function execStart(line: string, env: Record<string, string>): { command: string; args: string[] } {
  const words = line
    .replace(/\$\{(\w+)\}/gu, (_, name: string) => env[name] ?? '')
    .split(/\s+/u)
    .filter(Boolean);
  expect(words[0]).toBe('/usr/bin/node');
  return {
    command: process.execPath,
    args: [
      '--import',
      'tsx',
      ...words.slice(1).map((w) => (/^dist\/.*\.js$/u.test(w) ? sourceOf(w) : w)),
    ],
  };
}

describe('the guide’s files agree with each other', () => {
  it('the units read the one environment file, run as kehou from the current release', () => {
    expect(ENV_FILE).toBe('/etc/kehou/kehou.env');
    for (const unit of [SERVICE, BACKUP]) {
      expect(one(unit, 'EnvironmentFile')).toBe(ENV_FILE);
      expect(one(unit, 'User')).toBe('kehou');
      expect(one(unit, 'WorkingDirectory')).toBe('/opt/kehou/current');
      expect(one(unit, 'NoNewPrivileges')).toBe('yes');
      expect(one(unit, 'ProtectSystem')).toBe('strict');
      expect(one(unit, 'UMask')).toBe('0077');
      // The warehouse's folder (with its work folder) and the backup root are writable.
      const writable = one(unit, 'ReadWritePaths').split(/\s+/u);
      expect(writable).toContain(dirname(one(ENV, 'KEHOU_DB')));
      expect(writable).toContain(one(ENV, 'KEHOU_BACKUP_ROOT'));
    }
    expect(HELPER).toContain(`-p EnvironmentFile=${ENV_FILE}`);
    expect(HELPER).toContain('-p WorkingDirectory=/opt/kehou/current');
    expect(HELPER).toContain('--uid=kehou');
    expect(GUIDE).toContain(`sudo install -o root -g root -m 0600 /dev/null ${ENV_FILE}`);
  });

  it('the service starts the compiled server with source maps, as npm start does', () => {
    const start = one(SERVICE, 'ExecStart');
    expect(start).toBe('/usr/bin/node --enable-source-maps dist/server/start.js');
    expect(existsSync(join(ROOT, sourceOf('dist/server/start.js')))).toBe(true);
    const script = (
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts.start;
    // Once npm start runs compiled output, it must be the same entry.
    if (script?.includes('dist/')) expect(script).toContain('dist/server/start.js');
    expect(one(SERVICE, 'Type')).toBe('exec');
    expect(one(SERVICE, 'KillSignal')).toBe('SIGTERM');
  });

  it('every compiled path the guide names has its source', () => {
    const named = new Set(GUIDE.match(/dist\/[\w/.-]+\.js/gu) ?? []);
    expect(named.size).toBeGreaterThanOrEqual(3);
    for (const path of named) expect(existsSync(join(ROOT, sourceOf(path))), path).toBe(true);
  });

  it('the timer runs the backup service nightly and catches up after downtime', () => {
    expect(one(TIMER, 'OnCalendar')).toMatch(/^\*-\*-\* \d\d:\d\d:\d\d Asia\/Shanghai$/u);
    expect(one(TIMER, 'Persistent')).toBe('true');
    expect(one(BACKUP, 'Type')).toBe('oneshot');
    expect(one(BACKUP, 'ExecStart')).toMatch(
      /^\/usr\/bin\/node --enable-source-maps dist\/server\/db\/warehouse-cli\.js backup-rotate \$\{KEHOU_BACKUP_ROOT\} /u,
    );
  });

  it('the environment file puts the server on loopback behind one proxy, with HTTPS', () => {
    expect(one(ENV, 'HOST')).toBe('127.0.0.1');
    expect(one(ENV, 'NODE_ENV')).toBe('production');
    expect(one(ENV, 'KEHOU_HTTPS')).toBe('1');
    expect(one(ENV, 'KEHOU_TRUST_PROXY')).toBe('1');
    // No secret is written into the guide.
    expect(one(ENV, 'KEHOU_METRICS_TOKEN')).toBe('');
    expect(one(ENV, 'KEHOU_SMTP_URL')).toBe('');
    // The settings the guide writes are ones the server takes.
    const config = serverConfigFromEnv(Object.fromEntries([...ENV].map(([k, v]) => [k, v[0]])));
    expect(config).toMatchObject({ https: true, trustProxy: 1, port: Number(one(ENV, 'PORT')) });
  });

  it('nginx passes to that port, lets uploads be as large and slow as the server allows, hides /metrics', () => {
    const nginx = block('nginx');
    expect(nginx).toContain(`server ${one(ENV, 'HOST')}:${one(ENV, 'PORT')};`);
    const defaults = serverConfigFromEnv({});
    const uploads = /location \/api\/uploads \{([\s\S]*?)\}/u.exec(nginx)?.[1] ?? '';
    // The whole request holds many files, each within the server's own limit.
    const [, size, unit] = /client_max_body_size (\d+)([mg]);/u.exec(uploads) ?? [];
    const bytes = Number(size) * 2 ** (unit === 'g' ? 30 : 20);
    expect(bytes).toBeGreaterThanOrEqual(defaults.maxUploadBytes * 10);
    for (const directive of ['proxy_read_timeout', 'proxy_send_timeout']) {
      const minutes = Number(new RegExp(`${directive} (\\d+)m;`, 'u').exec(uploads)?.[1]);
      expect(minutes * 60_000, directive).toBeGreaterThanOrEqual(defaults.uploadTimeoutMs);
    }
    expect(uploads).toContain('proxy_request_buffering off;');
    // Evidence files pass the server-wide limit.
    const general = Number(/^ {4}client_max_body_size (\d+)m;/mu.exec(nginx)?.[1]);
    expect(general * 2 ** 20).toBeGreaterThanOrEqual(defaults.maxEvidenceBytes);
    // /metrics only from the monitor's address (the server asks for its token too).
    const metrics = /location = \/metrics \{([\s\S]*?)\}/u.exec(nginx)?.[1] ?? '';
    expect(metrics).toMatch(/allow \S+;[\s\S]*deny all;/u);
    expect(nginx).toContain('proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;');
    // The server sends HSTS itself (KEHOU_HTTPS=1): nginx must not send a second one.
    expect(nginx).not.toMatch(/Strict-Transport-Security/iu);
  });

  it('the backup before an upgrade is named so that the rotation never removes it', () => {
    const upgrade = block('upgrade');
    const target = /warehouse-cli\.js backup (\S+)/u.exec(upgrade)?.[1] ?? '';
    expect(dirname(target)).toBe(one(ENV, 'KEHOU_BACKUP_ROOT'));
    expect(basename(target).startsWith(ROTATED_PREFIX)).toBe(false);
    // Backed up after the stop and before the switch: the old release's CLI, no migration.
    const lines = upgrade.split('\n');
    const index = (text: string) => lines.findIndex((l) => l.includes(text));
    expect(index('systemctl stop kehou')).toBeLessThan(index('warehouse-cli.js backup'));
    expect(index('warehouse-cli.js backup')).toBeLessThan(index('ln -sfn'));
  });
});

describe('the monitoring table', () => {
  it('names exactly the metrics GET /metrics gives', () => {
    const monitoring = GUIDE.slice(GUIDE.indexOf('### Monitoring'), GUIDE.indexOf('### Upgrading'));
    const named = new Set(monitoring.match(/\bkehou_[a-z0-9_]+[a-z0-9]\b/gu) ?? []);
    expect([...named].sort()).toEqual(metricNames().sort());
  });
});

/** The subcommands a CLI's usage text lists after `-- `. */
function listed(usage: string): Set<string> {
  return new Set([...usage.matchAll(/-- ([a-z][a-z|-]*)/gu)].flatMap((m) => m[1]!.split('|')));
}

describe('every subcommand the README names exists', { timeout: 120_000 }, () => {
  const CLIS = {
    warehouse: 'server/db/warehouse-cli.ts',
    etl: 'etl/cli.ts',
    users: 'server/auth/cli.ts',
  } as const;
  const COMPILED: Record<string, keyof typeof CLIS> = {
    'dist/server/db/warehouse-cli.js': 'warehouse',
    'dist/etl/cli.js': 'etl',
    'dist/server/auth/cli.js': 'users',
  };

  it('in npm run -s <cli> -- <sub> and in kehou dist/<cli>.js <sub>', async () => {
    const named: Record<keyof typeof CLIS, Set<string>> = {
      warehouse: new Set(),
      etl: new Set(),
      users: new Set(),
    };
    for (const m of README.matchAll(/npm run -s (warehouse|etl|users) -- ([a-z][a-z-]*)/gu))
      named[m[1] as keyof typeof CLIS].add(m[2]!);
    for (const m of README.matchAll(/(dist\/[\w/-]+\.js) ([a-z][a-z-]*)/gu)) {
      const cli = COMPILED[m[1]!];
      if (cli) named[cli].add(m[2]!);
    }
    expect([...named.warehouse]).toEqual(
      expect.arrayContaining(['backup', 'backup-rotate', 'restore']),
    );
    const dir = await mkdtemp(join(tmpdir(), 'kehou-usage-'));
    try {
      for (const [cli, script] of Object.entries(CLIS)) {
        // Without arguments each CLI prints its usage and exits 1, before opening anything.
        const usage = await run(process.execPath, ['--import', 'tsx', script], {
          KEHOU_DB: join(dir, 'kehou.duckdb'),
        });
        expect(usage.code, cli).toBe(1);
        const subs = listed(usage.stdout + usage.stderr);
        for (const sub of named[cli as keyof typeof CLIS])
          expect(subs.has(sub), `${cli} ${sub} (README) in its usage`).toBe(true);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the backup timer’s command and the restore block, run', { timeout: 180_000 }, () => {
  let dir: string;
  let db: string;
  let root: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kehou-guide-'));
    db = join(dir, 'kehou.duckdb');
    root = join(dir, 'backups');
    env = { KEHOU_DB: db, KEHOU_BACKUP_ROOT: root };
    await mark('before');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Records a row that tells which state of the warehouse a restore brought back. */
  async function mark(name: string): Promise<void> {
    const w = await openWarehouse(db);
    const conn = await w.connect();
    await conn.run(
      `INSERT INTO audit_log (username, action, outcome) VALUES ('ops-test', 'mark.${name}', 'ok')`,
    );
    conn.closeSync();
    await w.close();
  }

  async function marks(): Promise<string[]> {
    const w = await openWarehouse(db);
    const conn = await w.connect();
    const rows = (
      await conn.runAndReadAll(
        `SELECT action FROM audit_log WHERE username = 'ops-test' ORDER BY action`,
      )
    ).getRowObjectsJS();
    conn.closeSync();
    await w.close();
    return rows.map((r) => String(r.action));
  }

  async function timerRun(): Promise<{
    created: { dir: string };
    removed: Array<{ dir: string }>;
  }> {
    const { command, args } = execStart(one(BACKUP, 'ExecStart'), env);
    const exit = await run(command, args, env);
    expect(exit.code, exit.stderr).toBe(0);
    return JSON.parse(exit.stdout) as {
      created: { dir: string };
      removed: Array<{ dir: string }>;
    };
  }

  /** A copy of backup `from` as if taken at `iso` (Beijing time), under its rotated name. */
  async function seed(from: string, iso: string, name = rotatedFolderName(new Date(iso))) {
    const target = join(root, name);
    await mkdir(target);
    await link(join(from, BACKUP_FILE), join(target, BACKUP_FILE));
    const manifest = JSON.parse(await readFile(join(from, MANIFEST_FILE), 'utf8')) as object;
    await writeFile(
      join(target, MANIFEST_FILE),
      JSON.stringify({ ...manifest, createdAt: new Date(iso).toISOString() }),
    );
    return name;
  }

  it('keeps exactly the rule’s folders among faked earlier ones, then restores the newest', async () => {
    // The seeds are older than any day this test runs on.
    expect(Date.now()).toBeGreaterThan(Date.parse('2025-04-01T00:00:00Z'));
    const first = await timerRun();
    const r1 = basename(first.created.dir);
    expect(r1.startsWith(ROTATED_PREFIX)).toBe(true);
    expect(first.removed).toEqual([]);

    // Earlier nights, Beijing time (weekdays: 2025-03-10 was a Monday).
    const seeds = {
      mar10: '2025-03-10T03:00:00+08:00',
      mar09: '2025-03-09T03:00:00+08:00', // Sunday: the newest of the week of 03-03
      mar08: '2025-03-08T03:00:00+08:00',
      mar08early: '2025-03-08T01:00:00+08:00', // not the newest of its day
      mar05: '2025-03-05T03:00:00+08:00',
      mar02: '2025-03-02T03:00:00+08:00', // Sunday: the newest of the week of 02-24
      feb26: '2025-02-26T03:00:00+08:00', // the newest of February
      feb20: '2025-02-20T03:00:00+08:00',
      feb10: '2025-02-10T03:00:00+08:00',
      jan15: '2025-01-15T03:00:00+08:00',
      dec31: '2024-12-31T03:00:00+08:00',
      jun30: '2024-06-30T03:00:00+08:00',
      dec31y: '2023-12-31T03:00:00+08:00',
    };
    const names: Record<string, string> = {};
    for (const [key, iso] of Object.entries(seeds)) names[key] = await seed(first.created.dir, iso);
    // Not its own: a hand-made backup before an upgrade, a note, a half-written folder.
    await seed(first.created.dir, '2025-03-11T03:00:00+08:00', 'before-1.5.0');
    await writeFile(join(root, 'README.txt'), 'copied off-site nightly');
    await mkdir(join(root, `${ROTATED_PREFIX}2025-03-12T030000+0800`));

    await mark('after');
    await new Promise((r) => setTimeout(r, 1100)); // a new second, so a new folder name
    const second = await timerRun();
    const r2 = basename(second.created.dir);
    await mark('later');

    // daily 7: r2's day, 03-10, 03-09, 03-08 (03:00), 03-05, 03-02, 02-26 — or, when the
    // two runs fell on two Beijing days, r1's day instead of 02-26 (kept as February's).
    // weekly 4 (r2's week, 03-10, 03-09, 03-02) and monthly 12 (r2's month, 03-10, 02-26,
    // 01-15, 2024-12-31, 2024-06-30, 2023-12-31) add no other folder.
    const r1Day = r1.slice(ROTATED_PREFIX.length, ROTATED_PREFIX.length + 10);
    const r2Day = r2.slice(ROTATED_PREFIX.length, ROTATED_PREFIX.length + 10);
    const removed = [names.mar08early, names.feb20, names.feb10, ...(r1Day === r2Day ? [r1] : [])];
    expect(second.removed.map((r) => basename(r.dir)).sort()).toEqual(removed.sort());
    const kept = [
      r2,
      ...(r1Day === r2Day ? [] : [r1]),
      ...[
        'mar10',
        'mar09',
        'mar08',
        'mar05',
        'mar02',
        'feb26',
        'jan15',
        'dec31',
        'jun30',
        'dec31y',
      ].map((k) => names[k]!),
    ];
    expect((await readdir(root)).sort()).toEqual(
      [...kept, 'before-1.5.0', 'README.txt', `${ROTATED_PREFIX}2025-03-12T030000+0800`].sort(),
    );

    // The guide's restore block, with systemctl and sudo as no-ops and its kehou helper
    // running the CLI's source here.
    const restore = block('restore').replaceAll(one(ENV, 'KEHOU_BACKUP_ROOT'), root);
    const prelude = [
      'set -e',
      'sudo() { "$@"; }',
      'systemctl() { :; }',
      `kehou() { script=$1; shift; ts=\${script#dist/}; "${process.execPath}" --import tsx "\${ts%.js}.ts" "$@"; }`,
    ].join('\n');
    const exit = await run('/bin/sh', ['-c', `${prelude}\n${restore}`], env);
    expect(exit.code, exit.stderr).toBe(0);
    const answer = JSON.parse(exit.stdout) as { ok: boolean; dir: string; previous: string };
    expect(answer.ok).toBe(true);
    expect(answer.dir).toBe(second.created.dir);
    expect(basename(answer.previous)).toMatch(/^kehou\.duckdb\.before-restore-/u);
    // The newest backup was taken between the marks "after" and "later".
    expect(await marks()).toEqual(['mark.after', 'mark.before']);
  });
});
