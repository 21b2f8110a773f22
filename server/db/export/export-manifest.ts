/**
 * The manifest of a national export (`manifest.json` at the top of the tree): what a
 * province's loader checks before it registers the district's partitions.
 */

export const EXPORT_FORMAT = 'kehou-national-export/1';
export const MANIFEST_FILE = 'manifest.json';

export interface ExportColumn {
  name: string;
  /** DuckDB's type name (the Parquet file's type follows from it). */
  type: string;
}

export interface ExportedFile {
  /** Relative to the export folder, '/'-separated: `participation/district=…/month=…/data_0.parquet`. */
  path: string;
  rows: number;
  bytes: number;
  sha256: string;
}

export interface ExportedTableManifest {
  /** Why a province needs it (export-tables.ts). */
  why: string;
  /** Derived at export time (districts, district_months), not a warehouse table. */
  derived: boolean;
  /** Hive partition keys, in folder order; VARCHAR, and not inside the files. */
  partitionBy: string[];
  /** The columns inside the files. */
  columns: ExportColumn[];
  /** Warehouse columns left out (reasons in export-tables.ts and the README). */
  omitted: string[];
  rows: number;
  /** Empty for a table without rows (DuckDB writes no file then). */
  files: ExportedFile[];
}

export interface ExportManifest {
  format: typeof EXPORT_FORMAT;
  /** Highest warehouse migration applied when exported. */
  schemaVersion: number;
  /** `code` is the 行政区划代码 from the policy's district_code. */
  district: { code: string; name: string };
  /** The policy file in force (its sha256) and its versions. */
  policy: {
    sha256: string;
    versions: { version: string; effectiveFrom: string; source: string }[];
  };
  /** ISO instant of the snapshot. */
  exportedAt: string;
  /** The export's date in Asia/Shanghai ("YYYY-MM-DD"): overdue flags are judged on it. */
  asOfDate: string;
  layout: 'hive';
  tables: Record<string, ExportedTableManifest>;
  /** Warehouse tables not exported, with the reason. */
  notExported: Record<string, string>;
}
