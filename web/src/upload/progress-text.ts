/**
 * What the upload page says while an upload runs: the steps (上传文件 in the browser, then
 * the server's phases), the current one in a sentence, and the figures, zh-CN formatted.
 * Pure, so node tests cover it.
 */
import type { ServerUploadPhase, ServerUploadProgress } from '../api/upload-progress.ts';
import { integer } from '../format/format.ts';
import { fileSize } from './choose-files.ts';

/** The steps shown in order; a load of several report kinds goes through 读取 … 判定违规预警 once per kind. */
export const UPLOAD_STEPS = [
  { key: 'sending', label: '上传文件' },
  { key: 'receiving', label: '接收文件' },
  { key: 'reading', label: '读取' },
  { key: 'validating', label: '校验' },
  { key: 'writing', label: '写入' },
  { key: 'judging', label: '判定违规预警' },
  { key: 'sweeping', label: '缺报检查' },
] as const;

export type UploadStepKey = (typeof UPLOAD_STEPS)[number]['key'];

/** Where the upload is: the browser still sending, or a server phase (null: not known yet). */
export type UploadStage = 'sending' | ServerUploadPhase | null;

const SENTENCE: Record<Exclude<UploadStage, null>, string> = {
  sending: '正在上传文件',
  receiving: '服务器正在接收文件',
  queued: '排队等待：另一批文件正在导入',
  reading: '正在读取文件',
  validating: '正在校验数据',
  writing: '正在写入数据仓库',
  judging: '正在判定违规预警',
  sweeping: '正在进行缺报检查',
  done: '导入完成，正在整理结果',
  failed: '服务器未能完成导入',
};

/** The current stage: the browser's sending first, then what the server last said. */
export function uploadStage(sending: boolean, server: ServerUploadProgress | null): UploadStage {
  if (sending) return 'sending';
  return server?.phase ?? null;
}

/** The sentence for the stage ("上传完成，等待服务器处理" before the server has said anything). */
export function stageSentence(stage: UploadStage): string {
  return stage === null ? '上传完成，等待服务器处理' : SENTENCE[stage];
}

/**
 * The step to mark as current: sent but not heard of yet, or queued, is still 接收文件 (the
 * server has the files, the load has not begun); done and failed mark none.
 */
export function currentStep(stage: UploadStage): UploadStepKey | null {
  if (stage === 'done' || stage === 'failed') return null;
  if (stage === null || stage === 'queued') return 'receiving';
  return stage;
}

/** 6200 → "6.2 秒"; 65000 → "1 分 05 秒". */
export function elapsedText(ms: number): string {
  const safe = Math.max(0, ms);
  if (safe < 59_950) return `${(safe / 1000).toFixed(1)} 秒`;
  const seconds = Math.round(safe / 1000);
  return `${Math.floor(seconds / 60)} 分 ${String(seconds % 60).padStart(2, '0')} 秒`;
}

/** "12.3 MB / 27.0 MB（45%）". */
export function bytesText(sent: number, total: number): string {
  const pct = total > 0 ? Math.min(100, Math.floor((sent / total) * 100)) : 0;
  return `${fileSize(sent)} / ${fileSize(total)}（${pct}%）`;
}

/** "120 / 282 个"; "—" while the server has not counted the files. */
export function filesText(server: ServerUploadProgress | null): string {
  if (!server || server.filesTotal === 0) return '—';
  return `${integer(server.filesDone)} / ${integer(server.filesTotal)} 个`;
}

/** "24,310 行". */
export function rowsText(server: ServerUploadProgress | null): string {
  return server ? `${integer(server.rowsRead)} 行` : '—';
}

/**
 * The main bar's fraction: bytes while sending, files done while loading, null (a moving
 * bar) when there is nothing to measure.
 */
export function barFraction(
  stage: UploadStage,
  sent: number,
  total: number,
  server: ServerUploadProgress | null,
): number | null {
  if (stage === 'sending') return total > 0 ? Math.min(1, sent / total) : 0;
  if (stage === 'done') return 1;
  if (server && server.filesTotal > 0 && stage !== 'receiving' && stage !== 'queued')
    return Math.min(1, server.filesDone / server.filesTotal);
  return null;
}
