/**
 * The originals store: kept byte for byte under their sha256, once per content, never under
 * a name their bytes do not hash to; pruned after the retention period unless a current
 * figure comes from them.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  keepOriginal,
  listOriginals,
  originalPath,
  originalsDir,
  originalsRetentionDaysFromEnv,
  pruneOriginals,
  recordOriginal,
} from '../../../server/db/originals.ts';
import { defaultWorkDir, openWarehouse } from '../../../server/db/connect.ts';
import { runScript } from '../../helpers/run-script.ts';
import { query, useWarehouse } from '../../helpers/with-warehouse.ts';

const sha = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kehou-originals-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

describe('keepOriginal', () => {
  it('keeps the exact bytes under their sha256, once', async () => {
    const home = { workDir: join(dir, 'work') };
    const content = '学校标识码,学校名称\r\n3101010001,某小学\r\n';
    const a = await file('月报.csv', content);
    const b = await file('月报-副本.csv', content);
    const hash = sha(Buffer.from(content));
    const size = Buffer.byteLength(content);

    expect(await originalPath(home, hash)).toBeNull();
    expect(await keepOriginal(home, a, hash)).toBe(size);
    expect(await keepOriginal(home, b, hash)).toBe(size);
    const kept = await originalPath(home, hash);
    expect(kept).toBe(join(originalsDir(home), hash.slice(0, 2), hash));
    expect((await readFile(kept!)).equals(await readFile(a))).toBe(true);
    expect(await listOriginals(originalsDir(home))).toEqual([
      { sha256: hash, path: kept, bytes: size },
    ]);
    // No temp file is left behind.
    expect(await readdir(join(originalsDir(home), hash.slice(0, 2)))).toEqual([hash]);
  });

  it('refuses bytes that do not hash to the name given, and names that are not a sha256', async () => {
    const home = { workDir: join(dir, 'work') };
    const path = await file('a.csv', 'one');
    const wrong = sha('two');
    await expect(keepOriginal(home, path, wrong)).rejects.toThrow(/does not match its sha256/u);
    expect(await originalPath(home, wrong)).toBeNull();
    expect(await listOriginals(originalsDir(home))).toEqual([]);
    await expect(keepOriginal(home, path, '../../etc/passwd')).rejects.toThrow(/not a sha256/u);
    expect(await originalPath(home, '../../etc/passwd')).toBeNull();
  });
});

describe('originalsRetentionDaysFromEnv', () => {
  it('defaults to 365 and refuses a typo', () => {
    expect(originalsRetentionDaysFromEnv({})).toBe(365);
    expect(originalsRetentionDaysFromEnv({ KEHOU_ORIGINALS_RETENTION_DAYS: '30' })).toBe(30);
    expect(() => originalsRetentionDaysFromEnv({ KEHOU_ORIGINALS_RETENTION_DAYS: '30d' })).toThrow(
      /KEHOU_ORIGINALS_RETENTION_DAYS/u,
    );
  });
});

describe('pruneOriginals', () => {
  const warehouse = useWarehouse();
  const NOW = new Date('2026-12-01T00:00:00Z');

  async function batch(id: number, hash: string, daysAgo: number): Promise<void> {
    const conn = await warehouse().connect();
    try {
      const at = new Date(NOW.getTime() - daysAgo * 86_400_000).toISOString();
      await conn.run(`INSERT INTO load_batches (batch_id, file_name, file_path, sha256, kind, status,
          loaded_by, loaded_at, rows_read, rows_skipped, rows_loaded, rows_rejected, units_loaded, units_rejected)
        VALUES (${id}, 'f${id}.csv', '/tmp/f${id}.csv', '${hash}', 'assignments', 'loaded', 'test',
          '${at}'::TIMESTAMPTZ, 1, 0, 1, 0, 1, 0)`);
    } finally {
      conn.closeSync();
    }
  }

  it('removes what no current figure comes from after the retention period, nothing else', async () => {
    const home = warehouse();
    const hashes: Record<string, string> = {};
    for (const name of ['current', 'replaced', 'recent', 'orphan']) {
      const path = await file(`${name}.csv`, `content of ${name}`);
      hashes[name] = sha(`content of ${name}`);
      await keepOriginal(home, path, hashes[name]);
    }
    // current: loaded 400 days ago, its row still in the warehouse; replaced: as old, its
    // rows replaced since; recent: replaced too, but loaded 10 days ago; orphan: no batch.
    await batch(1, hashes.current!, 400);
    await batch(2, hashes.replaced!, 400);
    await batch(3, hashes.recent!, 10);
    const conn = await home.connect();
    try {
      for (const name of ['current', 'replaced', 'recent'])
        await recordOriginal(conn, hashes[name]!, Buffer.byteLength(`content of ${name}`));
      await conn.run(`INSERT INTO inspector_assignments
        (inspector_id, school_code, effective_month, batch_id, source_sheet, source_row)
        VALUES ('D01', '3101010001', '1900-01', 1, 'Sheet1', 2)`);
      // An interrupted keep from two days ago, and one in flight now.
      const fan = join(originalsDir(home), 'ab');
      await mkdir(fan, { recursive: true });
      await writeFile(join(fan, '.incoming-old'), 'x');
      await utimes(
        join(fan, '.incoming-old'),
        NOW.getTime() / 1000 - 2 * 86_400,
        NOW.getTime() / 1000 - 2 * 86_400,
      );
      await writeFile(join(fan, '.incoming-new'), 'x');
      await utimes(join(fan, '.incoming-new'), NOW.getTime() / 1000, NOW.getTime() / 1000);

      const result = await pruneOriginals(home, conn, { retentionDays: 365, now: NOW });
      expect(result.removed.sort()).toEqual([hashes.orphan!, hashes.replaced!].sort());
      expect(result.bytes).toBe(
        Buffer.byteLength('content of orphan') + Buffer.byteLength('content of replaced'),
      );
      expect(result.kept).toBe(2);
      expect(await originalPath(home, hashes.current!)).not.toBeNull();
      expect(await originalPath(home, hashes.recent!)).not.toBeNull();
      expect(await originalPath(home, hashes.replaced!)).toBeNull();
      expect(await readdir(fan)).toEqual(['.incoming-new']);
    } finally {
      conn.closeSync();
    }
    expect(
      await query(home, 'SELECT batch_id, original_bytes FROM load_batches ORDER BY batch_id'),
    ).toEqual([
      { batch_id: 1, original_bytes: Buffer.byteLength('content of current') },
      { batch_id: 2, original_bytes: null },
      { batch_id: 3, original_bytes: Buffer.byteLength('content of recent') },
    ]);
  });
});

describe('npm run -s warehouse -- prune-originals', () => {
  it(
    'prunes a stopped warehouse by the retention setting and reports it',
    { timeout: 60_000 },
    async () => {
      const db = join(dir, 'kehou.duckdb');
      await (await openWarehouse(db)).close();
      const home = { workDir: defaultWorkDir(db) };
      const hash = sha('nobody loaded this');
      await keepOriginal(home, await file('stray.csv', 'nobody loaded this'), hash);
      const env = { KEHOU_DB: db, KEHOU_ORIGINALS_RETENTION_DAYS: '30' };

      const wrong = await runScript('server/db/warehouse-cli.ts', ['prune-originals', 'extra'], {
        env,
      });
      expect(wrong.code).toBe(1);
      expect(await originalPath(home, hash)).not.toBeNull();

      const done = await runScript('server/db/warehouse-cli.ts', ['prune-originals', '--json'], {
        env,
      });
      expect(done.code).toBe(0);
      expect(JSON.parse(done.stdout)).toEqual({
        ok: true,
        removed: [hash],
        bytes: Buffer.byteLength('nobody loaded this'),
        kept: 0,
        retentionDays: 30,
      });
      expect(await originalPath(home, hash)).toBeNull();
    },
  );
});
