import type { DuckDBConnection } from '@duckdb/node-api';
import type { ReportKind } from '../reports/report-kind.ts';
import type { StagedSource } from './staged-source.ts';

/**
 * What the loader needs from a report kind once its rows are staged: the SQL that builds
 * stg / stg_err / stg_units, how accepted units reach the warehouse, and how to count
 * what a batch left there (to check the commit really happened).
 */
export interface Validated {
  source: StagedSource;
  /** SELECT of rid and raw_<key> texts from stg_raw, for the values shown in rejects. */
  rawValuesSql: string;
}

export interface KindProgram {
  kind: ReportKind;
  /** Contract header of each key, for rejects on columns a file lacks. */
  headerOf(key: string): string;
  /**
   * Builds stg, stg_err and stg_units from stg_raw; returns the layout, which a kind may
   * extend (survey question columns are found in the data).
   */
  validate(conn: DuckDBConnection, source: StagedSource): Promise<Validated>;
  /** Replaces accepted units; returns rows inserted. */
  apply(conn: DuckDBConnection, batchId: number, fileName: string): Promise<number>;
  /** Rows of the batch now in the warehouse. */
  countSql(batchId: number): string;
}
