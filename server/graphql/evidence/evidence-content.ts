/**
 * What an evidence file's bytes are and what is kept of them. The type is judged from the
 * content (file-type), never from the name or the browser's claim; only JPEG, PNG and PDF
 * pass. Location metadata is removed losslessly where the format allows it: a JPEG loses
 * its APP1 (EXIF, XMP), APP13 (IPTC) and comment segments, a PNG its eXIf and text chunks
 * (tEXt/zTXt/iTXt, where XMP lives) — the pixels are not re-encoded, so a photo of a notice
 * stays as legible as it was taken. Two cases are re-encoded with sharp instead (which
 * writes no metadata): a JPEG whose EXIF turns it (orientation ≠ 1), since dropping the EXIF
 * would show it sideways, and any image sharp still finds metadata in after the segment
 * removal (metadata after the first scan, say). PDFs with JavaScript, launch or automatic
 * actions are refused: they run code or open things when the file is opened.
 */
import { inflateSync } from 'node:zlib';
import { fileTypeFromBuffer } from 'file-type';
import type { Metadata } from 'sharp';

export const EVIDENCE_MIMES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
export type EvidenceMime = (typeof EVIDENCE_MIMES)[number];

/** Images larger than this many pixels are refused before they are decoded (decompression bombs). */
export const MAX_INPUT_PIXELS = 50_000_000;
/** The thumbnail's longest side, pixels. */
export const THUMBNAIL_SIZE = 320;

export class EvidenceContentError extends Error {
  constructor(
    readonly code: 'UNSUPPORTED_TYPE' | 'ACTIVE_PDF' | 'UNREADABLE' | 'TOO_MANY_PIXELS',
    message: string,
  ) {
    super(message);
    this.name = 'EvidenceContentError';
  }
}

export interface PreparedEvidence {
  mime: EvidenceMime;
  /** The bytes kept: location metadata removed. */
  bytes: Buffer;
  /** A JPEG preview no larger than THUMBNAIL_SIZE on its longest side; null for PDFs. */
  thumbnail: Buffer | null;
  width: number | null;
  height: number | null;
  /** What was removed, in words (zh), e.g. "EXIF（含定位）"; null when nothing was. */
  stripped: string | null;
}

/** The evidence type of these bytes by their content, or null for anything else. */
export async function evidenceMime(bytes: Buffer): Promise<EvidenceMime | null> {
  const type = await fileTypeFromBuffer(bytes);
  const mime = type?.mime as string | undefined;
  return (EVIDENCE_MIMES as readonly string[]).includes(mime ?? '') ? (mime as EvidenceMime) : null;
}

interface Stripped {
  bytes: Buffer;
  removed: Set<string>;
}

const JPEG_APP1 = 0xe1;
const JPEG_APP13 = 0xed;
const JPEG_COM = 0xfe;
const JPEG_SOS = 0xda;

/**
 * The JPEG without its APP1, APP13 and COM segments. Segments are walked from SOI up to the
 * first scan (SOS); the entropy-coded data from there on is copied unchanged.
 */
export function stripJpeg(bytes: Buffer): Stripped {
  const removed = new Set<string>();
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) throw unreadable();
  const parts: Buffer[] = [bytes.subarray(0, 2)];
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) throw unreadable();
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === JPEG_SOS) break;
    const length = bytes.readUInt16BE(at + 2);
    const end = at + 2 + length;
    if (length < 2 || end > bytes.length) throw unreadable();
    const segment = bytes.subarray(at, end);
    if (marker === JPEG_APP1) {
      const body = segment.subarray(4, 40).toString('latin1');
      removed.add(body.startsWith('Exif') ? 'EXIF' : body.includes('xap') ? 'XMP' : 'APP1');
    } else if (marker === JPEG_APP13) removed.add('IPTC');
    else if (marker === JPEG_COM) removed.add('注释');
    else parts.push(segment);
    at = end;
  }
  parts.push(bytes.subarray(at));
  return { bytes: removed.size === 0 ? bytes : Buffer.concat(parts), removed };
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PNG_DROPPED: Record<string, string> = {
  eXIf: 'EXIF',
  tEXt: '文本',
  zTXt: '文本',
  iTXt: '文本',
};

/** The PNG without its eXIf and text chunks (iTXt holds XMP); other chunks are copied. */
export function stripPng(bytes: Buffer): Stripped {
  const removed = new Set<string>();
  if (!bytes.subarray(0, 8).equals(PNG_SIGNATURE)) throw unreadable();
  const parts: Buffer[] = [PNG_SIGNATURE];
  let at = 8;
  while (at + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.subarray(at + 4, at + 8).toString('latin1');
    const end = at + 12 + length;
    if (end > bytes.length) throw unreadable();
    const kind = PNG_DROPPED[type];
    if (kind === undefined) parts.push(bytes.subarray(at, end));
    else if (
      type === 'iTXt' &&
      bytes.subarray(at + 8, at + 8 + 17).toString('latin1') === 'XML:com.adobe.xmp'
    )
      removed.add('XMP');
    else removed.add(kind);
    at = end;
    if (type === 'IEND') break;
  }
  return { bytes: removed.size === 0 ? bytes : Buffer.concat(parts), removed };
}

/**
 * PDF name tokens that make a document act when opened: scripts, launching programs,
 * actions run on open or on page events. Names may hide letters as #xx escapes.
 */
const ACTIVE_PDF_NAMES =
  /\/(?:JavaScript|JS|Launch|OpenAction|AA|RichMedia|SubmitForm|ImportData)(?![A-Za-z0-9])/u;
/** Bounds the inflation of compressed streams (object streams may hide the names above). */
const MAX_INFLATED = 20 * 1024 * 1024;

function decodePdfNames(text: string): string {
  return text.replace(/#([0-9A-Fa-f]{2})/gu, (_m, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
}

/** Whether the PDF holds active content, in its plain objects or in a compressed stream. */
export function pdfIsActive(bytes: Buffer): boolean {
  const text = bytes.toString('latin1');
  if (ACTIVE_PDF_NAMES.test(decodePdfNames(text))) return true;
  let budget = MAX_INFLATED;
  const streams = /stream\r?\n/gu;
  for (let m = streams.exec(text); m !== null; m = streams.exec(text)) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endstream', start);
    if (end < 0) break;
    try {
      const inflated = inflateSync(bytes.subarray(start, end), { maxOutputLength: budget });
      budget -= inflated.length;
      if (ACTIVE_PDF_NAMES.test(decodePdfNames(inflated.toString('latin1')))) return true;
    } catch {
      // Not a Flate stream (an image, a font in another filter): nothing to read in it.
    }
    if (budget <= 0) return true; // more compressed content than we are willing to read
    streams.lastIndex = end + 'endstream'.length;
  }
  return false;
}

function unreadable(): EvidenceContentError {
  return new EvidenceContentError(
    'UNREADABLE',
    '文件已损坏或无法读取 / the file is damaged or unreadable',
  );
}

function describeRemoved(removed: ReadonlySet<string>, reencoded: boolean): string | null {
  const names = [...removed];
  if (reencoded && names.length === 0) names.push('元数据');
  if (names.length === 0) return null;
  // EXIF and XMP are where cameras and phones write the GPS position.
  return names.map((n) => (n === 'EXIF' || n === 'XMP' ? `${n}（含定位）` : n)).join('、');
}

/** Type check, metadata removal and thumbnail: what the upload keeps of `input`. */
export async function prepareEvidence(input: Buffer): Promise<PreparedEvidence> {
  const mime = await evidenceMime(input);
  if (mime === null)
    throw new EvidenceContentError(
      'UNSUPPORTED_TYPE',
      '只能上传 JPEG、PNG 图片或 PDF 文件（按文件内容判断） / only JPEG, PNG or PDF files (judged by content)',
    );
  if (mime === 'application/pdf') {
    if (pdfIsActive(input))
      throw new EvidenceContentError(
        'ACTIVE_PDF',
        'PDF 含脚本或自动动作，已拒收；请另存为普通 PDF 后上传 / the PDF holds scripts or automatic actions',
      );
    return { mime, bytes: input, thumbnail: null, width: null, height: null, stripped: null };
  }
  return prepareImage(input, mime);
}

async function prepareImage(
  input: Buffer,
  mime: 'image/jpeg' | 'image/png',
): Promise<PreparedEvidence> {
  // Loaded with the first image, not at the server's start (README, Measured: start-up).
  const { default: sharp } = await import('sharp');
  const open = (bytes: Buffer) => sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS });
  let meta: Metadata;
  const tooManyPixels = () =>
    new EvidenceContentError(
      'TOO_MANY_PIXELS',
      `图片像素过多（上限 ${MAX_INPUT_PIXELS / 1_000_000} 百万像素） / image has too many pixels`,
    );
  try {
    meta = await open(input).metadata();
  } catch (error) {
    // sharp checks limitInputPixels from the header, before decoding anything.
    throw /pixel limit/iu.test(String((error as Error).message)) ? tooManyPixels() : unreadable();
  }
  if ((meta.width ?? 0) * (meta.height ?? 0) > MAX_INPUT_PIXELS) throw tooManyPixels();
  const stripped = mime === 'image/jpeg' ? stripJpeg(input) : stripPng(input);
  let bytes = stripped.bytes;
  let reencoded = false;
  const turned = (meta.orientation ?? 1) !== 1;
  const left = turned
    ? meta
    : await open(bytes)
        .metadata()
        .catch(() => null);
  if (
    turned ||
    left === null ||
    left.exif !== undefined ||
    left.xmp !== undefined ||
    left.iptc !== undefined
  ) {
    // sharp writes no metadata unless asked; rotate() applies the EXIF orientation first.
    const pipeline = open(input).rotate();
    bytes = await (
      mime === 'image/jpeg' ? pipeline.jpeg({ quality: 92 }) : pipeline.png()
    ).toBuffer();
    reencoded = true;
  }
  const info = await open(bytes).metadata();
  const thumbnail = await open(bytes)
    .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 75 })
    .toBuffer();
  return {
    mime,
    bytes,
    thumbnail,
    width: info.width ?? null,
    height: info.height ?? null,
    stripped: describeRemoved(stripped.removed, reencoded),
  };
}
