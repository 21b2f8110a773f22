/**
 * Text encodings of the CSV files schools send: UTF-8 (with or without BOM), UTF-16 with BOM
 * (Excel's "Unicode text"), or GBK/GB18030 (what Excel on Chinese Windows writes as "CSV").
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import iconv from 'iconv-lite';

export type TextEncoding = 'utf8' | 'utf8-bom' | 'gb18030' | 'utf16le' | 'utf16be';

/**
 * Detects the encoding of a file from a sample of its first bytes: a BOM wins; otherwise
 * strictly valid UTF-8 (pure ASCII included) is 'utf8'; anything else is 'gb18030' (a superset
 * of GBK and GB2312). When `isComplete` is false the sample is a prefix of a larger file and a
 * multi-byte UTF-8 sequence cut off at its end does not count as invalid.
 */
export function detectEncoding(sample: Buffer, isComplete: boolean): TextEncoding {
  if (sample.length >= 3 && sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) {
    return 'utf8-bom';
  }
  if (sample.length >= 2 && sample[0] === 0xff && sample[1] === 0xfe) return 'utf16le';
  if (sample.length >= 2 && sample[0] === 0xfe && sample[1] === 0xff) return 'utf16be';

  const body = isComplete ? sample : sample.subarray(0, sample.length - incompleteUtf8Tail(sample));
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(body);
    return 'utf8';
  } catch {
    return 'gb18030';
  }
}

/**
 * Length (0-3) of a UTF-8 sequence that starts near the end of `buf` but is cut off by the
 * end of the buffer. Only a well-formed lead byte followed by fewer continuation bytes than it
 * announces counts; anything else is left for the validator to reject.
 */
export function incompleteUtf8Tail(buf: Uint8Array): number {
  const n = buf.length;
  for (let k = 1; k <= 3 && k <= n; k++) {
    const b = buf[n - k] ?? 0;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    let need = 0;
    if (b >= 0xc2 && b <= 0xdf) need = 2;
    else if (b >= 0xe0 && b <= 0xef) need = 3;
    else if (b >= 0xf0 && b <= 0xf4) need = 4;
    return need > k ? k : 0;
  }
  return 0;
}

const ICONV_NAME: Record<'gb18030' | 'utf16le' | 'utf16be', string> = {
  gb18030: 'gb18030',
  utf16le: 'utf16le',
  utf16be: 'utf16be',
};

/**
 * Streams `src` into `dest` as UTF-8 without BOM. 'utf8' input is checked to be valid UTF-8
 * all the way through (a detection sample is only a prefix); invalid bytes throw an Error
 * naming the byte offset, so the caller can re-detect on the whole file.
 */
export async function transcodeToUtf8File(
  src: string,
  encoding: TextEncoding,
  dest: string,
): Promise<void> {
  switch (encoding) {
    case 'utf8':
    case 'utf8-bom': {
      const start = encoding === 'utf8-bom' ? 3 : 0;
      await pipeline(
        createReadStream(src, { start, highWaterMark: 1 << 20 }),
        utf8Validator(src, start),
        createWriteStream(dest),
      );
      return;
    }
    default: {
      const decoder = iconv.decodeStream(ICONV_NAME[encoding], { stripBOM: true });
      const encoder = iconv.encodeStream('utf8', { addBOM: false });
      await pipeline(
        createReadStream(src, { highWaterMark: 1 << 20 }),
        decoder,
        encoder,
        createWriteStream(dest),
      );
    }
  }
}

/** Decodes a small buffer (a preview) to a string, dropping a BOM. */
export function decodeText(buf: Buffer, encoding: TextEncoding): string {
  switch (encoding) {
    case 'utf8':
    case 'utf8-bom': {
      const s = buf.toString('utf8');
      return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
    }
    default:
      return iconv.decode(buf, ICONV_NAME[encoding], { stripBOM: true });
  }
}

/** Pass-through transform that throws on the first invalid UTF-8 byte sequence. */
function utf8Validator(src: string, startOffset: number): Transform {
  let carry: Buffer = Buffer.alloc(0);
  let offset = startOffset; // file offset of carry[0]
  const fail = (at: number): Error =>
    new Error(
      `文件不是有效的UTF-8编码（第${at}字节处） / ${src} is not valid UTF-8 near byte ${at}`,
    );
  return new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
      const buf = carry.length === 0 ? chunk : Buffer.concat([carry, chunk]);
      const tail = incompleteUtf8Tail(buf);
      const body = buf.subarray(0, buf.length - tail);
      if (!isUtf8(body)) {
        done(fail(offset + firstInvalidUtf8(body)));
        return;
      }
      offset += body.length;
      carry = Buffer.from(buf.subarray(body.length));
      done(null, chunk);
    },
    flush(done: TransformCallback): void {
      done(carry.length === 0 ? null : fail(offset));
    },
  });
}

/** Offset of the first byte that starts an invalid UTF-8 sequence (buf.length if none). */
function firstInvalidUtf8(buf: Uint8Array): number {
  const n = buf.length;
  let i = 0;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => {
    const b = buf[k];
    return b !== undefined && b >= lo && b <= hi;
  };
  while (i < n) {
    const b = buf[i] ?? 0;
    if (b < 0x80) i += 1;
    else if (b >= 0xc2 && b <= 0xdf && cont(i + 1)) i += 2;
    else if (
      b >= 0xe0 &&
      b <= 0xef &&
      cont(i + 1, b === 0xe0 ? 0xa0 : 0x80, b === 0xed ? 0x9f : 0xbf) &&
      cont(i + 2)
    )
      i += 3;
    else if (
      b >= 0xf0 &&
      b <= 0xf4 &&
      cont(i + 1, b === 0xf0 ? 0x90 : 0x80, b === 0xf4 ? 0x8f : 0xbf) &&
      cont(i + 2) &&
      cont(i + 3)
    )
      i += 4;
    else return i;
  }
  return n;
}
