/**
 * The workbook reader's worker thread: runs one job at a time for xlsx-host.ts.
 *
 * Protocol (all messages carry the job id):
 * - host → worker `preview` → worker answers `result` (the sheet previews) or `error`;
 * - host → worker `rows` → worker sends `batch` messages, at most `window` ahead of the
 *   `credit` messages the host sends as it takes batches, then `done` or `error`.
 * Waiting for credit pauses the inflate and the parse, so neither side's queue grows.
 */
import { parentPort } from 'node:worker_threads';
import { XlsxReadError, unreadable, errorText } from './xlsx-errors.ts';
import type { XlsxLimits } from './xlsx-limits.ts';
import { previewWorkbook, streamRows, type RowBatch, type SheetRequest } from './xlsx-reader.ts';

export type HostMessage =
  | { type: 'preview'; id: number; path: string; limits: XlsxLimits; previewRows: number }
  | {
      type: 'rows';
      id: number;
      path: string;
      limits: XlsxLimits;
      sheets: SheetRequest[];
      batchRows: number;
      window: number;
    }
  | { type: 'credit'; id: number };

export type WorkerMessage =
  | { type: 'result'; id: number; value: unknown }
  | { type: 'batch'; id: number; batch: RowBatch }
  | { type: 'done'; id: number }
  | { type: 'error'; id: number; error: ReturnType<XlsxReadError['toData']> };

const port = parentPort;
if (!port) throw new Error('xlsx-worker.ts runs only as a worker thread');

/** The rows job under way: credits for an earlier job (sent as it took its last batches) are void. */
let rowsJob = 0;
let credits = 0;
let wakeOnCredit: (() => void) | null = null;

const post = (message: WorkerMessage): void => port.postMessage(message);

async function run(message: Exclude<HostMessage, { type: 'credit' }>): Promise<void> {
  const { id } = message;
  try {
    if (message.type === 'preview') {
      const value = await previewWorkbook(message.path, message.limits, message.previewRows);
      post({ type: 'result', id, value });
      return;
    }
    rowsJob = id;
    credits = message.window;
    await streamRows(
      message.path,
      message.limits,
      message.sheets,
      message.batchRows,
      async (batch) => {
        while (credits === 0) await new Promise<void>((resolve) => (wakeOnCredit = resolve));
        credits--;
        post({ type: 'batch', id, batch });
      },
    );
    post({ type: 'done', id });
  } catch (err) {
    const error =
      err instanceof XlsxReadError ? err : unreadable(message.path, undefined, errorText(err));
    post({ type: 'error', id, error: error.toData() });
  }
}

port.on('message', (message: HostMessage) => {
  if (message.type === 'credit') {
    if (message.id !== rowsJob) return;
    credits++;
    const wake = wakeOnCredit;
    wakeOnCredit = null;
    wake?.();
    return;
  }
  void run(message);
});
