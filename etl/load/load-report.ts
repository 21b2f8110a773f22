import type { FlagCounts } from '../flags/flag-counts.ts';
import type { ReportKind } from '../reports/report-kind.ts';
import type { LoadChanges, StaleConflict } from './unit-changes.ts';

/** One invalid value, located as the clerk sees it in Excel. */
export interface RejectEntry {
  sheet: string;
  /** Row number as Excel shows it. */
  row: number | null;
  /** Column header as the file writes it. */
  column: string;
  value: string | null;
  /** "中文原因 / English reason". */
  reason: string;
  reasonZh: string;
  reasonEn: string;
  code: string;
  /** The row's school: its code (null when it has none) and the registry's name, else the row's. */
  schoolCode: string | null;
  schoolName: string | null;
}

/** How many invalid values a file has in one column for one reason. */
export interface RejectCount {
  /** Column header as the file writes it. */
  column: string;
  code: string;
  count: number;
  /** The first such reject's reason (its parameters may differ from the others'). */
  reasonZh: string;
  reasonEn: string;
}

/** The contract's per-file result (one per report kind found in a file). */
export interface FileResult {
  path: string;
  kind: ReportKind | null;
  unchanged: boolean;
  rowsRead: number;
  rowsSkipped: number;
  rowsLoaded: number;
  rowsRejected: number;
  unitsLoaded: number;
  unitsRejected: number;
  /** Invalid values in file order, as many as the load's REJECTS_LISTED (group-rejects.ts) left. */
  rejects: RejectEntry[];
  /** Invalid values beyond those listed: in the load history (load_rejects), not here. */
  rejectsOmitted?: number;
  /** Every invalid value counted by column and reason, most frequent first (at most 50). */
  rejectCounts?: RejectCount[];
  /** Set when the file (or this kind's sheets) could not be processed at all. */
  error?: string;
  /** True when the failure was the warehouse's, not the file's. */
  warehouseError?: boolean;
  sheets?: string[];
  batchId?: number;
  warnings?: string[];
  /**
   * What the rules engine changed for the school-months this file touched (a dry run
   * reports what it would have changed). Absent when nothing was loaded.
   */
  flags?: FlagCounts;
  /** The units it wrote (new, replaced) and the flags it opened and closed. */
  changes?: LoadChanges;
  /**
   * Set (with `error`) when the file was refused because newer files replaced its units
   * since it was loaded; loading it anyway needs `force`.
   */
  conflict?: StaleConflict;
}

export interface LoadSummary {
  dryRun: boolean;
  files: FileResult[];
  /** The missing-report sweep after the files (absent on a dry run). */
  missingReports?: FlagCounts;
  /** Set when the sweep failed; the files' loads stand. */
  flagsError?: string;
  /** Set when nothing could be tried at all (the warehouse could not be opened). */
  error?: string;
  /** Machine-readable companion of `error`: WAREHOUSE_LOCKED or WAREHOUSE_ERROR. */
  errorCode?: 'WAREHOUSE_LOCKED' | 'WAREHOUSE_ERROR';
}

export function emptyResult(path: string, kind: ReportKind | null): FileResult {
  return {
    path,
    kind,
    unchanged: false,
    rowsRead: 0,
    rowsSkipped: 0,
    rowsLoaded: 0,
    rowsRejected: 0,
    unitsLoaded: 0,
    unitsRejected: 0,
    rejects: [],
  };
}

/**
 * Exit status of the contract: 0 everything accepted; 1 nothing could be loaded
 * (unreadable file, unknown kind, every unit rejected, warehouse error); 2 loaded, but
 * some units or files were rejected.
 */
export function exitCode(summary: LoadSummary): 0 | 1 | 2 {
  const files = summary.files;
  if (files.some((f) => f.warehouseError)) return 1;
  const anyProblem = files.some((f) => f.error !== undefined || f.unitsRejected > 0);
  if (!anyProblem) return files.length === 0 && summary.error !== undefined ? 1 : 0;
  const anyLoaded = files.some((f) => f.unchanged || f.unitsLoaded > 0);
  return anyLoaded ? 2 : 1;
}
