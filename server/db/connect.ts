/**
 * The only place that creates DuckDB instances and Kysely handles.
 *
 * DuckDB lets one process write a file; inside the process every load runs on one
 * dedicated connection (temp tables, the Appender and the transaction all live on a
 * connection), so besides the pooled `db` handle we expose `kyselyOn(conn)`, a typed
 * query builder bound to a connection the caller owns.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { Kysely } from 'kysely';
import { DuckDbDialect } from 'kysely-duckdb';
import type { Database } from './database.ts';
import { migrate } from './migrate.ts';

export interface WarehouseOptions {
  /** DuckDB memory_limit, e.g. '1GB'. DuckDB's default (80 % of RAM) is too greedy here. */
  memoryLimit?: string;
  threads?: number;
  /** Apply pending migrations on open (default true). */
  migrate?: boolean;
}

export interface Warehouse {
  readonly path: string;
  readonly instance: DuckDBInstance;
  /** Pooled handle: one short-lived connection per query. Fine for reads. */
  readonly db: Kysely<Database>;
  connect(): Promise<DuckDBConnection>;
  close(): Promise<void>;
}

export const DEFAULT_WAREHOUSE_PATH = 'data/kehou.duckdb';

export function warehousePathFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.KEHOU_DB && env.KEHOU_DB.length > 0 ? env.KEHOU_DB : DEFAULT_WAREHOUSE_PATH;
}

export async function openWarehouse(
  path: string,
  options: WarehouseOptions = {},
): Promise<Warehouse> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const instance = await DuckDBInstance.create(path, {
    memory_limit: options.memoryLimit ?? '1GB',
    threads: String(options.threads ?? 2),
    // No network here: a missing extension must fail at once, not hang on a download.
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const db = new Kysely<Database>({ dialect: new DuckDbDialect({ database: instance }) });
  const warehouse: Warehouse = {
    path,
    instance,
    db,
    connect: () => instance.connect(),
    async close() {
      // Kysely's destroy closes the instance; a checkpoint first keeps the WAL small.
      const conn = await instance.connect();
      try {
        if (path !== ':memory:') await conn.run('CHECKPOINT');
      } finally {
        conn.closeSync();
      }
      await db.destroy();
      // Kysely closes the instance only if a query started its driver: close it ourselves
      // so the file lock is released even when only connect() was used.
      instance.closeSync();
    },
  };
  if (options.migrate !== false) {
    const conn = await instance.connect();
    try {
      await migrate(conn);
    } finally {
      conn.closeSync();
    }
  }
  return warehouse;
}

/**
 * A Kysely handle that runs every query on `conn` and never closes it, so typed
 * queries can share the caller's transaction and temp tables.
 */
export function kyselyOn(conn: DuckDBConnection): Kysely<Database> {
  const borrowed = new Proxy(conn, {
    get(target, prop) {
      if (prop === 'closeSync' || prop === 'disconnectSync') return () => undefined;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  });
  const database = {
    connect: async () => borrowed,
    closeSync: () => undefined,
  } as unknown as DuckDBInstance;
  return new Kysely<Database>({ dialect: new DuckDbDialect({ database }) });
}
