/**
 * `npm run -s warehouse -- backup|restore` as an operator runs them: directly while no
 * server runs, through the running server's admin socket while it holds the warehouse.
 * A backup taken while an upload is under way holds all of the upload or none of it.
 */
import { createHash } from 'node:crypto';
import { readFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exitCode, loadPaths } from '../../../etl/index.ts';
import { hashPassword } from '../../../server/auth/password.ts';
import { BACKUP_FILE, MANIFEST_FILE, ORIGINALS_FOLDER } from '../../../server/db/backup.ts';
import { defaultWorkDir, openWarehouse, type Warehouse } from '../../../server/db/connect.ts';
import { listOriginals, originalPath } from '../../../server/db/originals.ts';
import { insertUser } from '../../../server/graphql/users/users.repository.ts';
import { startServer, type RunningServer } from '../../../server/http/serve.ts';
import { API_FIXTURES, FIXTURE_LOADED_AT } from '../../helpers/api-fixture.ts';
import { runScript, type ScriptExit } from '../../helpers/run-script.ts';
import { counts, query } from '../../helpers/with-warehouse.ts';

const MONTHLY = fileURLToPath(new URL('../../fixtures/web/月报-2025-11.csv', import.meta.url));
const PASSWORD = 'backup-test-password';

const warehouseCli = (db: string, ...args: string[]): Promise<ScriptExit> =>
  runScript('server/db/warehouse-cli.ts', args, { env: { KEHOU_DB: db } });

/** What a bureau would compare: every table's rows and the month's participants. */
async function figures(w: Warehouse): Promise<unknown> {
  return {
    counts: await counts(w),
    monthly: await query(
      w,
      `SELECT month, count(*)::INTEGER AS reports, sum(teachers_serving)::INTEGER AS teachers
       FROM monthly_reports GROUP BY month ORDER BY month`,
    ),
  };
}

async function figuresOf(db: string): Promise<unknown> {
  const w = await openWarehouse(db);
  try {
    return await figures(w);
  } finally {
    await w.close();
  }
}

/** Every distinct file (sha256) the warehouse's batches name, sorted. */
async function loadedShas(db: string): Promise<unknown[]> {
  const w = await openWarehouse(db);
  try {
    const rows = await query(w, `SELECT DISTINCT sha256 FROM load_batches ORDER BY sha256`);
    return rows.map((r) => r.sha256);
  } finally {
    await w.close();
  }
}

let dir: string;
let db: string;
let server: RunningServer | null = null;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kehou-backup-'));
  db = join(dir, 'kehou.duckdb');
  const w = await openWarehouse(db);
  try {
    const summary = await loadPaths(w, [API_FIXTURES], { user: 'test', now: FIXTURE_LOADED_AT });
    expect(exitCode(summary)).toBe(0);
  } finally {
    await w.close();
  }
});

afterEach(async () => {
  await server?.close();
  server = null;
  await rm(dir, { recursive: true, force: true });
});

// The first test also restores into an emptied originals store and refuses a changed original:
// room for that on a machine shared with other test runs.
describe('warehouse backup and restore', { timeout: 150_000 }, () => {
  it('backs up and restores directly, keeps the replaced warehouse, and refuses a damaged backup', async () => {
    const before = await figuresOf(db);
    const backup = join(dir, 'backup-1');
    const made = await warehouseCli(db, 'backup', backup, '--json');
    expect(made.code).toBe(0);
    const doc = JSON.parse(made.stdout) as {
      manifest: { tables: Record<string, number>; originals: { files: number; bytes: number } };
    };
    expect(doc.manifest.tables.monthly_reports).toBe(
      (before as { counts: Record<string, number> }).counts.monthly_reports,
    );
    expect((await readdir(backup)).sort()).toEqual(
      [MANIFEST_FILE, BACKUP_FILE, ORIGINALS_FOLDER].sort(),
    );
    // The originals of every file loaded, each once.
    const store = await listOriginals(join(defaultWorkDir(db), 'originals'));
    expect(store.map((o) => o.sha256)).toEqual(await loadedShas(db));
    expect(doc.manifest.originals).toEqual({
      files: store.length,
      bytes: store.reduce((sum, o) => sum + o.bytes, 0),
    });

    // A backup never overwrites another.
    const again = await warehouseCli(db, 'backup', backup);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('is not empty');

    const w = await openWarehouse(db);
    await loadPaths(w, [MONTHLY], { user: 'test', now: FIXTURE_LOADED_AT });
    await w.close();
    expect(await figuresOf(db)).not.toEqual(before);

    const restored = await warehouseCli(db, 'restore', backup, '--json');
    expect(restored.code).toBe(0);
    const { previous } = JSON.parse(restored.stdout) as { previous: string };
    expect(previous).toMatch(/kehou\.duckdb\.before-restore-/u);
    expect(await figuresOf(db)).toEqual(before);
    // The replaced warehouse is kept and still opens, with the later load in it.
    expect(await figuresOf(previous)).not.toEqual(before);
    // Restored into an empty store, every original of the backup is there again.
    await rm(join(defaultWorkDir(db), 'originals'), { recursive: true, force: true });
    expect((await warehouseCli(db, 'restore', backup)).code).toBe(0);
    expect(
      (await listOriginals(join(defaultWorkDir(db), 'originals'))).map((o) => o.sha256),
    ).toEqual(store.map((o) => o.sha256));

    // A changed original is refused like a changed warehouse file.
    const kept = store[0]!;
    const copy = join(backup, ORIGINALS_FOLDER, kept.sha256.slice(0, 2), kept.sha256);
    const original = await readFile(copy);
    await writeFile(copy, Buffer.concat([original.subarray(1), Buffer.from('x')]));
    const tampered = await warehouseCli(db, 'restore', backup);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toContain(`original ${kept.sha256} is damaged`);
    await writeFile(copy, original);

    const file = join(backup, BACKUP_FILE);
    const bytes = await readFile(file);
    bytes[bytes.length - 100] = (bytes[bytes.length - 100] ?? 0) ^ 0xff;
    await writeFile(file, bytes);
    const damaged = await warehouseCli(db, 'restore', backup);
    expect(damaged.code).toBe(1);
    expect(damaged.stderr).toContain('checksum mismatch');
    expect(await figuresOf(db)).toEqual(before);
  });

  it('through the running server: a backup during an upload holds all of it, one before holds none', async () => {
    let reached!: () => void;
    const inside = new Promise<void>((r) => (reached = r));
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const pre = await figuresOf(db);
    server = await startServer({
      env: {},
      config: { dbPath: db, port: 0, host: '127.0.0.1' },
      log: pino({ level: 'silent' }),
      uploadBeforeCommit: async () => {
        reached();
        await held;
      },
    });
    await server.writer.write(async ({ db: w }) =>
      insertUser(w, {
        username: 'bureau',
        displayName: '督导科',
        role: 'BUREAU_INSPECTOR',
        inspectorId: null,
        passwordHash: await hashPassword(PASSWORD),
      }),
    );
    const before = join(dir, 'before-upload');
    expect((await warehouseCli(db, 'backup', before)).code).toBe(0);

    const login = await fetch(`${server.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bureau', password: PASSWORD }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const form = new FormData();
    form.append('files', new Blob([await readFile(MONTHLY)]), '月报-2025-11.csv');
    const uploading = fetch(`${server.url}/api/uploads`, {
      method: 'POST',
      headers: { cookie },
      body: form,
    });
    await inside;
    const during = join(dir, 'during-upload');
    const backingUp = warehouseCli(db, 'backup', during, '--json');
    // While the server holds the warehouse, a restore is refused, naming the server.
    const refused = await warehouseCli(db, 'restore', before);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`held by the running server (pid ${process.pid}`);
    release();
    // The fixture month has one bad cell: loaded, one unit rejected.
    expect((await uploading).status).toBe(422);
    expect((await backingUp).code).toBe(0);
    await server.close();
    server = null;
    const post = await figuresOf(db);
    expect(post).not.toEqual(pre);
    // The upload's original outlived its temp folder, byte for byte, and is in the backup.
    const uploaded = await readFile(MONTHLY);
    const hash = createHash('sha256').update(uploaded).digest('hex');
    const keptUpload = await originalPath({ workDir: defaultWorkDir(db) }, hash);
    expect(keptUpload).not.toBeNull();
    expect((await readFile(keptUpload!)).equals(uploaded)).toBe(true);
    expect(
      (await readFile(join(during, ORIGINALS_FOLDER, hash.slice(0, 2), hash))).equals(uploaded),
    ).toBe(true);
    // The audit log names both backups.
    const audit = await openWarehouse(db);
    expect(
      await query(audit, `SELECT count(*)::INTEGER AS n FROM audit_log WHERE action = 'backup'`),
    ).toEqual([{ n: 2 }]);
    await audit.close();

    expect((await warehouseCli(db, 'restore', during)).code).toBe(0);
    const restoredDuring = (await figuresOf(db)) as { counts: unknown; monthly: unknown };
    expect(restoredDuring.monthly).toEqual((post as typeof restoredDuring).monthly);
    expect((await warehouseCli(db, 'restore', before)).code).toBe(0);
    expect(((await figuresOf(db)) as typeof restoredDuring).monthly).toEqual(
      (pre as typeof restoredDuring).monthly,
    );
  });
});
