/**
 * Progress of a long load on stderr, for `etl load` and `npm run demo`: files done / total,
 * rows read, elapsed time and phase. Nothing for a load that ends within about a second;
 * then on a terminal one line redrawn in place (with a bar), elsewhere (CI logs, pipes) a
 * plain line at most every 5 s and a final one. stdout is never touched.
 *
 * Fed by loadPaths' onProgress, which may call often (per phase, per file, every few
 * thousand rows): the display keeps the newest report and draws on its own schedule.
 */
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import type { LoadPhase, LoadProgress } from './load/progress.ts';

export const PHASE_LABEL: Readonly<Record<LoadPhase, string>> = {
  reading: '读取 reading',
  validating: '校验 validating',
  writing: '写入 writing',
  judging: '判定违规预警 judging',
  sweeping: '缺报检查 sweeping',
  done: '完成 done',
};
/** Before the loader's first report (the files are being listed and ordered). */
export const PREPARING_LABEL = '准备 preparing';

const LABEL = '载入 loading';
const BAR_WIDTH = 24;
/** Files over this size get their size beside their name: they take a while. */
const LARGE_FILE_BYTES = 8 * 1024 * 1024;

const integer = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 });

/** 24310 → "24,310" (zh-CN grouping). */
export function formatCount(n: number): string {
  return integer.format(n);
}

/** 6240 → "6.2 s"; 65000 → "1 min 05 s". */
export function formatElapsed(ms: number): string {
  const safe = Math.max(0, ms);
  if (safe < 59_950) return `${(safe / 1000).toFixed(1)} s`;
  const seconds = Math.round(safe / 1000);
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
}

/** "[=====-----]" for done of total (an empty bar while the total is unknown). */
export function formatBar(done: number, total: number, width = BAR_WIDTH): string {
  const filled = total > 0 ? Math.min(width, Math.round((done / total) * width)) : 0;
  return `[${'='.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

/**
 * "120/282 文件 files · 24,310 行 rows · 6.2 s · 校验 validating", then the file being read
 * when there is one. `progress` undefined: nothing reported yet.
 */
export function formatProgress(
  progress: LoadProgress | undefined,
  elapsedMs: number,
  fileLabel?: string,
): string {
  if (!progress) return `${formatElapsed(elapsedMs)} · ${PREPARING_LABEL}`;
  const parts = [
    `${formatCount(progress.filesDone)}/${formatCount(progress.filesTotal)} 文件 files`,
    `${formatCount(progress.rowsRead)} 行 rows`,
    formatElapsed(elapsedMs),
    PHASE_LABEL[progress.phase] ?? progress.phase,
  ];
  if (fileLabel && progress.phase !== 'done') parts.push(fileLabel);
  return parts.join(' · ');
}

/** Columns a string takes in a terminal: CJK and full-width characters take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += charWidth(ch.codePointAt(0) ?? 0);
  return width;
}

function charWidth(cp: number): number {
  if (cp < 0x1100) return 1;
  const wide =
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd);
  return wide ? 2 : 1;
}

/**
 * `text` cut to at most `columns` terminal columns (ending in "…" when cut): a line
 * longer than the terminal would wrap, and "\r" could then not redraw it in place.
 */
export function fitWidth(text: string, columns: number): string {
  if (displayWidth(text) <= columns) return text;
  let out = '';
  let width = 0;
  for (const ch of text) {
    const w = charWidth(ch.codePointAt(0) ?? 0);
    if (width + w > columns - 1) break;
    out += ch;
    width += w;
  }
  return `${out}…`;
}

/** tty: one line redrawn in place; plain: a line now and then; off: nothing. */
export type ProgressMode = 'tty' | 'plain' | 'off';

/**
 * On a terminal always; elsewhere (CI logs, pipes) plain lines, except with --json, whose
 * callers are programs that want stderr for errors only.
 */
export function progressMode(
  stream: { isTTY?: boolean },
  options: { json: boolean },
): ProgressMode {
  if (stream.isTTY) return 'tty';
  return options.json ? 'off' : 'plain';
}

/** Where the lines go (process.stderr, or a stand-in in tests). */
export interface ProgressOutput {
  write(text: string): unknown;
  /** The terminal's width (tty mode); 80 when unknown. */
  columns?: number;
}

export interface ProgressDisplayOptions {
  output: ProgressOutput;
  mode: ProgressMode;
  /** A monotonic clock in milliseconds (tests inject one); default performance.now. */
  now?: () => number;
  /** Nothing is shown before this much time has passed (default 1000 ms). */
  showAfterMs?: number;
  /** The least time between two plain lines (default 5000 ms). */
  plainEveryMs?: number;
  /** The least time between two redraws of the terminal line (default 100 ms). */
  ttyEveryMs?: number;
  /**
   * How often a timer checks for a due line, so the elapsed time moves while the loader
   * is silent (a long validation); default 250 ms on a terminal, 1000 ms otherwise.
   * 0: no timer (tests call tick()).
   */
  refreshMs?: number;
  /** A file's size in bytes, for the note beside a large one (default: statSync). */
  fileSize?: (path: string) => number | undefined;
}

export class LoadProgressDisplay {
  private readonly output: ProgressOutput;
  private readonly mode: ProgressMode;
  private readonly now: () => number;
  private readonly showAfterMs: number;
  private readonly plainEveryMs: number;
  private readonly ttyEveryMs: number;
  private readonly fileSize: (path: string) => number | undefined;
  private readonly started: number;
  private readonly fileLabels = new Map<string, string>();
  private latest: LoadProgress | undefined;
  private lastDrawnAt = Number.NEGATIVE_INFINITY;
  /** Whether the terminal line currently shows (tty mode). */
  private lineVisible = false;
  private drawnText = '';
  private shown = false;
  private finished = false;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(options: ProgressDisplayOptions) {
    this.output = options.output;
    this.mode = options.mode;
    this.now = options.now ?? (() => performance.now());
    this.showAfterMs = options.showAfterMs ?? 1000;
    this.plainEveryMs = options.plainEveryMs ?? 5000;
    this.ttyEveryMs = options.ttyEveryMs ?? 100;
    this.fileSize = options.fileSize ?? ((path) => statSync(path, { throwIfNoEntry: false })?.size);
    this.started = this.now();
    const refreshMs = options.refreshMs ?? (this.mode === 'tty' ? 250 : 1000);
    if (this.mode !== 'off' && refreshMs > 0) {
      this.timer = setInterval(() => this.tick(), refreshMs);
      this.timer.unref();
    }
  }

  /** loadPaths' onProgress: keeps the newest report and draws when a line is due. */
  readonly onProgress = (progress: LoadProgress): void => {
    this.latest = progress;
    this.draw(false);
  };

  /** Draws when a line is due (the timer calls this). */
  tick(): void {
    this.draw(false);
  }

  /**
   * Runs `write` (a log line to the same terminal) without tearing the progress line: the
   * line is cleared first and redrawn at the next due time, after the log line is out.
   */
  interrupt<T>(write: () => T): T {
    if (this.mode === 'tty' && this.lineVisible) {
      this.output.write('\r\x1b[K');
      this.lineVisible = false;
      this.lastDrawnAt = this.now();
    }
    return write();
  }

  /**
   * The load is over (or failed): the final line, when the load took long enough to show
   * one, ending the terminal line with a newline. Idempotent.
   */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.timer) clearInterval(this.timer);
    if (this.mode === 'off') return;
    if (!this.shown && this.now() - this.started < this.showAfterMs) return;
    this.render();
    if (this.mode === 'tty') this.output.write('\n');
    this.lineVisible = false;
  }

  /** The line as it would be drawn now (without the terminal's control characters). */
  line(): string {
    const elapsed = this.now() - this.started;
    const file = this.latest?.file;
    const counts = formatProgress(this.latest, elapsed, file ? this.fileLabel(file) : undefined);
    if (this.mode !== 'tty') return `${LABEL} ${counts}`;
    const bar = formatBar(this.latest?.filesDone ?? 0, this.latest?.filesTotal ?? 0);
    return `${LABEL} ${bar} ${counts}`;
  }

  private draw(force: boolean): void {
    if (this.mode === 'off' || this.finished) return;
    const now = this.now();
    if (!this.shown && now - this.started < this.showAfterMs) return;
    const every = this.mode === 'tty' ? this.ttyEveryMs : this.plainEveryMs;
    if (!force && now - this.lastDrawnAt < every) return;
    this.render();
  }

  private render(): void {
    const line = this.line();
    if (this.mode === 'tty') {
      // One column short of the width: writing the last column makes some terminals wrap.
      const columns = Math.max(20, (this.output.columns ?? 80) - 1);
      const text = `\r${fitWidth(line, columns)}\x1b[K`;
      if (!this.lineVisible || text !== this.drawnText) this.output.write(text);
      this.drawnText = text;
      this.lineVisible = true;
    } else {
      this.output.write(`${line}\n`);
    }
    this.shown = true;
    this.lastDrawnAt = this.now();
  }

  /** The file's base name, with its size when it is large (cached: stat once per file). */
  private fileLabel(path: string): string {
    let label = this.fileLabels.get(path);
    if (label === undefined) {
      label = basename(path);
      const size = this.fileSize(path) ?? 0;
      if (size > LARGE_FILE_BYTES) label += ` (${Math.round(size / 1048576)} MB)`;
      this.fileLabels.set(path, label);
    }
    return label;
  }
}
