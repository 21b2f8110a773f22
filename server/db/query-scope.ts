/**
 * A request's warehouse work, so a request that runs too long can be stopped. Every
 * connection the warehouse hands out inside `runInQueryScope` is remembered by the
 * scope (AsyncLocalStorage follows the request through Kysely and the resolvers); when
 * the deadline passes, each is interrupted (`connection.interrupt()` cancels the running
 * statement and leaves the connection usable) and later statements of the request are
 * refused at once.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DuckDBConnection } from '@duckdb/node-api';

export class QueryTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    const seconds = Number((timeoutMs / 1000).toFixed(1));
    super(
      `查询超时：超过 ${seconds} 秒，已中止，请缩小范围后重试 / query timed out after ${seconds} s and was stopped; narrow the request and try again`,
    );
    this.name = 'QueryTimeoutError';
  }
}

export class QueryScope {
  private readonly live = new Set<DuckDBConnection>();
  private timer: NodeJS.Timeout | undefined;
  private expiredAfter: number | null = null;

  /** Set when the deadline passed: the request's error is then a timeout, whatever DuckDB said. */
  get timeout(): QueryTimeoutError | null {
    return this.expiredAfter === null ? null : new QueryTimeoutError(this.expiredAfter);
  }

  add(conn: DuckDBConnection): void {
    this.live.add(conn);
  }

  delete(conn: DuckDBConnection): void {
    this.live.delete(conn);
  }

  /** Interrupts every live connection of the scope after `ms`. */
  arm(ms: number, onExpire?: () => void): void {
    this.timer = setTimeout(() => {
      this.expiredAfter = ms;
      for (const conn of this.live) conn.interrupt();
      onExpire?.();
    }, ms);
    this.timer.unref();
  }

  disarm(): void {
    clearTimeout(this.timer);
  }
}

const scopes = new AsyncLocalStorage<QueryScope>();

/** The scope of the work running now, if any. */
export function currentQueryScope(): QueryScope | undefined {
  return scopes.getStore();
}

/** Runs `fn` (and everything it starts) in `scope`. */
export function runInQueryScope<T>(scope: QueryScope, fn: () => T): T {
  return scopes.run(scope, fn);
}
