/**
 * GET /api/originals/:batchId: the exact file a load batch came from (数据来源), for bureau
 * inspectors only: an original holds every school's rows, pupils' counts included. The
 * bytes are streamed from the originals store (server/db/originals.ts) unchanged, under the
 * file's own name, and every download (refusals of signed-in users too) is an audit row.
 */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Router, type Request } from 'express';
import type { Viewer } from '../auth/viewer.ts';
import type { Warehouse } from '../db/connect.ts';
import { originalPath } from '../db/originals.ts';
import { ROLE_LABEL } from '../db/roles.ts';
import type { WarehouseWriter } from '../db/writer.ts';
import type { Logger } from '../log.ts';
import { auditRequest, fail } from './request-audit.ts';

export interface OriginalsDeps {
  warehouse: Warehouse;
  writer: WarehouseWriter;
  log: Logger;
}

/** The audit action of a download (the audit vocabulary labels it 下载原始文件). */
export const ORIGINAL_DOWNLOAD_ACTION = 'originals.download';

const BATCH_ID = /^[1-9]\d{0,9}$/u;

interface BatchFile {
  file_name: string;
  sha256: string;
}

async function batchFile(deps: OriginalsDeps, batchId: number): Promise<BatchFile | null> {
  const row = await deps.warehouse.db
    .selectFrom('load_batches')
    .select(['file_name', 'sha256'])
    .where('batch_id', '=', batchId)
    .executeTakeFirst();
  return row ?? null;
}

/** The router, mounted at /api/originals after the session middleware. */
export function originalsRouter(deps: OriginalsDeps): Router {
  const router = Router();
  router.get('/:batchId', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const viewer = res.locals.viewer as Viewer | undefined;
    if (!viewer) return fail(res, 401, 'UNAUTHENTICATED', '请先登录 / Sign in first');
    const raw = String(req.params.batchId ?? '');
    if (viewer.role !== 'BUREAU_INSPECTOR') {
      await audit(deps, req, viewer, `batch ${raw.slice(0, 20)}`, 'denied', {
        reason: 'FORBIDDEN',
      });
      return fail(
        res,
        403,
        'FORBIDDEN',
        `仅${ROLE_LABEL.BUREAU_INSPECTOR}可以下载原始文件 / only bureau inspectors may download originals`,
      );
    }
    const batchId = BATCH_ID.test(raw) && Number(raw) <= 2147483647 ? Number(raw) : null;
    const batch = batchId === null ? null : await batchFile(deps, batchId);
    if (!batch) return fail(res, 404, 'NOT_FOUND', '没有这个导入批次 / no such load batch');
    const path = await originalPath(deps.warehouse, batch.sha256);
    const target = `batch ${batchId} ${batch.file_name}`;
    if (path === null) {
      await audit(deps, req, viewer, target, 'failed', { reason: 'NOT_KEPT' });
      return fail(
        res,
        404,
        'NOT_FOUND',
        '该文件的原始文件未保存或已过保留期 / the original of this file is not kept',
      );
    }
    await audit(deps, req, viewer, target, 'ok', { batchId, sha256: batch.sha256 });
    res.attachment(batch.file_name);
    try {
      await pipeline(createReadStream(path), res);
    } catch (error) {
      // The client went away mid-download: nothing to answer.
      deps.log.warn({ err: error, batchId }, 'original download interrupted');
      res.destroy();
    }
  });
  return router;
}

function audit(
  deps: OriginalsDeps,
  req: Request,
  viewer: Viewer,
  target: string,
  outcome: 'ok' | 'denied' | 'failed',
  detail: object,
): Promise<void> {
  return auditRequest(deps, req, viewer, {
    action: ORIGINAL_DOWNLOAD_ACTION,
    target,
    outcome,
    detail,
  });
}
