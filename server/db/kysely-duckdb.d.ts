/**
 * kysely-duckdb's bundled types resolve `kysely` to its CommonJS build, which clashes with
 * the ES module build under NodeNext resolution. This declares the one export we use
 * against the ES build.
 */
declare module 'kysely-duckdb' {
  import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
  import type {
    DatabaseIntrospector,
    Dialect,
    DialectAdapter,
    Driver,
    Kysely,
    QueryCompiler,
  } from 'kysely';

  export interface DuckDbDialectConfig {
    database: DuckDBInstance | (() => Promise<DuckDBInstance>);
    tableMappings?: Record<string, string>;
    onCreateConnection?: (conn: DuckDBConnection) => Promise<void>;
  }

  export class DuckDbDialect implements Dialect {
    constructor(config: DuckDbDialectConfig);
    createAdapter(): DialectAdapter;
    createDriver(): Driver;
    createQueryCompiler(): QueryCompiler;
    createIntrospector(db: Kysely<unknown>): DatabaseIntrospector;
  }
}
