/**
 * Runs the workbook reader in a worker thread, so a runaway file cannot take the API server
 * (or the CLI) down: the thread's V8 heap is capped (`resourceLimits`), each job has a
 * wall-clock limit, and a thread that runs out of memory, crashes or overruns is
 * terminated and reported as a bilingual error for that file only.
 *
 * One thread serves the process, one job at a time (jobs queue), and is kept between jobs:
 * starting one costs ~0.4 s from the sources (it registers tsx to load the TypeScript reader), which a
 * folder of 300 files would otherwise pay twice per workbook. It is unref'd while idle (the
 * CLI can exit) and ended after a minute without work. After a failed or abandoned job it is
 * replaced, so every job starts in a clean thread state.
 */
import { Worker } from 'node:worker_threads';
import { XlsxReadError, type XlsxErrorData } from './xlsx-errors.ts';
import { limitTexts, type XlsxLimits } from './xlsx-limits.ts';
import type { RowBatch, SheetPreviewData, SheetRequest } from './xlsx-reader.ts';
import type { HostMessage, WorkerMessage } from './xlsx-worker.ts';

/**
 * The thread's entry: compiled (dist/, `npm start`) this module is JavaScript and so is the
 * worker beside it, which plain node loads; from the sources (tsx, Vitest) the boot file
 * registers tsx in the thread first.
 */
const BOOT = import.meta.url.endsWith('.js')
  ? new URL('./xlsx-worker.js', import.meta.url)
  : new URL('./xlsx-worker-boot.mjs', import.meta.url);
const IDLE_MS = 60_000;
/** Batches the worker may send ahead of the consumer. */
const WINDOW = 4;
const BATCH_ROWS = 2_000;

interface Lease {
  worker: Worker;
  /** Gives the thread back: kept when `clean`, else terminated. */
  release(clean: boolean): void;
}

let current: { worker: Worker; heapMb: number } | null = null;
let idleTimer: NodeJS.Timeout | null = null;
let busy = false;
const waiting: Array<() => void> = [];
let nextId = 1;

function spawn(heapMb: number): Worker {
  const worker = new Worker(BOOT, {
    // The parent's flags (tsx's loader, --max-old-space-size…) are not the thread's business;
    // its source maps are (a compiled reader's stack traces then name the .ts line).
    execArgv: process.sourceMapsEnabled ? ['--enable-source-maps'] : [],
    resourceLimits: {
      maxOldGenerationSizeMb: heapMb,
      maxYoungGenerationSizeMb: Math.max(4, Math.min(64, Math.floor(heapMb / 8))),
    },
  });
  // An idle thread must not hold up the exit of the process; errors are handled per job.
  worker.on('error', () => undefined);
  // A thread that ended outside a job is not given the next one.
  worker.once('exit', () => {
    if (current?.worker === worker) current = null;
  });
  worker.unref();
  return worker;
}

function retire(): void {
  if (!current) return;
  const { worker } = current;
  current = null;
  void worker.terminate().catch(() => undefined);
}

async function acquire(heapMb: number): Promise<Lease> {
  // A releasing job hands `busy` straight to the next waiter, so no newcomer slips in.
  if (busy) await new Promise<void>((resolve) => waiting.push(resolve));
  else busy = true;
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  if (current && current.heapMb !== heapMb) retire();
  current ??= { worker: spawn(heapMb), heapMb };
  const { worker } = current;
  worker.ref();
  let released = false;
  return {
    worker,
    release(clean: boolean): void {
      if (released) return;
      released = true;
      if (!clean || current?.worker !== worker) {
        if (current?.worker === worker) retire();
        else void worker.terminate().catch(() => undefined);
      } else {
        worker.unref();
        idleTimer = setTimeout(retire, IDLE_MS);
        idleTimer.unref();
      }
      const next = waiting.shift();
      if (next) next();
      else busy = false;
    },
  };
}

function failure(code: 'limit' | 'worker', zh: string, en: string, limit?: keyof XlsxLimits) {
  return new XlsxReadError({
    code,
    zh,
    en,
    message: `${zh} / ${en}`,
    ...(limit ? { limit } : {}),
  });
}

/** What a thread's death means for the file. */
function deathError(err: unknown, limits: XlsxLimits): XlsxReadError {
  const code = (err as { code?: string } | null)?.code;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
    const { zh, en } = limitTexts('workerHeapMb', limits);
    return failure('limit', zh, en, 'workerHeapMb');
  }
  const detail = err instanceof Error ? err.message : String(err);
  return failure(
    'worker',
    `读取工作簿的后台线程意外退出（${detail}），文件未载入`,
    `the workbook reader stopped unexpectedly (${detail}); the file was not loaded`,
  );
}

function timeoutError(limits: XlsxLimits): XlsxReadError {
  const { zh, en } = limitTexts('timeoutSeconds', limits);
  return failure('limit', zh, en, 'timeoutSeconds');
}

/**
 * Watches one job on a leased thread: its messages, the thread's death, the clock. Returns
 * the function that stops watching.
 */
function watch(
  lease: Lease,
  id: number,
  limits: XlsxLimits,
  onMessage: (m: WorkerMessage) => void,
  onFailure: (e: XlsxReadError) => void,
): () => void {
  const { worker } = lease;
  let dead = false;
  const die = (e: XlsxReadError): void => {
    if (dead) return;
    dead = true;
    onFailure(e);
  };
  const message = (m: WorkerMessage): void => {
    if (m.id === id) onMessage(m);
  };
  const error = (err: unknown): void => die(deathError(err, limits));
  const exit = (codeNo: number): void => die(deathError(new Error(`exit code ${codeNo}`), limits));
  const timer = setTimeout(() => {
    die(timeoutError(limits));
    void worker.terminate().catch(() => undefined);
  }, limits.timeoutSeconds * 1000);
  worker.on('message', message);
  worker.on('error', error);
  worker.on('exit', exit);
  return () => {
    dead = true;
    clearTimeout(timer);
    worker.off('message', message);
    worker.off('error', error);
    worker.off('exit', exit);
  };
}

const asError = (data: XlsxErrorData): XlsxReadError => new XlsxReadError(data);

/** Names, visibility and first rows of every worksheet, read by the worker. */
export async function previewInWorker(
  path: string,
  limits: XlsxLimits,
  previewRows: number,
): Promise<SheetPreviewData[]> {
  const lease = await acquire(limits.workerHeapMb);
  const id = nextId++;
  let clean = false;
  let stop = (): void => undefined;
  try {
    return await new Promise<SheetPreviewData[]>((resolve, reject) => {
      stop = watch(
        lease,
        id,
        limits,
        (m) => {
          if (m.type === 'result') {
            clean = true;
            resolve(m.value as SheetPreviewData[]);
          } else if (m.type === 'error') {
            clean = true; // the worker reported it: the thread itself is sound
            reject(asError(m.error));
          }
        },
        reject,
      );
      const job: HostMessage = { type: 'preview', id, path, limits, previewRows };
      lease.worker.postMessage(job);
    });
  } finally {
    stop();
    lease.release(clean);
  }
}

/**
 * The rows after `afterRow` of the given sheets, in batches, read by the worker. The worker
 * stays at most WINDOW batches ahead of the consumer; stopping early ends the job (and the
 * thread).
 */
export async function* rowsInWorker(
  path: string,
  limits: XlsxLimits,
  sheets: readonly SheetRequest[],
): AsyncGenerator<RowBatch, void, undefined> {
  const lease = await acquire(limits.workerHeapMb);
  const id = nextId++;
  const queue: RowBatch[] = [];
  let done = false;
  let failed: XlsxReadError | null = null;
  /** The worker itself reported the failure: the thread is sound and may be kept. */
  let reported = false;
  let wake: (() => void) | null = null;
  const signal = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  const stop = watch(
    lease,
    id,
    limits,
    (m) => {
      if (m.type === 'batch') queue.push(m.batch);
      else if (m.type === 'done') done = true;
      else if (m.type === 'error') {
        done = true;
        reported = true;
        failed = asError(m.error);
      }
      signal();
    },
    (e) => {
      failed = e;
      signal();
    },
  );
  let clean = false;
  try {
    const job: HostMessage = {
      type: 'rows',
      id,
      path,
      limits,
      sheets: [...sheets],
      batchRows: BATCH_ROWS,
      window: WINDOW,
    };
    lease.worker.postMessage(job);
    for (;;) {
      while (queue.length === 0 && !done && failed === null) {
        await new Promise<void>((resolve) => (wake = resolve));
      }
      if (failed !== null) throw failed;
      const batch = queue.shift();
      if (batch === undefined) {
        clean = true;
        return;
      }
      const credit: HostMessage = { type: 'credit', id };
      lease.worker.postMessage(credit);
      yield batch;
    }
  } finally {
    stop();
    // Death, timeout or a consumer giving up mid-job replace the thread.
    lease.release(clean || reported);
  }
}
