/**
 * The server's side of an upload while the page waits for the answer: the page names its
 * upload with a random id (header X-Upload-Id on POST /api/uploads) and polls
 * GET /api/uploads/progress/:id. Reading answers needs no DOM, so node tests share it.
 */

/** The request header naming the upload (server/http/upload-progress.ts). */
export const UPLOAD_ID_HEADER = 'X-Upload-Id';

/**
 * receiving: the server is receiving the files; queued: another upload is loading; then the
 * loader's phases; done / failed: over (the POST's answer follows).
 */
export type ServerUploadPhase =
  | 'receiving'
  | 'queued'
  | 'reading'
  | 'validating'
  | 'writing'
  | 'judging'
  | 'sweeping'
  | 'done'
  | 'failed';

const PHASES: readonly string[] = [
  'receiving',
  'queued',
  'reading',
  'validating',
  'writing',
  'judging',
  'sweeping',
  'done',
  'failed',
] satisfies readonly ServerUploadPhase[];

export interface ServerUploadProgress {
  phase: ServerUploadPhase;
  filesDone: number;
  filesTotal: number;
  rowsRead: number;
  /** Since the server received the upload request. */
  elapsedMs: number;
  /** Bytes of the files the server has stored so far. */
  receivedBytes?: number;
}

/**
 * A fresh upload id: 16 random bytes, base64url (22 characters). getRandomValues works on
 * plain-HTTP intranet addresses too, where crypto.randomUUID does not exist.
 */
export function newUploadId(
  random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b),
): string {
  const bytes = random(new Uint8Array(16));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** The progress in a GET answer; null for anything else (not yet known, 404, an error page). */
export function readProgressAnswer(status: number, text: string): ServerUploadProgress | null {
  if (status !== 200) return null;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof body !== 'object' || body === null) return null;
  const b = body as Record<string, unknown>;
  if (typeof b.phase !== 'string' || !PHASES.includes(b.phase)) return null;
  if (![b.filesDone, b.filesTotal, b.rowsRead, b.elapsedMs].every(isCount)) return null;
  return {
    phase: b.phase as ServerUploadPhase,
    filesDone: b.filesDone as number,
    filesTotal: b.filesTotal as number,
    rowsRead: b.rowsRead as number,
    elapsedMs: b.elapsedMs as number,
    ...(isCount(b.receivedBytes) ? { receivedBytes: b.receivedBytes } : {}),
  };
}

/**
 * Polls the upload's progress every `everyMs` (one request at a time) and hands each answer
 * with progress to `onProgress`; answers without (the upload not registered yet, a network
 * hiccup) are skipped. Returns the function that stops it.
 */
export function watchUploadProgress(
  id: string,
  onProgress: (progress: ServerUploadProgress) => void,
  everyMs = 1000,
): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const controller = new AbortController();
  const poll = async (): Promise<void> => {
    try {
      const response = await fetch(`/api/uploads/progress/${encodeURIComponent(id)}`, {
        credentials: 'same-origin',
        // The server answers with Cache-Control: no-store.
        headers: { accept: 'application/json' },
        signal: controller.signal,
      });
      const progress = readProgressAnswer(response.status, await response.text());
      if (progress && !stopped) onProgress(progress);
    } catch {
      // Aborted, or the network: the upload's own answer tells what happened.
    }
    if (!stopped) timer = setTimeout(() => void poll(), everyMs);
  };
  timer = setTimeout(() => void poll(), Math.min(everyMs, 500));
  return () => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
    controller.abort();
  };
}
