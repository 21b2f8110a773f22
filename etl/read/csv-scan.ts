/**
 * One streaming, byte-level, quote-aware pass over a UTF-8 CSV file: its sha256, its size,
 * where records start and which records are blank. DuckDB's read_csv silently drops blank
 * lines, so the loader needs this to turn DuckDB's row order back into the record numbers
 * (and physical line numbers) the clerk sees.
 *
 * Record syntax (RFC 4180, as Excel writes it, with the relaxations csv-parse/DuckDB apply):
 * - A record ends at a `\n` outside quotes; a preceding `\r` belongs to the line ending.
 *   A last record without a final newline is still a record; a file ending in `\n` has no
 *   empty record after it.
 * - A `"` opens a quoted field only at the start of a field (after `,`, or at the start of a
 *   record); inside quotes `""` is an escaped quote and a lone `"` closes the quotes. A `"` in
 *   the middle of an unquoted field is an ordinary character.
 * - A blank record is one of zero bytes or a lone `\r`.
 * - A UTF-8 BOM at the start of the file is skipped for field-start purposes (it stays in the
 *   hash and the byte count).
 * Lines are `\n`-terminated; a bare `\r` (classic Mac) does not end a line.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';

export interface CsvScan {
  /** sha256 (hex) of the raw file bytes */
  sha256: string;
  bytes: number;
  /** all records, blank ones included */
  records: number;
  /** 0-based indexes of blank records (zero bytes or only `\r`), ascending */
  blankRecordIndexes: number[];
  /** whether any `\n` occurred inside a quoted field */
  quotedNewlines: boolean;
  /**
   * 0-based physical line (count of `\n` before it) where record i starts. Exact for every
   * record: the scan keeps one entry per record that contains quoted newlines.
   * Throws a RangeError for i outside 0..records-1.
   */
  lineStartOfRecord: (i: number) => number;
}

export interface CsvScanOptions {
  /** read size in bytes (default 4 MiB); small values are for tests of chunk boundaries */
  chunkBytes?: number;
}

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const COMMA = 0x2c;

// parser states between bytes
const OUTSIDE = 0; // not in a quoted field
const IN_QUOTES = 1;
const QUOTE_SEEN = 2; // in quotes, just saw a `"`: escaped quote if the next byte is `"`, else closed

export async function scanCsv(path: string, options: CsvScanOptions = {}): Promise<CsvScan> {
  const chunkBytes = Math.max(1, Math.floor(options.chunkBytes ?? 4 << 20));
  const hash = createHash('sha256');
  const fh = await open(path, 'r');
  const buf = Buffer.allocUnsafe(Math.max(chunkBytes, 3));
  let scanner: CsvScanner;
  try {
    // a UTF-8 BOM: the first field starts after it
    const { bytesRead: headLen } = await fh.read(buf, 0, 3, 0);
    const bomLen = headLen === 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
    scanner = new CsvScanner(bomLen);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, chunkBytes, null);
      if (bytesRead === 0) break;
      const chunk = buf.subarray(0, bytesRead); // bounds indexOf to the bytes just read
      hash.update(chunk);
      scanner.feed(chunk);
    }
  } finally {
    await fh.close();
  }
  return scanner.finish(hash.digest('hex'));
}

/** The scan state machine; `feed` is the hot loop (fields, not closure variables, for speed). */
class CsvScanner {
  private state = OUTSIDE;
  private fileOffset = 0; // file offset of the current chunk's first byte
  private recordIndex = 0; // index of the record being read
  private recordStart: number; // file offset of the current record's first byte
  private recordQuotedNewlines = 0; // quoted newlines inside the current record
  private totalQuotedNewlines = 0;
  private prevByte = -1; // last byte of the previous chunk (-1 at file start)
  private readonly blankRecordIndexes: number[] = [];
  // Records whose line number runs ahead of their index: pairs of (first record index
  // affected, total quoted newlines before it), ascending; one entry per record that holds
  // quoted newlines.
  private shiftRecord: Float64Array = new Float64Array(16);
  private shiftLines: Float64Array = new Float64Array(16);
  private shiftCount = 0;

  constructor(private readonly bomLen: number) {
    this.recordStart = bomLen;
  }

  feed(buf: Buffer): void {
    const len = buf.length;
    const fileOffset = this.fileOffset;
    let state = this.state;
    let p = fileOffset < this.bomLen ? Math.min(len, this.bomLen - fileOffset) : 0;
    let quotedNewlines = this.recordQuotedNewlines;
    let nextQuote = -1; // cached search results, valid while >= p
    let nextLf = -1;
    while (p < len) {
      if (state !== OUTSIDE) {
        if (state === QUOTE_SEEN) {
          // the previous chunk ended on a `"` inside quotes
          if (buf[p] === QUOTE) {
            state = IN_QUOTES;
            p++;
          } else {
            state = OUTSIDE;
          }
          continue;
        }
        // IN_QUOTES: jump to the next `"`, counting the `\n`s before it
        if (nextQuote < p) {
          nextQuote = buf.indexOf(QUOTE, p);
          if (nextQuote < 0 || nextQuote >= len) nextQuote = len;
        }
        if (nextLf < p) {
          nextLf = buf.indexOf(LF, p);
          if (nextLf < 0 || nextLf >= len) nextLf = len;
        }
        while (nextLf < nextQuote) {
          quotedNewlines++;
          nextLf = buf.indexOf(LF, nextLf + 1);
          if (nextLf < 0 || nextLf >= len) nextLf = len;
        }
        const q = nextQuote;
        if (q >= len) {
          p = len;
          break;
        }
        p = q + 1;
        if (p >= len) {
          state = QUOTE_SEEN;
          break;
        }
        if (buf[p] === QUOTE) {
          p++; // escaped quote, still in quotes
        } else {
          state = OUTSIDE;
        }
        continue;
      }

      // OUTSIDE quotes: jump to the next `"` or `\n` with indexOf (memchr)
      if (nextLf < p) {
        nextLf = buf.indexOf(LF, p);
        if (nextLf < 0 || nextLf >= len) nextLf = len;
      }
      if (nextQuote < p) {
        nextQuote = buf.indexOf(QUOTE, p);
        if (nextQuote < 0 || nextQuote >= len) nextQuote = len;
      }
      if (nextLf < nextQuote) {
        // end of record
        const lfOffset = fileOffset + nextLf;
        const recLen = lfOffset - this.recordStart;
        if (recLen <= 1) {
          const before = nextLf > 0 ? (buf[nextLf - 1] ?? -1) : this.prevByte;
          if (recLen === 0 || before === CR) this.blankRecordIndexes.push(this.recordIndex);
        }
        this.recordIndex++;
        this.recordStart = lfOffset + 1;
        if (quotedNewlines !== 0) {
          this.recordQuotedNewlines = quotedNewlines;
          this.noteQuotedNewlines();
          quotedNewlines = 0;
        }
        p = nextLf + 1;
        continue;
      }
      if (nextQuote < len) {
        // a quote opens a quoted field only at the start of a field
        const before = nextQuote > 0 ? (buf[nextQuote - 1] ?? -1) : this.prevByte;
        if (before === COMMA || fileOffset + nextQuote === this.recordStart) state = IN_QUOTES;
        p = nextQuote + 1;
        continue;
      }
      p = len;
    }
    this.state = state;
    this.recordQuotedNewlines = quotedNewlines;
    this.prevByte = len > 0 ? (buf[len - 1] ?? -1) : this.prevByte;
    this.fileOffset = fileOffset + len;
  }

  /** Called at the end of a record that held quoted newlines (the next record starts later). */
  private noteQuotedNewlines(): void {
    this.totalQuotedNewlines += this.recordQuotedNewlines;
    this.recordQuotedNewlines = 0;
    if (this.shiftCount === this.shiftRecord.length) {
      this.shiftRecord = grow(this.shiftRecord);
      this.shiftLines = grow(this.shiftLines);
    }
    this.shiftRecord[this.shiftCount] = this.recordIndex;
    this.shiftLines[this.shiftCount] = this.totalQuotedNewlines;
    this.shiftCount++;
  }

  finish(sha256: string): CsvScan {
    const bytes = this.fileOffset;
    let records = this.recordIndex;
    if (this.recordStart < bytes) {
      // a last record without a final newline; blank if it is a lone `\r`
      if (bytes - this.recordStart === 1 && this.prevByte === CR) {
        this.blankRecordIndexes.push(records);
      }
      records++;
    }
    const quotedNewlines = this.totalQuotedNewlines + this.recordQuotedNewlines > 0;
    const shiftsRecord = this.shiftRecord.subarray(0, this.shiftCount);
    const shiftsLines = this.shiftLines.subarray(0, this.shiftCount);
    const lineStartOfRecord = (i: number): number => {
      if (!Number.isInteger(i) || i < 0 || i >= records) {
        throw new RangeError(`record ${i} out of range 0..${records - 1}`);
      }
      // the last shift entry with shiftsRecord <= i
      let lo = 0;
      let hi = shiftsRecord.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((shiftsRecord[mid] ?? 0) <= i) lo = mid + 1;
        else hi = mid;
      }
      return i + (lo === 0 ? 0 : (shiftsLines[lo - 1] ?? 0));
    };
    return {
      sha256,
      bytes,
      records,
      blankRecordIndexes: this.blankRecordIndexes,
      quotedNewlines,
      lineStartOfRecord,
    };
  }
}

function grow(a: Float64Array): Float64Array {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}

/**
 * Parses the first `maxRecords` records of a CSV text (a file's beginning, for the header
 * search) into arrays of raw field texts: no trimming, ragged rows allowed, stray quotes
 * kept. Blank lines are kept as records (`['']`) so the indexes match scanCsv's. Text cut
 * off in the middle of a record (e.g. an unclosed quote at the end of a preview) ends the
 * preview instead of throwing, as long as at least one record was read.
 */
export function parseCsvPreview(text: string, maxRecords: number): string[][] {
  const out: string[][] = [];
  if (maxRecords <= 0 || text === '') return out;
  try {
    parse(text, {
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      trim: false,
      skip_empty_lines: false,
      record_delimiter: ['\r\n', '\n'],
      to: maxRecords,
      on_record: (record: string[]) => {
        if (out.length < maxRecords) out.push(record);
        return null; // don't accumulate a second copy
      },
    });
  } catch (err) {
    if (out.length === 0) throw err;
  }
  return out;
}
