/**
 * Evidence files over HTTP (schema/evidence.graphql):
 *
 * - POST /api/evidence, multipart: `ownerKind` (VISIT, COMPLAINT, FLAG), `ownerId`,
 *   optional `caption`, and one `file`. Held in memory up to the per-file limit (10 MB by
 *   default), judged by its content, stripped of location metadata, thumbnailed
 *   (server/graphql/evidence/evidence-content.ts) and kept in the originals store by its
 *   sha256; an owner holds at most `maxPerOwner` files. Answers 201 with the EvidenceFile.
 * - GET /api/evidence/:id and /:id/thumbnail: to whoever may see the file
 *   (evidence.repository.ts); others hear 404, as for a missing file.
 *
 * Uploads, downloads and refusals are audit rows; thumbnails (shown in every list) are
 * audited only when refused. Files are sent with nosniff, a sandboxing CSP and a
 * Content-Disposition carrying the uploader's (cleaned) name; PDFs always as attachments.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import multer from 'multer';
import type { Viewer } from '../auth/viewer.ts';
import type { Warehouse } from '../db/connect.ts';
import { keepOriginal, originalPath } from '../db/originals.ts';
import {
  EVIDENCE_OWNER_KINDS,
  type EvidenceFile,
  type EvidenceOwnerKind,
} from '../db/tables/evidence-files.table.ts';
import type { WarehouseWriter } from '../db/writer.ts';
import { EvidenceContentError, prepareEvidence } from '../graphql/evidence/evidence-content.ts';
import {
  attachableOwner,
  countOwnerFiles,
  insertEvidenceFile,
  visibleEvidenceFile,
  type EvidenceView,
} from '../graphql/evidence/evidence.repository.ts';
import { evidenceView, toEvidenceFile } from '../graphql/evidence/evidence.service.ts';
import type { Logger } from '../log.ts';
import { auditRequest, fail } from './request-audit.ts';
import { safeFileName } from './upload-receive.ts';

export interface EvidenceLimits {
  /** Largest file, bytes. */
  maxFileBytes: number;
  /** Most files kept on one visit, complaint or flag. */
  maxPerOwner: number;
}

export interface EvidenceDeps {
  warehouse: Warehouse;
  writer: WarehouseWriter;
  log: Logger;
  limits: EvidenceLimits;
  now?: () => Date;
}

export const EVIDENCE_UPLOAD_ACTION = 'evidence.upload';
export const EVIDENCE_DOWNLOAD_ACTION = 'evidence.download';

/** The form field holding the file. */
export const EVIDENCE_FILE_FIELD = 'file';
const MAX_CAPTION = 200;
const ID = /^[1-9]\d{0,15}$/u;

function formatMb(bytes: number): string {
  return `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`;
}

/** Parses the one-file multipart body into memory (bounded by the per-file limit). */
function receive(
  req: Request,
  res: Response,
  limits: EvidenceLimits,
): Promise<Express.Multer.File | undefined> {
  const parse = multer({
    storage: multer.memoryStorage(),
    defParamCharset: 'utf8',
    limits: { fileSize: limits.maxFileBytes, files: 1, fields: 4, fieldSize: 2048, parts: 5 },
  }).single(EVIDENCE_FILE_FIELD);
  return new Promise((resolve, reject) => {
    parse(req, res, (error?: unknown) => (error ? reject(error) : resolve(req.file)));
  });
}

function receiveProblem(
  error: unknown,
  limits: EvidenceLimits,
): { status: number; code: string; message: string } | null {
  if (error instanceof multer.MulterError) {
    const code: string = error.code;
    if (code === 'LIMIT_FILE_SIZE') {
      const max = formatMb(limits.maxFileBytes);
      return {
        status: 413,
        code: 'PAYLOAD_TOO_LARGE',
        message: `文件过大：每个文件不超过 ${max} / file too large: at most ${max}`,
      };
    }
    if (code === 'LIMIT_FILE_COUNT' || code === 'LIMIT_PART_COUNT')
      return {
        status: 413,
        code: 'PAYLOAD_TOO_LARGE',
        message: '每次只能上传一个文件 / one file per upload',
      };
    return {
      status: 400,
      code: 'BAD_USER_INPUT',
      message: `表单字段不符合要求 / unexpected form fields (${code})`,
    };
  }
  if (error instanceof Error && !('code' in error))
    return {
      status: 400,
      code: 'BAD_USER_INPUT',
      message: '上传的表单格式不正确 / malformed multipart form',
    };
  return null;
}

const sha256Of = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Keeps bytes in the originals store (via a temp file, as keepOriginal copies a path). */
async function keep(warehouse: Warehouse, bytes: Buffer): Promise<string> {
  const sha = sha256Of(bytes);
  await mkdir(warehouse.tempDir, { recursive: true });
  const temp = join(warehouse.tempDir, `evidence-${randomUUID()}`);
  try {
    await writeFile(temp, bytes, { mode: 0o600 });
    await keepOriginal(warehouse, temp, sha);
  } finally {
    await rm(temp, { force: true });
  }
  return sha;
}

function field(req: Request, name: string): string {
  const value = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value.trim() : '';
}

async function upload(deps: EvidenceDeps, req: Request, res: Response, viewer: Viewer) {
  const { limits } = deps;
  if (viewer.role === 'LEADERSHIP') {
    await audit(deps, req, viewer, EVIDENCE_UPLOAD_ACTION, 'evidence', 'denied', {
      reason: 'FORBIDDEN',
    });
    return fail(res, 403, 'FORBIDDEN', '领导账号只能查看，不能上传材料 / leadership reads only');
  }
  let file: Express.Multer.File | undefined;
  try {
    file = await receive(req, res, limits);
  } catch (error) {
    const problem = receiveProblem(error, limits);
    if (!problem) throw error;
    await audit(deps, req, viewer, EVIDENCE_UPLOAD_ACTION, 'evidence', 'failed', {
      reason: problem.code,
    });
    return fail(res, problem.status, problem.code, problem.message);
  }
  const kindRaw = field(req, 'ownerKind');
  const idRaw = field(req, 'ownerId');
  if (!(EVIDENCE_OWNER_KINDS as readonly string[]).includes(kindRaw) || !ID.test(idRaw))
    return fail(
      res,
      400,
      'BAD_USER_INPUT',
      'ownerKind 须为 VISIT、COMPLAINT 或 FLAG，ownerId 须为编号 / ownerKind and ownerId are required',
    );
  if (!file)
    return fail(res, 400, 'BAD_USER_INPUT', `请选择文件（字段“${EVIDENCE_FILE_FIELD}”） / no file`);
  const kind = kindRaw as EvidenceOwnerKind;
  const target = `${kind.toLowerCase()}:${idRaw}`;
  const view = evidenceView(viewer, (deps.now ?? (() => new Date()))());
  const owner = await attachableOwner(deps.warehouse.db, view, kind, Number(idRaw));
  if (!owner) {
    await audit(deps, req, viewer, EVIDENCE_UPLOAD_ACTION, target, 'denied', {
      reason: 'NOT_FOUND',
    });
    return fail(res, 404, 'NOT_FOUND', '没有这个对象，或您无权为它上传材料 / no such owner');
  }
  const tooMany = () =>
    fail(
      res,
      409,
      'TOO_MANY_FILES',
      `每项最多 ${limits.maxPerOwner} 个文件，请先删除不需要的 / at most ${limits.maxPerOwner} files each`,
    );
  if ((await countOwnerFiles(deps.warehouse.db, owner)) >= limits.maxPerOwner) {
    await audit(deps, req, viewer, EVIDENCE_UPLOAD_ACTION, target, 'failed', {
      reason: 'TOO_MANY_FILES',
    });
    return tooMany();
  }
  const fileName = safeFileName(file.originalname);
  let prepared;
  try {
    prepared = await prepareEvidence(file.buffer);
  } catch (error) {
    if (!(error instanceof EvidenceContentError)) throw error;
    await audit(deps, req, viewer, EVIDENCE_UPLOAD_ACTION, `${target} ${fileName}`, 'failed', {
      reason: error.code,
    });
    const status = error.code === 'UNREADABLE' ? 400 : error.code === 'TOO_MANY_PIXELS' ? 413 : 415;
    return fail(res, status, error.code, error.message);
  }
  const sha256 = await keep(deps.warehouse, prepared.bytes);
  const thumbSha = prepared.thumbnail ? await keep(deps.warehouse, prepared.thumbnail) : null;
  const caption = field(req, 'caption').slice(0, MAX_CAPTION) || null;
  const row = await deps.writer.write(async ({ db }) => {
    // Counted again in the writer's turn: two uploads at once must not pass the limit.
    if ((await countOwnerFiles(db, owner)) >= limits.maxPerOwner) return null;
    const fileId = await insertEvidenceFile(db, {
      owner,
      fileName,
      mime: prepared.mime,
      bytes: prepared.bytes.length,
      sha256,
      thumbSha256: thumbSha,
      width: prepared.width,
      height: prepared.height,
      stripped: prepared.stripped,
      caption,
      viewer,
    });
    await db
      .insertInto('audit_log')
      .values({
        user_id: viewer.userId,
        username: viewer.username,
        action: EVIDENCE_UPLOAD_ACTION,
        target: `${target} ${fileName}`.slice(0, 400),
        outcome: 'ok',
        detail: JSON.stringify({
          fileId,
          sha256,
          mime: prepared.mime,
          stripped: prepared.stripped,
        }),
        ip: req.ip ?? null,
      })
      .execute();
    return db
      .selectFrom('evidence_files')
      .selectAll()
      .where('file_id', '=', fileId)
      .executeTakeFirstOrThrow();
  });
  if (!row) return tooMany();
  res.status(201).json({ file: toEvidenceFile(row) });
}

function sendHeaders(res: Response, file: EvidenceFile, thumbnail: boolean, download: boolean) {
  res.set('X-Content-Type-Options', 'nosniff');
  // Nothing in a served file may run or load anything, even opened on its own.
  res.set('Content-Security-Policy', "default-src 'none'; img-src 'self'; sandbox");
  res.type(thumbnail ? 'image/jpeg' : file.mime);
  const name = thumbnail ? `缩略图-${file.file_name.replace(/\.[^.]*$/u, '')}.jpg` : file.file_name;
  const attachment = download || (!thumbnail && file.mime === 'application/pdf');
  res.attachment(name);
  if (!attachment) {
    const header = res.get('Content-Disposition') ?? '';
    res.set('Content-Disposition', header.replace(/^attachment/u, 'inline'));
  }
}

async function download(
  deps: EvidenceDeps,
  req: Request,
  res: Response,
  viewer: Viewer,
  thumbnail: boolean,
) {
  const raw = String(req.params.id ?? '');
  const view: EvidenceView = evidenceView(viewer, (deps.now ?? (() => new Date()))());
  const file = ID.test(raw)
    ? await visibleEvidenceFile(deps.warehouse.db, view, Number(raw))
    : null;
  const target = `evidence:${raw.slice(0, 20)}${thumbnail ? ' thumbnail' : ''}`;
  const sha = thumbnail ? file?.thumb_sha256 : file?.sha256;
  if (!file || !sha) {
    await audit(deps, req, viewer, EVIDENCE_DOWNLOAD_ACTION, target, 'denied', {
      reason: 'NOT_FOUND',
    });
    return fail(res, 404, 'NOT_FOUND', '没有这个文件 / no such file');
  }
  const path = await originalPath(deps.warehouse, sha);
  if (path === null) {
    await audit(deps, req, viewer, EVIDENCE_DOWNLOAD_ACTION, target, 'failed', {
      reason: 'NOT_KEPT',
    });
    return fail(res, 404, 'NOT_FOUND', '文件未保存 / the file is not kept');
  }
  if (!thumbnail)
    await audit(deps, req, viewer, EVIDENCE_DOWNLOAD_ACTION, `${target} ${file.file_name}`, 'ok', {
      fileId: Number(file.file_id),
      sha256: sha,
    });
  sendHeaders(res, file, thumbnail, req.query.download === '1');
  try {
    await pipeline(createReadStream(path), res);
  } catch (error) {
    deps.log.warn({ err: error, fileId: Number(file.file_id) }, 'evidence download interrupted');
    res.destroy();
  }
}

/** The router, mounted at /api/evidence after the session middleware. */
export function evidenceRouter(deps: EvidenceDeps): Router {
  const router = Router();
  const signedIn = (res: Response): Viewer | null => {
    res.set('Cache-Control', 'no-store');
    const viewer = res.locals.viewer as Viewer | undefined;
    if (!viewer) fail(res, 401, 'UNAUTHENTICATED', '请先登录 / Sign in first');
    return viewer ?? null;
  };
  router.post('/', async (req, res, next) => {
    const viewer = signedIn(res);
    if (viewer) await upload(deps, req, res, viewer).catch(next);
  });
  router.get('/:id', async (req, res, next) => {
    const viewer = signedIn(res);
    if (viewer) await download(deps, req, res, viewer, false).catch(next);
  });
  router.get('/:id/thumbnail', async (req, res, next) => {
    const viewer = signedIn(res);
    if (viewer) await download(deps, req, res, viewer, true).catch(next);
  });
  return router;
}

function audit(
  deps: EvidenceDeps,
  req: Request,
  viewer: Viewer,
  action: string,
  target: string,
  outcome: 'ok' | 'denied' | 'failed',
  detail: object,
): Promise<void> {
  return auditRequest(deps, req, viewer, { action, target, outcome, detail });
}
