/**
 * The warehouse's two promises to every caller: DuckDB is sandboxed to the warehouse's
 * work folder, and an instance the engine invalidated is re-opened without a restart.
 * The invalidation is real: DuckDB's debug_checkpoint_abort makes a CHECKPOINT fail with a
 * FATAL error, after which DuckDB refuses every statement on every connection.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exitCode, loadPaths } from '../../../etl/index.ts';
import { openWarehouse, type Warehouse } from '../../../server/db/connect.ts';
import { WarehouseWriter } from '../../../server/db/writer.ts';
import { until } from '../../helpers/until.ts';
import { query } from '../../helpers/with-warehouse.ts';

let dir: string;
let warehouse: Warehouse | null = null;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kehou-connect-'));
});

afterEach(async () => {
  await warehouse?.close();
  warehouse = null;
  await rm(dir, { recursive: true, force: true });
});

async function fails(w: Warehouse, statement: string): Promise<string> {
  const conn = await w.connect();
  try {
    await conn.run(statement);
  } catch (error) {
    return (error as Error).message;
  } finally {
    conn.closeSync();
  }
  throw new Error(`succeeded: ${statement}`);
}

describe('the sandbox', () => {
  it('refuses files outside the work folder, on every connection, and cannot be unlocked', async () => {
    warehouse = await openWarehouse(join(dir, 'k.duckdb'));
    const outside = join(dir, 'outside.csv');
    await writeFile(outside, 'a\n1\n');
    await writeFile(join(warehouse.workDir, 'inside.csv'), 'a\n1\n');

    expect(await fails(warehouse, `SELECT * FROM read_csv('/etc/passwd')`)).toMatch(
      /Permission Error/u,
    );
    expect(await fails(warehouse, `SELECT * FROM read_csv('${outside}')`)).toMatch(
      /Permission Error/u,
    );
    expect(await fails(warehouse, `COPY (SELECT 1) TO '${join(dir, 'out.csv')}'`)).toMatch(
      /Permission Error/u,
    );
    expect(await fails(warehouse, `ATTACH '${join(dir, 'other.duckdb')}' AS other`)).toMatch(
      /Permission Error/u,
    );
    expect(await fails(warehouse, 'SET enable_external_access = true')).toMatch(/locked/u);
    expect(await fails(warehouse, `SET allowed_directories = ['/']`)).toMatch(/locked/u);
    expect(await fails(warehouse, 'LOAD httpfs')).toMatch(/disabled|Permission/u);
    expect(existsSync(join(dir, 'out.csv'))).toBe(false);

    // The pooled Kysely handle's connections are sandboxed too.
    await expect(sql`SELECT * FROM read_csv('/etc/passwd')`.execute(warehouse.db)).rejects.toThrow(
      /Permission Error/u,
    );
    // Inside the work folder DuckDB reads as usual.
    const rows = await query(
      warehouse,
      `SELECT count(*) AS n FROM read_csv('${join(warehouse.workDir, 'inside.csv')}')`,
    );
    expect(rows).toEqual([{ n: 1 }]);
  });

  it('loads a CSV named like a glob as exactly that file', async () => {
    warehouse = await openWarehouse(join(dir, 'k.duckdb'));
    const files = join(dir, 'files');
    await mkdir(files);
    const header =
      '学校标识码,学校名称,所属乡镇（街道）,学段,城乡类型,办学性质,是否偏远,教师总数\n';
    await writeFile(
      join(files, '*.csv'),
      `${header}1000000001,东城第一小学,东城镇,小学,城区,公办,否,40\n`,
    );
    await writeFile(
      join(files, 'a.csv'),
      `${header}1000000002,东城村小,东城镇,小学,乡村,公办,是,20\n`,
    );
    await writeFile(
      join(files, '[ab].csv'),
      `${header}1000000003,西山中学,西山乡,初中,镇区,公办,否,30\n`,
    );

    const summary = await loadPaths(warehouse, [join(files, '*.csv'), join(files, '[ab].csv')], {
      user: 'test',
    });
    expect(exitCode(summary)).toBe(0);
    expect(summary.files.map((f) => f.rowsLoaded)).toEqual([1, 1]);
    expect(await query(warehouse, 'SELECT school_code FROM schools ORDER BY 1')).toEqual([
      { school_code: '1000000001' },
      { school_code: '1000000003' },
    ]);
    // Each source's copy is gone once it was loaded.
    expect(await readdir(warehouse.tempDir)).toEqual([]);
  });

  it('empties the temp folder left by a killed process when the warehouse opens', async () => {
    const path = join(dir, 'k.duckdb');
    warehouse = await openWarehouse(path);
    const leftover = join(warehouse.tempDir, 'upload-x');
    await warehouse.close();
    warehouse = null;
    await mkdir(leftover, { recursive: true });
    await writeFile(join(leftover, '月报.xlsx'), 'x');
    warehouse = await openWarehouse(path);
    expect(await readdir(warehouse.tempDir)).toEqual([]);
  });
});

describe('an instance the engine invalidated', () => {
  const invalidate = async (w: Warehouse): Promise<string> => fails(w, 'CHECKPOINT');

  it('is re-opened: committed data, the pool and the writer work again without a restart', async () => {
    warehouse = await openWarehouse(join(dir, 'k.duckdb'), {
      firstInstanceSettings: { debug_checkpoint_abort: 'before_header' },
    });
    const writer = await WarehouseWriter.open(warehouse);
    await writer.write(({ conn }) =>
      conn.run(`INSERT INTO audit_log (action, outcome) VALUES ('before', 'ok')`),
    );

    expect(await invalidate(warehouse)).toMatch(/FATAL Error/u);
    // Without a re-open every later statement fails: "database has been invalidated".
    const after = await until(() =>
      query(warehouse as Warehouse, `SELECT action FROM audit_log ORDER BY audit_id`).catch(
        () => null,
      ),
    );
    expect(after).toEqual([{ action: 'before' }]);
    expect(warehouse.generation).toBe(2);

    await writer.write(({ db }) =>
      db.insertInto('audit_log').values({ action: 'after', outcome: 'ok' }).execute(),
    );
    const rows = await warehouse.db
      .selectFrom('audit_log')
      .select('action')
      .orderBy('audit_id')
      .execute();
    expect(rows.map((r) => r.action)).toEqual(['before', 'after']);
    expect(await warehouse.check()).toEqual({ ok: true, state: 'ok', generation: 2 });
    // The re-opened instance is sandboxed as well.
    expect(await fails(warehouse, `SELECT * FROM read_csv('/etc/passwd')`)).toMatch(
      /Permission Error/u,
    );
    await writer.close();
  });

  it('reports itself unavailable while it cannot be re-opened, and recovers when it can', async () => {
    const path = join(dir, 'k.duckdb');
    warehouse = await openWarehouse(path, {
      firstInstanceSettings: { debug_checkpoint_abort: 'before_header' },
      reopenRetryMs: 50,
    });
    await query(warehouse, `INSERT INTO audit_log (action, outcome) VALUES ('kept', 'ok')`);
    expect(await warehouse.check()).toMatchObject({ ok: true, state: 'ok' });

    // The file's place is taken by a folder, so the re-open fails until it is back.
    const aside = join(dir, 'aside');
    await mkdir(aside);
    const { rename } = await import('node:fs/promises');
    for (const f of ['k.duckdb', 'k.duckdb.wal'])
      if (existsSync(join(dir, f))) await rename(join(dir, f), join(aside, f));
    await mkdir(path);
    await invalidate(warehouse);

    const down = await until(async () => {
      const health = await (warehouse as Warehouse).check();
      return health.state === 'recovering' ? null : health;
    });
    expect(down).toMatchObject({ ok: false, state: 'unavailable' });
    await expect(query(warehouse, 'SELECT 1')).rejects.toThrow(/数据仓库暂不可用/u);

    await rm(path, { recursive: true });
    for (const f of await readdir(aside)) await rename(join(aside, f), join(dir, f));
    const up = await until(async () => {
      const health = await (warehouse as Warehouse).check();
      return health.ok ? health : null;
    });
    expect(up.ok).toBe(true);
    expect(await query(warehouse, `SELECT action FROM audit_log`)).toEqual([{ action: 'kept' }]);
  });
});
