/**
 * Migration 5 drops the sign-in lock columns of users. Upgrading a warehouse that has
 * users keeps them (ids, hashes, constraints, the id sequence), and a server killed right
 * after the migration, before any checkpoint, leaves a warehouse that still opens: the
 * migration's statements replay from DuckDB's WAL (an ALTER TABLE … DROP COLUMN would not).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWarehouse } from '../../../server/db/connect.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const module = (path: string) => JSON.stringify(pathToFileURL(join(root, path)).href);

/**
 * In another process: migrations 1–4 as migrate() records them, two users with lock state,
 * a checkpoint, then migration 5 committed and the process gone without a checkpoint.
 */
const CHILD = `
import { openWarehouse } from ${module('server/db/connect.ts')};
import { migrations } from ${module('server/db/migrations/index.ts')};
const warehouse = await openWarehouse(process.env.KEHOU_DB, { migrate: false });
const conn = await warehouse.connect();
await conn.run(\`CREATE TABLE schema_migrations (version INTEGER NOT NULL, name VARCHAR NOT NULL,
  applied_at TIMESTAMPTZ NOT NULL DEFAULT now())\`);
const apply = async (m) => {
  for (const statement of m.statements) await conn.run(statement);
  await conn.run('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
};
for (const m of migrations.filter((m) => m.version < 5)) await apply(m);
await conn.run(\`INSERT INTO users (username, display_name, role, inspector_id, password_hash,
    disabled, failed_logins, locked_until)
  VALUES ('wang.fang', '王芳', 'SUPERVISING_INSPECTOR', 'DX002', 'hash-1', false, 5, now()),
    ('li.na', '李娜', 'LEADERSHIP', NULL, 'hash-2', true, 0, NULL)\`);
await conn.run('CHECKPOINT');
await conn.run('BEGIN TRANSACTION');
await apply(migrations.find((m) => m.version === 5));
await conn.run('COMMIT');
process.exit(0);
`;

function runChild(db: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '--eval', CHILD],
      {
        cwd: root,
        env: { ...process.env, KEHOU_DB: db, KEHOU_LOG_LEVEL: 'silent' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kehou-mig5-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('migration 5 (users without the lock columns)', { timeout: 60_000 }, () => {
  it('keeps the users and still opens after a crash before the checkpoint', async () => {
    const db = join(dir, 'kehou.duckdb');
    const child = await runChild(db);
    expect(child).toEqual({ code: 0, stderr: '' });
    const warehouse = await openWarehouse(db);
    try {
      const rows = await sql<Record<string, unknown>>`
        SELECT user_id, username, display_name, role, inspector_id, password_hash, disabled
        FROM users ORDER BY user_id`.execute(warehouse.db);
      expect(rows.rows).toEqual([
        {
          user_id: 1,
          username: 'wang.fang',
          display_name: '王芳',
          role: 'SUPERVISING_INSPECTOR',
          inspector_id: 'DX002',
          password_hash: 'hash-1',
          disabled: false,
        },
        {
          user_id: 2,
          username: 'li.na',
          display_name: '李娜',
          role: 'LEADERSHIP',
          inspector_id: null,
          password_hash: 'hash-2',
          disabled: true,
        },
      ]);
      const columns = await sql<{ column_name: string }>`
        SELECT column_name FROM information_schema.columns WHERE table_name = 'users'
        ORDER BY ordinal_position`.execute(warehouse.db);
      expect(columns.rows.map((c) => c.column_name)).toEqual([
        'user_id',
        'username',
        'display_name',
        'role',
        'inspector_id',
        // Migration 12 (the school side) binds reporters and reviewers.
        'school_code',
        'township',
        'password_hash',
        'disabled',
        'created_at',
        'updated_at',
      ]);
      // The id sequence goes on; the UNIQUE and CHECK constraints are still there.
      const insert = (username: string, role: string) =>
        sql<{ user_id: number }>`INSERT INTO users (username, display_name, role, password_hash)
          VALUES (${username}, 'x', ${role}, 'h') RETURNING user_id`.execute(warehouse.db);
      expect((await insert('zhou.li', 'LEADERSHIP')).rows).toEqual([{ user_id: 3 }]);
      await expect(insert('zhou.li', 'LEADERSHIP')).rejects.toThrow(/Duplicate key/u);
      await expect(insert('wu.gang', 'ADMIN')).rejects.toThrow(/CHECK constraint/u);
    } finally {
      await warehouse.close();
    }
  });
});
