/**
 * Scheduled backups under a root: a new dated folder by the real backup path, then the old
 * folders the rule lets go are removed — only folders backup-rotate recognises as its own.
 */
import { mkdtemp, mkdir, readdir, readFile, rm, symlink, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupWarehouse, MANIFEST_FILE, verifyBackup } from '../../../server/db/backup.ts';
import {
  listRotatedBackups,
  rotateBackups,
  rotatedFolderName,
} from '../../../server/db/backup-rotate.ts';
import { openWarehouse, type Warehouse } from '../../../server/db/connect.ts';
import { parseRotateArgs, RotateUsageError } from '../../../server/db/backup-rotate-cli.ts';
import { startServer } from '../../../server/http/serve.ts';
import { runScript } from '../../helpers/run-script.ts';
import { pino } from 'pino';

let dir: string;
let warehouse: Warehouse;
let root: string;
/** A real backup folder, copied under other names and dates. */
let template: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kehou-rotate-'));
  warehouse = await openWarehouse(join(dir, 'kehou.duckdb'));
  template = join(dir, 'template');
  await backupWarehouse(warehouse, template);
  root = join(dir, 'backups');
});
afterAll(async () => {
  await warehouse?.close();
  await rm(dir, { recursive: true, force: true });
});

/** A backup-rotate folder taken at `iso` (its manifest says so too). */
async function seed(iso: string): Promise<string> {
  const at = new Date(iso);
  const target = join(root, rotatedFolderName(at));
  await cp(template, target, { recursive: true });
  const manifest = JSON.parse(await readFile(join(target, MANIFEST_FILE), 'utf8')) as object;
  await writeFile(
    join(target, MANIFEST_FILE),
    JSON.stringify({ ...manifest, createdAt: at.toISOString() }),
  );
  return rotatedFolderName(at);
}

describe('rotatedFolderName', () => {
  it('names a folder by its Beijing time', () => {
    expect(rotatedFolderName(new Date('2026-12-04T17:30:05Z'))).toBe(
      'kehou-backup-2026-12-05T013005+0800',
    );
  });
});

describe('rotateBackups', { timeout: 60_000 }, () => {
  it('writes a new backup, removes what the rule lets go and leaves everything else alone', async () => {
    // Three days of backups, two on 12-03, and five things that are not its backups.
    const names = [
      await seed('2026-12-01T19:00:00Z'), // 12-02 03:00 Beijing
      await seed('2026-12-02T19:00:00Z'), // 12-03 03:00
      await seed('2026-12-03T05:00:00Z'), // 12-03 13:00: the newest of 12-03
      await seed('2026-12-03T19:00:00Z'), // 12-04 03:00
    ];
    await mkdir(join(root, 'kehou-backup-2026-11-01T030000+0800')); // no manifest
    await cp(template, join(root, 'manual-before-upgrade'), { recursive: true });
    await writeFile(join(root, 'README.txt'), 'not a backup');
    await mkdir(join(root, 'kehou-backup-2026-11-02T030000+0800'));
    await writeFile(join(root, 'kehou-backup-2026-11-02T030000+0800', MANIFEST_FILE), '{"x":1}');
    await symlink(join(root, names[0]!), join(root, 'kehou-backup-2026-10-01T030000+0800'));

    const now = new Date('2026-12-05T01:00:00Z'); // 12-05 09:00 Beijing
    const result = await rotateBackups({
      root,
      rule: { daily: 2, weekly: 1, monthly: 0 },
      now,
      makeBackup: (target) => backupWarehouse(warehouse, target),
    });
    const made = rotatedFolderName(now);
    expect(result.created.dir).toBe(join(root, made));
    // daily 2: the new one (12-05) and 12-04; weekly 1 (week of 11-30): the new one.
    expect(result.kept.map((k) => [k.dir, k.reasons])).toEqual([
      [join(root, made), ['newest', 'daily', 'weekly']],
      [join(root, names[3]!), ['daily']],
    ]);
    expect(result.removed.map((r) => r.dir)).toEqual(
      [names[2], names[1], names[0]].map((n) => join(root, n!)),
    );
    expect(result.ignored).toEqual([
      { name: 'README.txt', why: '不是 backup-rotate 所建 / not named by backup-rotate' },
      { name: 'kehou-backup-2026-10-01T030000+0800', why: '不是文件夹 / not a folder' },
      {
        name: 'kehou-backup-2026-11-01T030000+0800',
        why: '没有可读的 backup.json / no readable backup.json',
      },
      {
        name: 'kehou-backup-2026-11-02T030000+0800',
        why: 'backup.json 不是课后督导的备份清单 / backup.json is not a Kehou backup manifest',
      },
      {
        name: 'manual-before-upgrade',
        why: '不是 backup-rotate 所建 / not named by backup-rotate',
      },
    ]);
    expect((await readdir(root)).sort()).toEqual(
      [
        'README.txt',
        'kehou-backup-2026-10-01T030000+0800',
        'kehou-backup-2026-11-01T030000+0800',
        'kehou-backup-2026-11-02T030000+0800',
        made,
        names[3],
        'manual-before-upgrade',
      ].sort(),
    );
    // The new backup is whole.
    await expect(verifyBackup(join(root, made))).resolves.toMatchObject({
      format: 'kehou-backup/1',
    });
    expect((await listRotatedBackups(root)).backups.map((b) => b.id)).toEqual([made, names[3]]);
  });

  it('removes nothing when the backup fails, and leaves no half folder', async () => {
    const before = (await readdir(root)).sort();
    await expect(
      rotateBackups({
        root,
        rule: { daily: 0, weekly: 0, monthly: 0 },
        now: new Date('2026-12-06T01:00:00Z'),
        makeBackup: async (target) => {
          await mkdir(target, { recursive: true });
          await writeFile(join(target, 'kehou.duckdb'), 'half');
          throw new Error('disk full');
        },
      }),
    ).rejects.toThrow('disk full');
    expect((await readdir(root)).sort()).toEqual(before);
  });
});

describe('parseRotateArgs', () => {
  it('reads the root and the counts, defaulting to 7, 4 and 12', () => {
    expect(parseRotateArgs(['/srv/b'])).toEqual({
      root: '/srv/b',
      rule: { daily: 7, weekly: 4, monthly: 12 },
      json: false,
    });
    expect(
      parseRotateArgs(['/srv/b', '--keep-daily', '3', '--keep-monthly', '0', '--json']),
    ).toEqual({ root: '/srv/b', rule: { daily: 3, weekly: 4, monthly: 0 }, json: true });
  });

  it('refuses a missing root, two roots, a bad count and an unknown option', () => {
    expect(() => parseRotateArgs([])).toThrow(RotateUsageError);
    expect(() => parseRotateArgs(['a', 'b'])).toThrow(/one backup root/u);
    expect(() => parseRotateArgs(['a', '--keep-daily', '-1'])).toThrow(/--keep-daily/u);
    expect(() => parseRotateArgs(['a', '--keep-weekly', 'two'])).toThrow(/--keep-weekly/u);
    expect(() => parseRotateArgs(['a', '--keep-yearly', '2'])).toThrow(RotateUsageError);
  });
});

describe('warehouse backup-rotate while the server runs', { timeout: 90_000 }, () => {
  it('asks the server for the backup, which audits it, and /metrics shows its age', async () => {
    const db = join(dir, 'served.duckdb');
    const backups = join(dir, 'served-backups');
    const server = await startServer({
      env: {},
      config: { dbPath: db, port: 0, host: '127.0.0.1', backupRoot: null },
      log: pino({ level: 'silent' }),
    });
    try {
      const exit = await runScript(
        'server/db/warehouse-cli.ts',
        ['backup-rotate', backups, '--keep-daily', '1', '--json'],
        { env: { KEHOU_DB: db } },
      );
      expect(exit.code, exit.stderr).toBe(0);
      const report = JSON.parse(exit.stdout) as { ok: boolean; created: { dir: string } };
      expect(report.ok).toBe(true);
      await expect(verifyBackup(report.created.dir)).resolves.toMatchObject({
        format: 'kehou-backup/1',
      });
      // The server's audit row (no backup root configured) is what /metrics knows.
      const metrics = (await (await fetch(`${server.url}/metrics?format=json`)).json()) as Record<
        string,
        number
      >;
      expect(metrics.kehou_last_backup_age_seconds).toBeGreaterThanOrEqual(0);
      expect(metrics.kehou_last_backup_age_seconds).toBeLessThan(60);
    } finally {
      await server.close();
    }
    // A usage mistake says what is wrong in both languages, and does nothing.
    const bad = await runScript(
      'server/db/warehouse-cli.ts',
      ['backup-rotate', backups, '--keep-daily', 'x'],
      {
        env: { KEHOU_DB: db },
      },
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      '--keep-daily 须为 0 到 1000 的整数 / --keep-daily must be a whole number',
    );
  });
});
