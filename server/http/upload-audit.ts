/**
 * The audit trail of uploads: who sent which files and what came of it, as counts only.
 * Reject values are cells of the clerk's files (pupils' figures), so they stay in
 * load_rejects and never reach audit_log or the log.
 */
import type { Request } from 'express';
import type { LoadSummary } from '../../etl/index.ts';
import type { Viewer } from '../auth/viewer.ts';
import type { WarehouseWriter } from '../db/writer.ts';
import type { Logger } from '../log.ts';

export interface UploadCounts {
  files: number;
  rowsLoaded: number;
  rowsRejected: number;
  unitsLoaded: number;
  unitsRejected: number;
  rejects: number;
  /** Results with an `error` (unreadable, unknown kind, unsupported type). */
  failedFiles: number;
  unchangedFiles: number;
}

export function uploadCounts(summary: LoadSummary): UploadCounts {
  const sum = (pick: (f: LoadSummary['files'][number]) => number): number =>
    summary.files.reduce((n, f) => n + pick(f), 0);
  return {
    files: summary.files.length,
    rowsLoaded: sum((f) => f.rowsLoaded),
    rowsRejected: sum((f) => f.rowsRejected),
    unitsLoaded: sum((f) => f.unitsLoaded),
    unitsRejected: sum((f) => f.unitsRejected),
    rejects: sum((f) => f.rejects.length),
    failedFiles: sum((f) => (f.error === undefined ? 0 : 1)),
    unchangedFiles: sum((f) => (f.unchanged ? 1 : 0)),
  };
}

const MAX_TARGET = 4000;

/** Records the upload; an audit failure is logged, never turned into a failed upload. */
export async function auditUpload(
  writer: WarehouseWriter,
  log: Logger,
  req: Request,
  viewer: Viewer,
  names: readonly string[],
  outcome: 'ok' | 'failed',
  detail: object,
): Promise<void> {
  const target = names.join(', ');
  try {
    await writer.write(({ db }) =>
      db
        .insertInto('audit_log')
        .values({
          user_id: viewer.userId,
          username: viewer.username,
          action: 'upload',
          target: target.length > MAX_TARGET ? `${target.slice(0, MAX_TARGET - 1)}…` : target,
          outcome,
          detail: JSON.stringify(detail),
          ip: req.ip ?? null,
        })
        .execute(),
    );
  } catch (error) {
    log.error({ err: error, user: viewer.username }, 'upload audit failed');
  }
}
