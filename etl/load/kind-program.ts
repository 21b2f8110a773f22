import type { DuckDBConnection } from '@duckdb/node-api';
import type { ReportKind } from '../reports/report-kind.ts';
import type { StagedSource } from './staged-source.ts';

/**
 * What the loader needs from a report kind once a group's rows are staged: the SQL that
 * builds stg / stg_err / stg_units, how accepted units reach the warehouse, and how to
 * count what a batch left there (to check the commit really happened).
 */
export interface Validated {
  source: StagedSource;
  /** SELECT of sheet_no, r and raw_<key> texts from stg_raw, for the values shown in rejects. */
  rawValuesSql: string;
}

/** A file of the group being applied; the temp table stg_files holds the same. */
export interface GroupFile {
  fileNo: number;
  batchId: number;
  fileName: string;
}

export interface Applied {
  /** Rows the inserts wrote. */
  inserted: number;
  /** Rows each batch now holds in the warehouse (a later file of the group may replace units). */
  byBatch: ReadonlyMap<number, number>;
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
  /**
   * Replaces the accepted units of every file in `files` (stg_files) in one go; where
   * files of the group share a unit, the later file's version is the one kept.
   */
  apply(conn: DuckDBConnection, files: readonly GroupFile[]): Promise<Applied>;
  /** The table a batch's rows are counted in, by batch_id. */
  countTable: string;
  /**
   * SELECT file_no, school_code, month, batch_id: each accepted unit of the group's files
   * (stg_members) with the batch holding its version in the warehouse (NULL: none yet).
   */
  heldUnitsSql(): string;
}

/** SQL counting a batch's rows in the warehouse. */
export function countSql(program: Pick<KindProgram, 'countTable'>, batchId: number): string {
  return `SELECT count(*)::INTEGER AS n FROM ${program.countTable} WHERE batch_id = ${batchId}`;
}
