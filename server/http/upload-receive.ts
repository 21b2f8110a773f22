/**
 * Receives an upload's report files into a temp directory under their original names:
 * a CSV's sheet is named after its file, and the summary must name what the clerk sent,
 * not a temp path. Files stream to disk (uploads can be hundreds of MB in all).
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import multer from 'multer';
import { isReportFileName } from '../../etl/read/report-files.ts';

/** The form field holding the files (cli-contract.md). */
export const FILES_FIELD = 'files';

/** Filesystems allow 255 bytes per name; Chinese characters take 3. */
const MAX_NAME_BYTES = 200;

export interface ReceivedFiles {
  /** Temp path → the file's original (sanitized) name, in arrival order. */
  stored: Map<string, string>;
  /** Original names of files refused for their type. */
  refused: string[];
}

/**
 * A client's file name reduced to a safe base name: no directories, no control
 * characters, no leading dots (hidden files, "..") and not too long for the filesystem.
 */
export function safeFileName(original: string): string {
  const base = original.split(/[\\/]/u).pop() ?? '';
  let name = base
    .replace(/\p{Cc}/gu, '') // control characters
    .replace(/^[.\s]+/u, '')
    .trim();
  const ext = extname(name);
  while (Buffer.byteLength(name) > MAX_NAME_BYTES && name.length > ext.length)
    name = `${name.slice(0, name.length - ext.length - 1)}${ext}`;
  return name.length > 0 ? name : 'upload';
}

/** Bytes of the files stored so far, read while they arrive (the upload's progress). */
export class ReceivedBytes {
  private closed = 0;
  private readonly open = new Set<WriteStream>();

  track(out: WriteStream): void {
    this.open.add(out);
    out.once('close', () => {
      this.closed += out.bytesWritten;
      this.open.delete(out);
    });
  }

  get total(): number {
    let n = this.closed;
    for (const out of this.open) n += out.bytesWritten;
    return n;
  }
}

export interface ReceiveLimits {
  maxFileBytes: number;
  maxFiles: number;
}

/**
 * Parses the multipart body into `dir`. Rejects with multer's MulterError on a limit or
 * an unexpected field, or busboy's error on a malformed body; `dir` is the caller's to
 * remove either way. `bytes`, when given, counts the files' bytes as they are stored.
 */
export function receiveFiles(
  req: Request,
  res: Response,
  dir: string,
  limits: ReceiveLimits,
  bytes?: ReceivedBytes,
): Promise<ReceivedFiles> {
  const received: ReceivedFiles = { stored: new Map(), refused: [] };
  const storage: multer.StorageEngine = {
    _handleFile(_req, file, callback) {
      const name = safeFileName(file.originalname);
      // Two files of one name (from two folders) must not overwrite each other.
      let target = join(dir, name);
      for (let n = 2; received.stored.has(target); n += 1) {
        mkdirSync(join(dir, String(n)), { recursive: true });
        target = join(dir, String(n), name);
      }
      received.stored.set(target, name);
      const out = createWriteStream(target, { flags: 'wx' });
      bytes?.track(out);
      pipeline(file.stream, out).then(
        () => callback(null, { path: target, size: out.bytesWritten }),
        (error: unknown) => callback(error),
      );
    },
    _removeFile(_req, file, callback) {
      received.stored.delete(file.path);
      rm(file.path, { force: true }).then(() => callback(null), callback);
    },
  };
  const parse = multer({
    storage,
    // Browsers, curl and fetch send file names as raw UTF-8; busboy's default (latin1)
    // would garble 学校名录.xlsx. RFC 5987 `filename*=` names still carry their charset.
    defParamCharset: 'utf8',
    limits: {
      fileSize: limits.maxFileBytes,
      files: limits.maxFiles,
      fields: 8,
      fieldSize: 1024,
      parts: limits.maxFiles + 8,
    },
    fileFilter(_req, file, accept) {
      const name = safeFileName(file.originalname);
      // Anything but a report file is refused before it is stored.
      if (isReportFileName(name)) return accept(null, true);
      received.refused.push(name);
      accept(null, false);
    },
  }).array(FILES_FIELD);
  return new Promise((resolve, reject) => {
    parse(req, res, (error?: unknown) => (error ? reject(error) : resolve(received)));
  });
}

export interface UploadProblem {
  status: 400 | 413;
  code: 'BAD_USER_INPUT' | 'PAYLOAD_TOO_LARGE';
  message: string;
}

function formatBytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 1 ? `${Number(mb.toFixed(1))} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** The answer for an error of receiveFiles; null when it is ours, not the client's. */
export function describeUploadError(error: unknown, limits: ReceiveLimits): UploadProblem | null {
  if (error instanceof multer.MulterError) {
    const code: string = error.code;
    switch (code) {
      case 'LIMIT_FILE_SIZE': {
        // multer 2 names the file (not in its types yet).
        const raw = (error as { filename?: unknown }).filename;
        const name = typeof raw === 'string' ? `${safeFileName(raw)} ` : '';
        const max = formatBytes(limits.maxFileBytes);
        return tooLarge(
          `文件过大：${name}超过每个文件 ${max} 的上限 / file too large: ${name}exceeds ${max} per file`,
        );
      }
      case 'LIMIT_FILE_COUNT':
      case 'LIMIT_PART_COUNT':
        return tooLarge(
          `文件过多：每次最多上传 ${limits.maxFiles} 个文件 / too many files: at most ${limits.maxFiles} per upload`,
        );
      case 'LIMIT_UNEXPECTED_FILE':
        return badInput(
          `文件须放在表单字段“${FILES_FIELD}”中 / files must be sent in the form field "${FILES_FIELD}"`,
        );
      default:
        return badInput(`表单字段不符合要求 / unexpected form fields (${code})`);
    }
  }
  // Filesystem errors (a full disk) carry an errno code; busboy's parse errors do not.
  if (error instanceof Error && !('code' in error))
    return badInput(`上传的表单格式不正确 / malformed multipart form: ${error.message}`);
  return null;
}

function tooLarge(message: string): UploadProblem {
  return { status: 413, code: 'PAYLOAD_TOO_LARGE', message };
}

function badInput(message: string): UploadProblem {
  return { status: 400, code: 'BAD_USER_INPUT', message };
}
