/**
 * POST /api/uploads: a bureau inspector's report files, loaded by the same ETL as
 * `etl load` inside the server (which holds the warehouse), answered with the same JSON.
 * A 学校填报员 uploads too (issue 17): only their school's rows load (`onlySchool`; a row of
 * another school is rejected, nothing else lost) and a file holding the registry or the
 * assignments is refused whole (school-upload.ts). Their rejects downloads are their own
 * batches only.
 *
 * Status: 200 when everything was accepted; 422 when some units were rejected (exit
 * status 2) and also when nothing could be loaded (exit status 1) — the body tells which.
 * Files of another type than .xlsx/.csv/.txt are not stored; they appear in the summary
 * as a file with `kind: null` and an `error`, like a file of unknown kind in `etl load`.
 *
 * A file whose units newer files replaced since it was loaded is refused (its result has
 * `conflict`) unless the upload is sent with `?force=1`.
 *
 * GET /api/uploads/progress/:id: how far the upload sent with `X-Upload-Id: <id>` has come
 * (upload-progress.ts), for the signed-in user who sent it; 404 otherwise.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { Router, type NextFunction, type Request, type Response } from 'express';
import {
  emptyResult,
  exitCode,
  loadPaths,
  type FileResult,
  type LoadOptions,
  type LoadSummary,
} from '../../etl/index.ts';
import type { Viewer } from '../auth/viewer.ts';
import type { ServerConfig } from '../config.ts';
import type { Warehouse } from '../db/connect.ts';
import type { WarehouseWriter } from '../db/writer.ts';
import type { Logger } from '../log.ts';
import {
  describeUploadError,
  ReceivedBytes,
  receiveFiles,
  type ReceivedFiles,
} from './upload-receive.ts';
import { mayReadBatch } from '../graphql/loads/loads.service.ts';
import { rejectsDownload } from './rejects-download.ts';
import { auditUpload, markUploadStarted, uploadCounts } from './upload-audit.ts';
import {
  isUploadId,
  UPLOAD_ID_HEADER,
  UploadProgressStore,
  type UploadProgressHandle,
} from './upload-progress.ts';
import { ROLE_LABEL } from '../db/roles.ts';
import { dropMasterData, MASTER_DATA_REFUSED, uploadSchoolOf } from './school-upload.ts';

export interface UploadsDeps {
  warehouse: Warehouse;
  writer: WarehouseWriter;
  config: ServerConfig;
  log: Logger;
  /** Where each upload's temp directory is made (default: the warehouse's temp folder). */
  tempRoot?: string;
  /** Tests only: runs inside each file's load transaction just before its commit. */
  beforeCommit?: LoadOptions['beforeCommit'];
  /** Where uploads' progress is kept (default: a store of this router's own). */
  progress?: UploadProgressStore;
}

type ErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND';

/** The error body of every JSON route of the server. */
const problemBody = (code: string, message: string) => ({ error: { code, message } });

/** An Origin of another host is a cross-site form post (defence in depth beside SameSite). */
function crossSite(req: Request): boolean {
  const origin = req.get('origin');
  if (origin === undefined) return false;
  try {
    return new URL(origin).host.toLowerCase() !== (req.get('host') ?? '').toLowerCase();
  } catch {
    return true; // "null" (sandboxed or file: pages) or garbage
  }
}

interface Refusal {
  status: number;
  code: ErrorCode;
  message: string;
}

/** Whether the role uploads: the bureau for the district, a reporter for their school. */
function mayUpload(viewer: Viewer): boolean {
  if (viewer.role === 'BUREAU_INSPECTOR') return true;
  // A reporter without a school would load for no school: refused, never district-wide.
  return viewer.role === 'SCHOOL_REPORTER' && viewer.schoolCode !== null;
}

/** Why `viewer` may not upload (nor read an upload's progress); null when they may. */
function refusal(viewer: Viewer | undefined): Refusal | null {
  if (!viewer) return { status: 401, code: 'UNAUTHENTICATED', message: '请先登录 / Sign in first' };
  if (!mayUpload(viewer))
    return {
      status: 403,
      code: 'FORBIDDEN',
      message:
        viewer.role === 'SCHOOL_REPORTER'
          ? '您的账号未关联学校，不能上传数据 / your account is bound to no school: you cannot upload'
          : `仅${ROLE_LABEL.BUREAU_INSPECTOR}和${ROLE_LABEL.SCHOOL_REPORTER}可以上传数据 / only bureau inspectors and school reporters may upload`,
    };
  return null;
}

/** Checked before the body is read: an unauthorised caller's files are never buffered. */
function guard(deps: UploadsDeps) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const viewer: Viewer | undefined = res.locals.viewer;
    // The unread body is dropped with the connection rather than drained.
    const refuse = (status: number, code: ErrorCode, message: string) => {
      res.set('Connection', 'close');
      res.status(status).json(problemBody(code, message));
    };
    if (crossSite(req)) return refuse(403, 'FORBIDDEN', '拒绝跨站上传 / cross-site upload refused');
    const refused = refusal(viewer);
    if (refused) {
      if (viewer) deps.log.warn({ user: viewer.username, role: viewer.role }, 'upload refused');
      return refuse(refused.status, refused.code, refused.message);
    }
    next();
  };
}

/** Temp paths in the summary become the names the clerk uploaded. */
function renamed(
  summary: LoadSummary,
  received: ReceivedFiles,
  dir: string,
  masterData: readonly string[],
): LoadSummary {
  const scrub = (text: string): string => {
    let out = text;
    for (const [path, name] of received.stored) out = out.split(path).join(name);
    return out
      .split(dir + sep)
      .join('')
      .split(dir)
      .join('.');
  };
  const files = summary.files.map((f) => ({
    ...f,
    path: received.stored.get(f.path) ?? scrub(f.path),
    ...(f.error === undefined ? {} : { error: scrub(f.error) }),
    ...(f.warnings === undefined ? {} : { warnings: f.warnings.map(scrub) }),
  }));
  const refused = received.refused.map((name): FileResult => ({
    ...emptyResult(name, null),
    error:
      '不支持的文件类型（仅限 .xlsx、.xls、.et、.ods、.csv、.txt）/ unsupported file type (only .xlsx, .xls, .et, .ods, .csv and .txt)',
  }));
  const bureauOnly = masterData.map((name): FileResult => ({
    ...emptyResult(name, null),
    error: MASTER_DATA_REFUSED,
  }));
  return { ...summary, files: [...files, ...bureauOnly, ...refused] };
}

/** `?force=1`: the upload page's 仍然导入 after a conflict (etl/load/unit-changes.ts). */
function forced(req: Request): boolean {
  const value = req.query.force;
  return value === '1' || value === 'true';
}

interface Answer {
  status: number;
  body: unknown;
}

export function uploadsRouter(deps: UploadsDeps): Router {
  const { warehouse, writer, config, log } = deps;
  const limits = { maxFileBytes: config.maxUploadBytes, maxFiles: config.maxUploadFiles };
  const progress = deps.progress ?? new UploadProgressStore();

  async function load(
    req: Request,
    res: Response,
    viewer: Viewer,
    dir: string,
    track: UploadProgressHandle,
    bytes: ReceivedBytes,
  ): Promise<Answer> {
    const started = performance.now();
    const failed = async (detail: object, names: string[] = []) =>
      auditUpload(writer, log, req, viewer, names, 'failed', detail);
    let received: ReceivedFiles;
    try {
      received = await receiveFiles(req, res, dir, limits, bytes);
    } catch (error) {
      const problem = describeUploadError(error, limits);
      await failed({ error: problem?.code ?? 'INTERNAL_SERVER_ERROR' });
      if (!problem) throw error;
      log.info({ user: viewer.username, status: problem.status }, 'upload refused');
      return { status: problem.status, body: problemBody(problem.code, problem.message) };
    }
    track.received(bytes.total, received.stored.size);
    const names = [...received.stored.values(), ...received.refused];
    const onlySchool = uploadSchoolOf(viewer);
    const masterData =
      onlySchool === null ? [] : await dropMasterData(received.stored, warehouse.tempDir);
    if (names.length === 0)
      return {
        status: 400,
        body: problemBody(
          'BAD_USER_INPUT',
          '请在表单字段“files”中上传文件（multipart/form-data）/ send the files as multipart/form-data in the field "files"',
        ),
      };
    try {
      const loaded =
        received.stored.size === 0
          ? { dryRun: false, files: [] }
          : await writer.exclusive(() => {
              track.loading();
              const options: LoadOptions & { onlySchool?: string } = {
                user: viewer.username,
                // The clerk confirmed loading files that newer files have since corrected.
                force: forced(req),
                onProgress: track.onProgress,
                ...(deps.beforeCommit ? { beforeCommit: deps.beforeCommit } : {}),
                // A school's upload loads its own rows only (the ETL rejects the others).
                ...(onlySchool === null ? {} : { onlySchool }),
              };
              return loadPaths(warehouse, [dir], options);
            });
      const summary = renamed(loaded, received, dir, masterData);
      const code = exitCode(summary);
      const counts = { ...uploadCounts(summary), exitCode: code };
      await auditUpload(writer, log, req, viewer, names, code === 1 ? 'failed' : 'ok', counts);
      const ms = Math.round(performance.now() - started);
      log.info({ user: viewer.username, ...counts, ms }, 'upload');
      return { status: code === 0 ? 200 : 422, body: summary };
    } catch (error) {
      await failed({ error: 'INTERNAL_SERVER_ERROR' }, names);
      throw error;
    }
  }

  const router = Router();
  router.post('/', guard(deps), async (req, res) => {
    const viewer = res.locals.viewer as Viewer;
    const bytes = new ReceivedBytes();
    // Tracked only when the page sent a well-formed id; the upload is the same either way.
    const track = progress.start(req.get(UPLOAD_ID_HEADER), viewer.userId, () => bytes.total);
    let answer: Answer | undefined;
    try {
      const finished = await markUploadStarted(warehouse, req, viewer);
      const dir = await mkdtemp(join(deps.tempRoot ?? warehouse.tempDir, 'upload-'));
      try {
        answer = await load(req, res, viewer, dir, track, bytes);
      } catch (error) {
        // Ours, not the client's (a closed writer while shutting down, a full disk).
        log.error({ err: error, user: viewer.username }, 'upload failed');
        answer = {
          status: 500,
          body: problemBody(
            'INTERNAL_SERVER_ERROR',
            '上传处理失败 / the upload could not be processed',
          ),
        };
      } finally {
        // Before answering: once the client has its answer, its temp files are gone from
        // disk. Every file that reached the warehouse was kept by loadPaths first, in the
        // originals store (server/db/originals.ts), for 数据来源's download.
        await rm(dir, { recursive: true, force: true });
        await finished();
      }
    } finally {
      track.end(answer?.status === 200 || answer?.status === 422 ? 'done' : 'failed');
    }
    // A body cut for its deadline (deadlines.ts) was answered already.
    if (!res.headersSent) res.status(answer.status).json(answer.body);
  });

  // Every reject of a batch as CSV; the same people as the load history (a school's
  // reporter: the batches they loaded, loads.service.ts).
  const download = rejectsDownload(warehouse, log);
  router.get('/rejects/:batchId', async (req, res) => {
    const viewer = res.locals.viewer as Viewer | undefined;
    const refused = refusal(viewer);
    if (refused) {
      res.set('Cache-Control', 'no-store');
      res.status(refused.status).json(problemBody(refused.code, refused.message));
      return;
    }
    if (!(await mayReadBatch(warehouse.db, viewer as Viewer, String(req.params.batchId ?? '')))) {
      // Another's batch reads as a missing one, as the download itself says it.
      res.set('Cache-Control', 'no-store');
      res.status(404).json(problemBody('NOT_FOUND', '没有这个导入批次 / no such load batch'));
      return;
    }
    await download(req, res);
  });

  // Polled by the upload page while it waits. A GET changes nothing, and its JSON cannot be
  // read cross-site (no CORS), so only the session and the owner are checked.
  router.get('/progress/:id', (req, res) => {
    res.set('Cache-Control', 'no-store');
    const viewer: Viewer | undefined = res.locals.viewer;
    const refused = refusal(viewer);
    if (refused) {
      res.status(refused.status).json(problemBody(refused.code, refused.message));
      return;
    }
    const { userId } = viewer as Viewer;
    const id = req.params.id;
    // Another user's upload is as unknown as a missing one.
    const view = isUploadId(id) ? progress.read(id, userId) : null;
    if (!view) {
      res
        .status(404)
        .json(
          problemBody('NOT_FOUND', '没有这次上传的进度 / no progress is known for this upload'),
        );
      return;
    }
    res.json(view);
  });
  return router;
}
