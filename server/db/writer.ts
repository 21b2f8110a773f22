/**
 * A serialized writer. DuckDB lets one process write a file, and inside that process two
 * connections writing the same rows at once can lose an update (an UPDATE on one
 * connection to a row another uncommitted transaction deleted was observed lost). So the
 * server's writes run through writers, one task at a time each, on one dedicated
 * connection each; reads use their own pooled connections and see committed data.
 *
 * The server has two: the data writer (uploads, flags, visits, policy, their audit rows)
 * and the sign-in writer (users, sessions and sign-in audit rows), whose tables the data
 * writer never updates; so signing in never waits behind a long upload.
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

export interface WriteOptions {
  /** Not announced to onCommit listeners (a listener's own writes). */
  quiet?: boolean;
}

export class WarehouseWriter {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;
  private closed = false;
  private generation: number;
  private readonly commitListeners = new Set<() => void>();

  private constructor(
    private readonly warehouse: Warehouse,
    private conn: DuckDBConnection,
    private db: Kysely<Database>,
  ) {
    this.generation = warehouse.generation;
  }

  static async open(warehouse: Warehouse): Promise<WarehouseWriter> {
    const conn = await warehouse.connect();
    return new WarehouseWriter(warehouse, conn, kyselyOn(conn));
  }

  /** The writer's connection, taken anew after the warehouse re-opened its instance. */
  private async connection(): Promise<WriteContext> {
    if (this.generation !== this.warehouse.generation) {
      try {
        this.conn.closeSync();
      } catch {
        // closed with the old instance
      }
      this.conn = await this.warehouse.connect();
      this.db = kyselyOn(this.conn);
      this.generation = this.warehouse.generation;
    }
    return { db: this.db, conn: this.conn };
  }

  /** Tasks queued or running. */
  get queued(): number {
    return this.pending;
  }

  /**
   * Calls `listener` after each task that finished without throwing (unless run `quiet`):
   * the reminders job judges anew after a load, a visit or a flag step. Returns an unsubscribe.
   */
  onCommit(listener: () => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  /** Runs `task` in its own transaction after every earlier task; rolls back if it throws. */
  write<T>(task: (ctx: WriteContext) => Promise<T>, options: WriteOptions = {}): Promise<T> {
    return this.exclusive(async () => {
      const ctx = await this.connection();
      await ctx.conn.run('BEGIN TRANSACTION');
      try {
        const result = await task(ctx);
        await ctx.conn.run('COMMIT');
        return result;
      } catch (error) {
        await ctx.conn.run('ROLLBACK').catch(() => undefined);
        throw error;
      }
    }, options);
  }

  /**
   * Runs `task` alone, without a transaction of ours: for the ETL, which manages its own
   * per-file transactions on its own connection. Nothing else writes meanwhile.
   */
  exclusive<T>(task: () => Promise<T>, options: WriteOptions = {}): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the warehouse writer is closed'));
    this.pending += 1;
    const run = this.tail.then(() => task());
    this.tail = run.then(
      () => {
        if (options.quiet) return;
        for (const listener of this.commitListeners) {
          try {
            listener();
          } catch {
            // A listener's failure must not stop the queue (it would skip every later task).
          }
        }
      },
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
    try {
      this.conn.closeSync();
    } catch {
      // closed with an instance the warehouse replaced
    }
  }

  get path(): string {
    return this.warehouse.path;
  }
}
