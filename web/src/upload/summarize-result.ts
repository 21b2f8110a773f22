/**
 * The upload answer as the view shows it: each file's status in the clerk's words, its
 * error in Chinese, every reject as one table row, and the upload's totals. Totals are
 * sums of the server's counts (as `etl load` prints them); nothing is estimated.
 */
import { chineseMessage } from '../api/client.ts';
import type { FlagCounts, UploadFileResult, UploadSummary } from '../api/upload-answer.ts';

/** What became of one file (or one load batch). */
export type LoadStatus = 'loaded' | 'unchanged' | 'partial' | 'failed';

export const LOAD_STATUS_LABEL: Record<LoadStatus, string> = {
  loaded: '已导入',
  unchanged: '未变化',
  partial: '部分拒绝',
  failed: '失败',
};

/** Badge class of each status (styles.css). */
export const LOAD_STATUS_BADGE: Record<LoadStatus, string> = {
  loaded: 'badge-good',
  unchanged: 'badge-neutral',
  partial: 'badge-warning',
  failed: 'badge-alert',
};

export interface StatusInput {
  unchanged: boolean;
  unitsLoaded: number;
  unitsRejected: number;
  error?: string | null | undefined;
}

/**
 * A file that could not be read, or whose every unit was rejected, failed; one with both
 * loaded and rejected units is partly rejected; a byte-identical file is unchanged.
 */
export function loadStatus(input: StatusInput): LoadStatus {
  if (input.error !== undefined && input.error !== null) return 'failed';
  if (input.unchanged) return 'unchanged';
  if (input.unitsRejected > 0) return input.unitsLoaded > 0 ? 'partial' : 'failed';
  return 'loaded';
}

/** The Chinese explanation of a failed file; null when it did not fail. */
export function failureText(file: UploadFileResult): string | null {
  if (file.error !== undefined) return chineseMessage(file.error);
  if (loadStatus(file) === 'failed') return '所有数据均未通过校验，未导入任何数据，请查看拒绝明细';
  return null;
}

/** The English half of a bilingual message ("中文 / English"), or null. */
export function englishMessage(message: string): string | null {
  const at = message.indexOf(' / ');
  return at < 0 ? null : message.slice(at + 3).trim();
}

/** One reject as a row of the reject table. */
export interface RejectRow {
  key: string;
  file: string;
  sheet: string | null;
  row: number | null;
  column: string | null;
  value: string | null;
  reasonZh: string;
  reasonEn: string;
  /** The row's school, "code name" (absent when the answer names none). */
  school?: string | null;
}

/** Every file's rejects in file order, then in the order the server gave them. */
export function rejectRows(summary: UploadSummary): RejectRow[] {
  return summary.files.flatMap((file, fileIndex) =>
    file.rejects.map((r, index) => ({
      key: `${fileIndex}-${index}`,
      file: file.path,
      sheet: r.sheet,
      row: r.row,
      column: r.column,
      value: r.value,
      reasonZh: r.reasonZh,
      reasonEn: r.reasonEn,
      school: [r.schoolCode, r.schoolName].filter((x) => x).join(' ') || null,
    })),
  );
}

export interface UploadTotals {
  /** Files the clerk chose (distinct names): a workbook holding two reports is one file. */
  files: number;
  /** Results, one per report kind found in a file: one card each. */
  results: number;
  /** Cards by status, as their badges read. */
  byStatus: Record<LoadStatus, number>;
  /** Files of which nothing could be loaded (every result failed). */
  failedFiles: number;
  /** Files identical to what is loaded (every result unchanged): nothing written. */
  unchangedFiles: number;
  rowsLoaded: number;
  rowsRejected: number;
  /** Every invalid value, listed or not. */
  rejects: number;
  /** Of those, the ones the answer does not list (beyond its first thousand). */
  rejectsOmitted: number;
}

const STATUS_ORDER: readonly LoadStatus[] = ['loaded', 'partial', 'unchanged', 'failed'];

export function uploadTotals(summary: UploadSummary): UploadTotals {
  const sum = (pick: (f: UploadFileResult) => number): number =>
    summary.files.reduce((n, f) => n + pick(f), 0);
  const statusesByFile = new Map<string, LoadStatus[]>();
  const byStatus: Record<LoadStatus, number> = { loaded: 0, partial: 0, unchanged: 0, failed: 0 };
  for (const f of summary.files) {
    const status = loadStatus(f);
    byStatus[status] += 1;
    statusesByFile.set(f.path, [...(statusesByFile.get(f.path) ?? []), status]);
  }
  const filesWhere = (status: LoadStatus): number =>
    [...statusesByFile.values()].filter((all) => all.every((s) => s === status)).length;
  return {
    files: statusesByFile.size,
    results: summary.files.length,
    byStatus,
    failedFiles: filesWhere('failed'),
    unchangedFiles: filesWhere('unchanged'),
    rowsLoaded: sum((f) => f.rowsLoaded),
    rowsRejected: sum((f) => f.rowsRejected),
    rejects: sum((f) => f.rejects.length + (f.rejectsOmitted ?? 0)),
    rejectsOmitted: sum((f) => f.rejectsOmitted ?? 0),
  };
}

/**
 * The files card's line under its count, in the words of the cards' badges:
 * "已导入 1 · 未变化 1 · 失败 1", prefixed "4 份报表：" when a file held several reports.
 */
export function statusCountsText(totals: UploadTotals): string {
  const counts = STATUS_ORDER.filter((s) => totals.byStatus[s] > 0)
    .map((s) => `${LOAD_STATUS_LABEL[s]} ${totals.byStatus[s]}`)
    .join(' · ');
  return totals.results === totals.files ? counts : `${totals.results} 份报表：${counts}`;
}

/** "新增 1 · 更新 0 · 自动解除 0 · 重新打开 0". */
export function flagCountsText(counts: FlagCounts): string {
  return [
    `新增 ${counts.raised}`,
    `更新 ${counts.updated}`,
    `自动解除 ${counts.resolved}`,
    `重新打开 ${counts.reopened}`,
  ].join(' · ');
}

/** The headline of an answer: everything accepted, some rejected, or nothing loaded. */
export function outcomeHeadline(summary: UploadSummary): {
  tone: 'good' | 'warning' | 'alert';
  text: string;
} {
  const statuses = summary.files.map(loadStatus);
  if (statuses.length > 0 && statuses.every((s) => s === 'unchanged'))
    return { tone: 'good', text: '文件与已导入的完全相同，未作改动' };
  if (statuses.length > 0 && statuses.every((s) => s === 'loaded'))
    return { tone: 'good', text: '全部文件已通过校验并导入' };
  if (statuses.length > 0 && statuses.every((s) => s === 'loaded' || s === 'unchanged'))
    return { tone: 'good', text: '已通过校验并导入；与已导入相同的文件未作改动' };
  if (statuses.some((s) => s === 'loaded' || s === 'partial'))
    return {
      tone: 'warning',
      text: '部分数据未通过校验，已导入其余数据；请将拒绝明细退回学校核对',
    };
  return { tone: 'alert', text: '没有数据被导入，请查看各文件的失败原因' };
}
