/**
 * Server-side progress of uploads, for the upload page: the page sends a random id of its
 * choosing with the upload (header `X-Upload-Id`) and polls
 * `GET /api/uploads/progress/:id` while it waits for the answer.
 *
 * Entries live in memory only, at most MAX_ENTRIES of them, each readable by the user who
 * started the upload and dropped shortly after the upload has answered. They hold counts
 * and a phase, never file names or contents.
 */
import type { LoadPhase, LoadProgress } from '../../etl/index.ts';

/** The request header naming an upload's id. */
export const UPLOAD_ID_HEADER = 'X-Upload-Id';

/** Short and URL-safe: what the page makes (22 base64url characters) and room for others. */
const UPLOAD_ID = /^[A-Za-z0-9_-]{16,64}$/u;

export function isUploadId(value: unknown): value is string {
  return typeof value === 'string' && UPLOAD_ID.test(value);
}

/**
 * receiving: the files are arriving; queued: another upload holds the warehouse writer;
 * then the loader's phases; failed: the upload ended without a summary (a refused form, an
 * error of ours). done and failed are final.
 */
export type UploadPhase = 'receiving' | 'queued' | LoadPhase | 'failed';

/** GET /api/uploads/progress/:id answers this. */
export interface UploadProgressView {
  phase: UploadPhase;
  filesDone: number;
  filesTotal: number;
  rowsRead: number;
  /** Milliseconds since the upload request arrived. */
  elapsedMs: number;
  /** Bytes of the uploaded files received so far. */
  receivedBytes?: number;
}

interface Entry {
  userId: number;
  startedAt: number;
  /** Set when the upload has answered; the entry goes `keepMs` later. */
  endedAt: number | null;
  phase: UploadPhase;
  filesDone: number;
  filesTotal: number;
  rowsRead: number;
  receivedBytes: () => number | undefined;
}

/** What the upload route updates; a no-op one when the upload is not tracked. */
export interface UploadProgressHandle {
  /** The files are in (`bytes` received in all, `files` stored); next: the writer's turn. */
  received(bytes: number | undefined, files: number): void;
  /** The load starts (it holds the warehouse writer). */
  loading(): void;
  /** loadPaths' onProgress. */
  onProgress(progress: LoadProgress): void;
  /** The upload has answered (with a summary, or not). */
  end(outcome: 'done' | 'failed'): void;
}

const NOOP: UploadProgressHandle = {
  received() {},
  loading() {},
  onProgress() {},
  end() {},
};

export interface UploadProgressOptions {
  /** At most this many entries at once (default 200). */
  maxEntries?: number;
  /** How long an entry stays readable after its upload answered (default 30 s). */
  keepMs?: number;
  /** Clock in milliseconds (tests). */
  now?: () => number;
}

export class UploadProgressStore {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly keepMs: number;
  private readonly now: () => number;

  constructor(options: UploadProgressOptions = {}) {
    this.maxEntries = options.maxEntries ?? 200;
    this.keepMs = options.keepMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    this.sweep();
    return this.entries.size;
  }

  /**
   * Starts tracking upload `id` for `userId`. Not tracked (a no-op handle; the upload goes
   * on regardless) when the id is malformed or taken, or when the store is full of uploads
   * still running. `receivedBytes` reports the bytes received so far while receiving.
   */
  start(
    id: unknown,
    userId: number,
    receivedBytes: () => number | undefined = () => undefined,
  ): UploadProgressHandle {
    if (!isUploadId(id)) return NOOP;
    this.sweep();
    if (this.entries.has(id)) return NOOP;
    if (this.entries.size >= this.maxEntries && !this.evictOneEnded()) return NOOP;
    const entry: Entry = {
      userId,
      startedAt: this.now(),
      endedAt: null,
      phase: 'receiving',
      filesDone: 0,
      filesTotal: 0,
      rowsRead: 0,
      receivedBytes,
    };
    this.entries.set(id, entry);
    const live = (): boolean => this.entries.get(id) === entry && entry.endedAt === null;
    return {
      received: (bytes, files) => {
        if (!live()) return;
        entry.receivedBytes = () => bytes;
        entry.filesTotal = files;
        entry.phase = 'queued';
      },
      loading: () => {
        if (live()) entry.phase = 'reading';
      },
      onProgress: (p) => {
        if (!live()) return;
        entry.phase = p.phase;
        entry.filesDone = p.filesDone;
        entry.filesTotal = p.filesTotal;
        entry.rowsRead = p.rowsRead;
      },
      end: (outcome) => {
        if (!live()) return;
        const bytes = entry.receivedBytes();
        entry.receivedBytes = () => bytes;
        entry.phase = outcome;
        entry.endedAt = this.now();
        // Gone without waiting for the next request to sweep (which also checks the clock).
        const forget = setTimeout(() => {
          if (this.entries.get(id) === entry) this.entries.delete(id);
        }, this.keepMs);
        forget.unref();
      },
    };
  }

  /** The upload's progress for `userId`; null for an unknown id and for another user's. */
  read(id: string, userId: number): UploadProgressView | null {
    this.sweep();
    const entry = this.entries.get(id);
    if (!entry || entry.userId !== userId) return null;
    const bytes = entry.receivedBytes();
    return {
      phase: entry.phase,
      filesDone: entry.filesDone,
      filesTotal: entry.filesTotal,
      rowsRead: entry.rowsRead,
      elapsedMs: Math.max(0, (entry.endedAt ?? this.now()) - entry.startedAt),
      ...(bytes === undefined ? {} : { receivedBytes: bytes }),
    };
  }

  /** Drops the entries whose upload answered more than keepMs ago. */
  private sweep(): void {
    const now = this.now();
    for (const [id, entry] of this.entries)
      if (entry.endedAt !== null && now - entry.endedAt >= this.keepMs) this.entries.delete(id);
  }

  /** Makes room by dropping the oldest finished entry; false when every entry still runs. */
  private evictOneEnded(): boolean {
    for (const [id, entry] of this.entries)
      if (entry.endedAt !== null) {
        this.entries.delete(id);
        return true;
      }
    return false;
  }
}
