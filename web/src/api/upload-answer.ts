/**
 * The answer of POST /api/uploads: the `etl load --json` document (cli-contract.md) for
 * 200 (all accepted) and 422 (some units rejected, or nothing loaded — the body tells
 * which), or a JSON error `{ error: { code, message } }` for 400 / 401 / 403 / 413 / 500.
 * No DOM here, so the node tests read answers as the browser does.
 */
import { chineseMessage } from './client.ts';

export type ReportKind = 'registry' | 'assignments' | 'monthly' | 'participation' | 'survey';

/** What the rules engine changed for the school-months a file touched. */
export interface FlagCounts {
  raised: number;
  updated: number;
  resolved: number;
  reopened: number;
}

/** One invalid value, located as the clerk sees it in Excel. */
export interface UploadReject {
  sheet: string;
  /** Row number as Excel shows it (CSV: the line); null for a file-level reject. */
  row: number | null;
  column: string;
  value: string | null;
  /** "中文 / English". */
  reason: string;
  reasonZh: string;
  reasonEn: string;
  code: string;
  /** The row's school: its code and the registry's name (else the row's 学校名称). */
  schoolCode?: string | null;
  schoolName?: string | null;
}

/** How many invalid values a file has in one column for one reason (the first one's wording). */
export interface UploadRejectCount {
  column: string;
  code: string;
  count: number;
  reasonZh: string;
  reasonEn: string;
}

/** One result per report kind found in a file; `path` is the name the clerk uploaded. */
export interface UploadFileResult {
  path: string;
  /** null: not a report the ETL recognises (or a refused file type); `error` says why. */
  kind: ReportKind | null;
  unchanged: boolean;
  rowsRead: number;
  rowsSkipped: number;
  rowsLoaded: number;
  rowsRejected: number;
  unitsLoaded: number;
  unitsRejected: number;
  /** The file's first invalid values, up to the upload's REJECTS_LISTED (etl/load/group-rejects.ts) in all; the load history holds them all. */
  rejects: UploadReject[];
  /** Invalid values beyond those listed. */
  rejectsOmitted?: number;
  /** Every invalid value counted by column and reason, most frequent first. */
  rejectCounts?: UploadRejectCount[];
  /** "中文 / English"; set when the file could not be processed at all. */
  error?: string;
  warehouseError?: boolean;
  sheets?: string[];
  batchId?: number;
  warnings?: string[];
  /** Absent when nothing was loaded. */
  flags?: FlagCounts;
  /** What the load changed: units new and replaced, 违规预警 opened and closed. */
  changes?: UploadChanges;
  /** Set (with `error`) when newer files replaced the file's units since it was loaded. */
  conflict?: UploadConflict;
}

/** A file refused because loading it would undo newer files' corrections (etl/load/unit-changes.ts). */
export interface UploadConflict {
  units: number;
  /** Newest first; loadedAt is Asia/Shanghai "YYYY-MM-DD HH:MM". */
  newer: Array<{ fileName: string; batchId: number; loadedAt: string; units: number }>;
  sample: Array<{ schoolCode: string | null; month: string | null; newerFile: string }>;
}

export interface UploadChanges {
  unitsNew: number;
  unitsReplaced: number;
  units: Array<{
    schoolCode: string | null;
    month: string | null;
    previousFile: string | null;
    previousLoadedAt: string | null;
  }>;
  flagsOpened: number;
  flagsClosed: number;
  flags: Array<{
    flagId: number;
    schoolCode: string;
    month: string | null;
    code: string;
    /** The flag code's Chinese name. */
    label: string;
    change: 'opened' | 'closed';
  }>;
}

export interface UploadSummary {
  dryRun: boolean;
  files: UploadFileResult[];
  /** The missing-report sweep after the files (未按期报送). */
  missingReports?: FlagCounts;
  flagsError?: string;
}

export type UploadOutcome =
  | { ok: true; status: 200 | 422; summary: UploadSummary }
  | { ok: false; status: number; code: string; message: string };

export interface UploadProgress {
  /** Bytes sent so far and in all (the whole multipart body). */
  sent: number;
  total: number;
}

interface ProblemBody {
  error?: { code?: string; message?: string };
}

function isSummary(body: unknown): body is UploadSummary {
  return typeof body === 'object' && body !== null && Array.isArray((body as UploadSummary).files);
}

/** The outcome of an answer: a summary for 200/422, a Chinese message otherwise. */
export function readUploadAnswer(status: number, text: string): UploadOutcome {
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's error page): described by its status below.
  }
  if ((status === 200 || status === 422) && isSummary(body))
    return { ok: true, status, summary: body };
  const problem = (body as ProblemBody | null)?.error;
  if (problem?.message)
    return {
      ok: false,
      status,
      code: problem.code ?? 'ERROR',
      message: chineseMessage(problem.message),
    };
  return {
    ok: false,
    status,
    code: status === 0 ? 'NETWORK' : 'BAD_RESPONSE',
    message: status === 0 ? '无法连接服务器，请检查网络后重试' : `服务器返回异常（HTTP ${status}）`,
  };
}
