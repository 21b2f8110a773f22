/**
 * The audit trail of uploads: who sent which files and what came of it, as counts only.
 * Reject values are cells of the clerk's files (pupils' figures), so they stay in
 * load_rejects and never reach audit_log or the log.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Request } from 'express';
import type { LoadSummary } from '../../etl/index.ts';
import type { Viewer } from '../auth/viewer.ts';
import type { Warehouse } from '../db/connect.ts';
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
    rejects: sum((f) => f.rejects.length + (f.rejectsOmitted ?? 0)),
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

/**
 * An upload under way leaves a small marker in the work folder until it has answered, so
 * that an upload the process never finished (killed, power cut) is audited at the next
 * start. Its files went to the temp folder, which every open of the warehouse empties.
 */
interface UploadMarker {
  userId: number;
  username: string;
  ip: string | null;
  startedAt: string;
}

const markerDir = (warehouse: Warehouse): string => join(warehouse.workDir, 'uploads');

export async function markUploadStarted(
  warehouse: Warehouse,
  req: Request,
  viewer: Viewer,
): Promise<() => Promise<void>> {
  const dir = markerDir(warehouse);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${randomUUID()}.json`);
  const marker: UploadMarker = {
    userId: viewer.userId,
    username: viewer.username,
    ip: req.ip ?? null,
    startedAt: new Date().toISOString(),
  };
  await writeFile(path, JSON.stringify(marker));
  return () => rm(path, { force: true });
}

/** Audits the uploads an earlier process left unfinished, then forgets their markers. */
export async function auditInterruptedUploads(
  warehouse: Warehouse,
  writer: WarehouseWriter,
  log: Logger,
): Promise<number> {
  const dir = markerDir(warehouse);
  const names = await readdir(dir).catch(() => [] as string[]);
  let count = 0;
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    const path = join(dir, name);
    try {
      const marker = JSON.parse(await readFile(path, 'utf8')) as UploadMarker;
      await writer.write(({ db }) =>
        db
          .insertInto('audit_log')
          .values({
            user_id: marker.userId,
            username: marker.username,
            action: 'upload',
            target: null,
            outcome: 'failed',
            detail: JSON.stringify({ error: 'INTERRUPTED', startedAt: marker.startedAt }),
            ip: marker.ip,
          })
          .execute(),
      );
      count += 1;
      log.warn({ user: marker.username, startedAt: marker.startedAt }, 'upload did not finish');
    } catch (error) {
      log.error({ err: error, marker: name }, 'unreadable upload marker');
    }
    await rm(path, { force: true });
  }
  return count;
}
