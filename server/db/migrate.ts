/**
 * Versioned migrations applied on open. Each migration runs in its own transaction and
 * is recorded in schema_migrations; the list is static so a bundle or a fresh clone
 * applies exactly the same versions in the same order.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { migrations } from './migrations/index.ts';

export interface Migration {
  version: number;
  name: string;
  /** SQL statements, run in order inside one transaction. */
  statements: readonly string[];
}

export async function migrate(conn: DuckDBConnection): Promise<number[]> {
  await conn.run(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER NOT NULL, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
  const done = await conn.runAndReadAll('SELECT version FROM schema_migrations');
  const applied = new Set(done.getRowObjects().map((r) => Number(r.version)));
  const ran: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(migration.version)) continue;
    await conn.run('BEGIN TRANSACTION');
    try {
      for (const statement of migration.statements) await conn.run(statement);
      await conn.run('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      await conn.run('COMMIT');
    } catch (error) {
      await conn.run('ROLLBACK');
      throw new Error(
        `migration ${migration.version} (${migration.name}) failed: ${String(error)}`,
        {
          cause: error,
        },
      );
    }
    ran.push(migration.version);
  }
  // DuckDB 1.5.6 cannot replay some DDL from its WAL (an ALTER TABLE … DROP COLUMN of
  // users failed with "GetDefaultDatabase with no default database set"), which would
  // leave a warehouse killed before its next checkpoint unopenable: write the new schema
  // into the file at once.
  if (ran.length > 0) await conn.run('CHECKPOINT');
  return ran;
}
