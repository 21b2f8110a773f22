/**
 * The only place that creates DuckDB instances and Kysely handles.
 *
 * DuckDB lets one process write a file; inside the process every load runs on one
 * dedicated connection (temp tables, the Appender and the transaction all live on a
 * connection), so besides the pooled `db` handle we expose `kyselyOn(conn)`, a typed
 * query builder bound to a connection the caller owns.
 *
 * Two promises this module keeps for every caller (server, ETL, tests alike):
 * - **Sandboxed.** DuckDB may read and write only the warehouse and its work folder
 *   (`workDir`: the ETL's and uploads' temp files, backups): `read_csv('/etc/passwd')`,
 *   `COPY … TO` elsewhere, `ATTACH` elsewhere and extension loading all fail, and the
 *   configuration is locked so no statement can undo that.
 * - **Self-healing.** After a FATAL or INTERNAL engine error DuckDB invalidates the whole
 *   instance until it is re-opened. Every connection handed out is watched; when such an
 *   error is seen and a probe confirms the instance is unusable, the warehouse closes it
 *   and opens the file again (committed data is in the file and its WAL), and callers get
 *   connections of the new instance, so the server answers again without a restart.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { lit } from './sql-literals.ts';
import { Kysely } from 'kysely';
import { DuckDbDialect } from 'kysely-duckdb';
import { pino, type Logger } from 'pino';
import type { Database } from './database.ts';
import { removeStaleServerMarker } from './lock-message.ts';
import {
  isEngineFailure,
  isInterrupted,
  shortMessage,
  WarehouseUnavailableError,
} from './engine-errors.ts';
import { DUCKDB_THREADS, memoryLimitFromEnv } from './duckdb-settings.ts';
import { migrate } from './migrate.ts';
import { currentQueryScope, type QueryScope } from './query-scope.ts';

export interface WarehouseOptions {
  /** DuckDB memory_limit, e.g. '1GB'; default memoryLimitFromEnv() (duckdb-settings.ts). */
  memoryLimit?: string;
  threads?: number;
  /** Apply pending migrations on open (default true). */
  migrate?: boolean;
  /**
   * The folder DuckDB may use besides the warehouse file. Default: `<name>.work` beside a
   * file warehouse; a fresh temp folder (removed on close) for ':memory:'.
   */
  workDir?: string;
  /** Where re-opens are logged (default: JSON lines on stderr, KEHOU_LOG_LEVEL). */
  log?: Logger;
  /**
   * Tests only: DuckDB settings for the first instance, not for re-opened ones, e.g.
   * `{ debug_checkpoint_abort: 'before_header' }` to provoke a real invalidation.
   */
  firstInstanceSettings?: Readonly<Record<string, string>>;
  /** After a failed re-open, the next try waits this long (default 5 s). */
  reopenRetryMs?: number;
}

/** What `/healthz` reports. */
export interface WarehouseHealth {
  ok: boolean;
  state: 'ok' | 'recovering' | 'unavailable';
  /** Instances opened so far (1 until the first re-open). */
  generation: number;
}

export interface Warehouse {
  readonly path: string;
  /** The only folder DuckDB may read or write besides the warehouse itself. */
  readonly workDir: string;
  /** Temp files of loads and uploads (under workDir), emptied whenever the warehouse opens. */
  readonly tempDir: string;
  /** The instance in use now; a re-open replaces it. */
  readonly instance: DuckDBInstance;
  /** 1 for the first instance, +1 for every re-open. */
  readonly generation: number;
  /** Pooled handle: one short-lived connection per query. Fine for reads. */
  readonly db: Kysely<Database>;
  connect(): Promise<DuckDBConnection>;
  /** Runs a real query (with a deadline); starts a re-open when the engine is unusable. */
  check(timeoutMs?: number): Promise<WarehouseHealth>;
  /** Closes the instance and opens the file again; concurrent calls share one re-open. */
  reopen(reason: unknown): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_WAREHOUSE_PATH = 'data/kehou.duckdb';

export function warehousePathFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.KEHOU_DB && env.KEHOU_DB.length > 0 ? env.KEHOU_DB : DEFAULT_WAREHOUSE_PATH;
}

/** `data/kehou.duckdb` → `data/kehou.work`. */
export function defaultWorkDir(path: string): string {
  return join(dirname(path), `${basename(path, extname(path))}.work`);
}

/** Re-opens are rare; failing ones are retried no more often than this. */
const REOPEN_RETRY_MS = 5_000;

let defaultLog: Logger | undefined;
function warehouseLog(): Logger {
  defaultLog ??= pino(
    {
      name: 'warehouse',
      level: process.env.KEHOU_LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
    },
    pino.destination(2),
  );
  return defaultLog;
}

/**
 * One opened instance and the connections it handed out. A retired instance is closed
 * once its last connection is: closing a connection (or the instance) while a statement
 * runs on it in DuckDB's thread pool could crash the process, so a re-open only
 * interrupts them and lets their owners close them as usual.
 */
class Opened {
  readonly live = new Set<DuckDBConnection>();
  private retired = false;

  constructor(readonly instance: DuckDBInstance) {}

  release(conn: DuckDBConnection): void {
    this.live.delete(conn);
    if (this.retired && this.live.size === 0) this.closeInstance();
  }

  retire(): void {
    this.retired = true;
    for (const conn of this.live) {
      try {
        conn.interrupt();
      } catch {
        // closed meanwhile
      }
    }
    if (this.live.size === 0) this.closeInstance();
  }

  private closeInstance(): void {
    try {
      this.instance.closeSync();
    } catch {
      // an invalidated instance may refuse; the file is opened afresh either way
    }
  }
}

class ResilientWarehouse implements Warehouse {
  readonly db: Kysely<Database>;
  readonly tempDir: string;
  private current: Opened | null;
  private gen = 1;
  private reopening: Promise<void> | null = null;
  private probing: Promise<void> | null = null;
  private brokenSince = 0;
  private closed = false;

  constructor(
    readonly path: string,
    readonly workDir: string,
    first: DuckDBInstance,
    private readonly options: WarehouseOptions,
    private readonly log: Logger,
    private readonly ownsWorkDir: boolean,
  ) {
    this.current = new Opened(first);
    this.tempDir = join(workDir, 'tmp');
    const facade = {
      connect: () => this.connect(),
      // Kysely's destroy would close the instance; close() owns that.
      closeSync: () => undefined,
    } as unknown as DuckDBInstance;
    this.db = new Kysely<Database>({ dialect: new DuckDbDialect({ database: facade }) });
  }

  get instance(): DuckDBInstance {
    return this.opened().instance;
  }

  private opened(): Opened {
    if (!this.current) throw unavailable();
    return this.current;
  }

  get generation(): number {
    return this.gen;
  }

  async connect(): Promise<DuckDBConnection> {
    if (this.closed) throw new Error('the warehouse is closed');
    const scope = currentQueryScope();
    const timedOut = scope?.timeout;
    if (timedOut) throw timedOut;
    if (this.reopening) await this.reopening;
    if (!this.current) await this.retryBroken();
    const opened = this.opened();
    const raw = await opened.instance.connect();
    opened.live.add(raw);
    scope?.add(raw);
    return this.watch(raw, opened, scope);
  }

  /** A connection whose failures are looked at and whose close is tracked. */
  private watch(
    raw: DuckDBConnection,
    opened: Opened,
    scope: QueryScope | undefined,
  ): DuckDBConnection {
    const release = (): void => {
      opened.release(raw);
      scope?.delete(raw);
    };
    const failed = (error: unknown): never => {
      const timeout = scope?.timeout;
      if (timeout && isInterrupted(error)) throw timeout;
      if (isEngineFailure(error)) this.suspect(error);
      throw error;
    };
    return new Proxy(raw, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop, target);
        if (typeof value !== 'function') return value;
        const method = value as (...a: unknown[]) => unknown;
        if (prop === 'closeSync' || prop === 'disconnectSync') {
          return () => {
            release();
            return method.call(target);
          };
        }
        return (...args: unknown[]) => {
          let result: unknown;
          try {
            result = method.apply(target, args);
          } catch (error) {
            return failed(error);
          }
          return result instanceof Promise ? result.catch(failed) : result;
        };
      },
    });
  }

  /** An engine error was seen: probe a fresh connection, and re-open if it fails too. */
  private suspect(error: unknown): void {
    if (this.closed || this.reopening || this.probing) return;
    const generation = this.gen;
    this.log.warn({ err: { message: shortMessage(error, 300) }, generation }, 'engine error');
    this.probing = (async () => {
      const failure = await this.probe();
      if (failure !== null && generation === this.gen) await this.reopen(failure);
    })()
      .catch((e: unknown) => this.log.error({ err: e }, 'warehouse probe failed'))
      .finally(() => {
        this.probing = null;
      });
  }

  /** Null when a trivial statement runs on a fresh connection; the engine error otherwise. */
  private async probe(): Promise<unknown> {
    try {
      const conn = await this.instance.connect();
      try {
        await conn.run('SELECT 1');
        return null;
      } finally {
        conn.closeSync();
      }
    } catch (error) {
      return isEngineFailure(error) ? error : null;
    }
  }

  reopen(reason: unknown): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.reopening ??= this.doReopen(reason).finally(() => {
      this.reopening = null;
    });
    return this.reopening;
  }

  private async doReopen(reason: unknown): Promise<void> {
    const old = this.current;
    this.current = null;
    this.log.error(
      { err: { message: shortMessage(reason, 300) }, db: this.path, generation: this.gen },
      'warehouse unusable: re-opening it',
    );
    // Statements still running on the old instance fail now rather than hang; their
    // transactions were never committed, so the file holds only committed work.
    old?.retire();
    try {
      this.current = new Opened(await createInstance(this.path, this.workDir, this.options, false));
      this.gen += 1;
      this.brokenSince = 0;
      this.log.warn({ db: this.path, generation: this.gen }, 'warehouse re-opened');
    } catch (error) {
      this.brokenSince = Date.now();
      this.log.error({ err: error, db: this.path }, 'warehouse could not be re-opened');
      throw unavailable();
    }
  }

  /** After a failed re-open, try again (not more often than every few seconds). */
  private async retryBroken(): Promise<void> {
    if (Date.now() - this.brokenSince < (this.options.reopenRetryMs ?? REOPEN_RETRY_MS))
      throw unavailable();
    await this.reopen('retrying a failed re-open');
  }

  async check(timeoutMs = 2_000): Promise<WarehouseHealth> {
    const health = (ok: boolean, state: WarehouseHealth['state']): WarehouseHealth => ({
      ok,
      state,
      generation: this.gen,
    });
    if (this.reopening) return health(false, 'recovering');
    let conn: DuckDBConnection | null = null;
    try {
      conn = await this.connect();
      const running = conn;
      const timer = setTimeout(() => running.interrupt(), timeoutMs);
      try {
        await conn.run('SELECT count(*) FROM schema_migrations');
      } finally {
        clearTimeout(timer);
      }
      return health(true, 'ok');
    } catch (error) {
      if (isEngineFailure(error)) void this.reopen(error).catch(() => undefined);
      return health(false, this.reopening ? 'recovering' : 'unavailable');
    } finally {
      conn?.closeSync();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.reopening?.catch(() => undefined);
    this.closed = true;
    const instance = this.current?.instance;
    this.current = null;
    try {
      if (instance) {
        // A checkpoint first keeps the WAL small.
        const conn = await instance.connect();
        try {
          if (this.path !== ':memory:') await conn.run('CHECKPOINT');
        } finally {
          conn.closeSync();
        }
      }
    } finally {
      await this.db.destroy();
      instance?.closeSync();
      if (this.ownsWorkDir) rmSync(this.workDir, { recursive: true, force: true });
    }
  }
}

function unavailable(): Error {
  return new WarehouseUnavailableError();
}

async function createInstance(
  path: string,
  workDir: string,
  options: WarehouseOptions,
  first: boolean,
): Promise<DuckDBInstance> {
  const instance = await DuckDBInstance.create(path, {
    memory_limit: options.memoryLimit ?? memoryLimitFromEnv(),
    threads: String(options.threads ?? DUCKDB_THREADS),
    // No network here: a missing extension must fail at once, not hang on a download.
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const conn = await instance.connect();
  try {
    if (options.migrate !== false) await migrate(conn);
    if (first)
      for (const [name, value] of Object.entries(options.firstInstanceSettings ?? {}))
        await conn.run(`SET ${name} = ${lit(value)}`);
    // Global settings, so they hold for every connection; locked last, so no statement —
    // however it reached the engine — can widen them again.
    await conn.run(`SET allowed_directories = [${lit(`${resolve(workDir)}/`)}]`);
    await conn.run('SET enable_external_access = false');
    await conn.run('SET lock_configuration = true');
  } catch (error) {
    conn.closeSync();
    instance.closeSync();
    throw error;
  }
  conn.closeSync();
  return instance;
}

export async function openWarehouse(
  path: string,
  options: WarehouseOptions = {},
): Promise<Warehouse> {
  const memory = path === ':memory:';
  if (!memory) mkdirSync(dirname(path), { recursive: true });
  const ownsWorkDir = memory && options.workDir === undefined;
  const workDir = resolve(
    options.workDir ?? (memory ? mkdtempSync(join(tmpdir(), 'kehou-work-')) : defaultWorkDir(path)),
  );
  let instance: DuckDBInstance;
  try {
    instance = await createInstance(path, workDir, options, true);
  } catch (error) {
    if (ownsWorkDir) rmSync(workDir, { recursive: true, force: true });
    throw error;
  }
  // The file is ours now (DuckDB holds its lock): temp files left by a killed load or
  // upload of an earlier process are garbage.
  const warehouse = new ResilientWarehouse(
    path,
    workDir,
    instance,
    options,
    options.log ?? warehouseLog(),
    ownsWorkDir,
  );
  // Only the warehouse's owner may look in: uploads and backups pass through here.
  mkdirSync(workDir, { recursive: true, mode: 0o700 });
  rmSync(warehouse.tempDir, { recursive: true, force: true });
  mkdirSync(warehouse.tempDir, { recursive: true });
  if (!memory) removeStaleServerMarker(path);
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
