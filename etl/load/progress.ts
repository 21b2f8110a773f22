/**
 * Progress of a load run, for whoever watches a long one (the CLI and the demo on stderr,
 * the upload page through the server). Reported at phase changes and, while a large file
 * streams in, every few thousand rows; never per row.
 */
export type LoadPhase = 'reading' | 'validating' | 'writing' | 'judging' | 'sweeping' | 'done';

export interface LoadProgress {
  /** Files finished (loaded, rejected, failed or unchanged) out of the run's total. */
  filesDone: number;
  filesTotal: number;
  /** Rows read so far from the run's files (data, title and skipped rows alike). */
  rowsRead: number;
  /** Milliseconds since the run started. */
  elapsedMs: number;
  phase: LoadPhase;
  /** The file being read, while one is. */
  file?: string;
}

export type ProgressListener = (progress: LoadProgress) => void;

/** Keeps the run's counters and tells the listener; a listener that throws is ignored. */
export class ProgressTracker {
  private readonly started = performance.now();
  private filesDone = 0;
  private rowsRead = 0;
  private phase: LoadPhase = 'reading';
  private file: string | undefined;

  constructor(
    private readonly filesTotal: number,
    private readonly listener: ProgressListener | undefined,
  ) {}

  /** A phase starts (for `file`, when reading one). */
  enter(phase: LoadPhase, file?: string): void {
    this.phase = phase;
    this.file = file;
    this.emit();
  }

  /** More rows were read from the current file. */
  addRows(n: number): void {
    this.rowsRead += n;
    this.emit();
  }

  /** `n` more files are finished. */
  finishFiles(n: number): void {
    this.filesDone += n;
    this.emit();
  }

  snapshot(): LoadProgress {
    return {
      filesDone: this.filesDone,
      filesTotal: this.filesTotal,
      rowsRead: this.rowsRead,
      elapsedMs: Math.round(performance.now() - this.started),
      phase: this.phase,
      ...(this.file !== undefined ? { file: this.file } : {}),
    };
  }

  private emit(): void {
    if (!this.listener) return;
    try {
      this.listener(this.snapshot());
    } catch {
      // A broken display must not break the load.
    }
  }
}
