/**
 * The warehouse's single writer. DuckDB lets one process write a file, and inside that
 * process two connections writing at once can lose an update (an UPDATE on one connection
 * to a row another uncommitted transaction deleted was observed lost). So every write of
 * the server — uploads, users, sessions, audit, flags — runs here, one at a time, on one
 * dedicated connection; reads use their own pooled connections and see committed data.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Kysely } from 'kysely';
import { kyselyOn, type Warehouse } from './connect.ts';
import type { Database } from './database.ts';

export interface WriteContext {
  /** Typed queries on the writer's connection, inside the task's transaction. */
  db: Kysely<Database>;
  conn: DuckDBConnection;
}

export class WarehouseWriter {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;
  private closed = false;

  private constructor(
    private readonly warehouse: Warehouse,
    private readonly conn: DuckDBConnection,
    private readonly db: Kysely<Database>,
  ) {}

  static async open(warehouse: Warehouse): Promise<WarehouseWriter> {
    const conn = await warehouse.connect();
    return new WarehouseWriter(warehouse, conn, kyselyOn(conn));
  }

  /** Tasks queued or running. */
  get queued(): number {
    return this.pending;
  }

  /** Runs `task` in its own transaction after every earlier task; rolls back if it throws. */
  write<T>(task: (ctx: WriteContext) => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      await this.conn.run('BEGIN TRANSACTION');
      try {
        const result = await task({ db: this.db, conn: this.conn });
        await this.conn.run('COMMIT');
        return result;
      } catch (error) {
        await this.conn.run('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  /**
   * Runs `task` alone, without a transaction of ours: for the ETL, which manages its own
   * per-file transactions on its own connection. Nothing else writes meanwhile.
   */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the warehouse writer is closed'));
    this.pending += 1;
    const run = this.tail.then(() => task());
    this.tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run.finally(() => {
      this.pending -= 1;
    });
  }

  /** Waits for queued writes, then releases the connection. Later writes are refused. */
  async close(): Promise<void> {
    const drained = this.tail;
    this.closed = true;
    await drained;
    this.conn.closeSync();
  }

  get path(): string {
    return this.warehouse.path;
  }
}
