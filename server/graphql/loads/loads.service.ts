/**
 * Load history for the API: who may read it, and rows as GraphQL objects. Bureau
 * inspectors load the district's files and see every batch; a 学校填报员 uploads their
 * school's files and sees the batches they loaded themselves, never another's (a reject
 * quotes cell values of whatever school the file held). Nobody else reads the history.
 */
import type { Kysely } from 'kysely';
import type { Viewer } from '../../auth/viewer.ts';
import type { Database } from '../../db/database.ts';
import type { LoadReject } from '../__generated__/resolvers-types.ts';
import { ForbiddenError } from '../errors.ts';
import { int } from '../metrics/rates.ts';
import {
  loadBatchById,
  type BatchOwner,
  type LoadBatchRow,
  type LoadRejectRow,
} from './loads.repository.ts';
import type { LoadBatchParent } from './loads.types.ts';
import { shanghaiIso } from '../../db/calendar.ts';
import { ROLE_LABEL } from '../../db/roles.ts';

/**
 * Whose batches the viewer reads: every one (null) for a bureau inspector, their own for a
 * school's reporter bound to a school; undefined for everyone else (no history at all).
 */
export function batchOwnerOf(viewer: Viewer): BatchOwner | null | undefined {
  if (viewer.role === 'BUREAU_INSPECTOR') return null;
  if (viewer.role === 'SCHOOL_REPORTER' && viewer.schoolCode !== null)
    return { loadedBy: viewer.username };
  return undefined;
}

/** FORBIDDEN for a role without load history; else whose batches the viewer reads. */
export function assertMayReadLoads(viewer: Viewer): BatchOwner | null {
  const owner = batchOwnerOf(viewer);
  if (owner === undefined)
    throw new ForbiddenError(
      `仅${ROLE_LABEL.BUREAU_INSPECTOR}和${ROLE_LABEL.SCHOOL_REPORTER}可以查看导入记录 / only bureau inspectors and school reporters may see the load history`,
    );
  return owner;
}

/** Whether `rawId` names a batch the viewer may read (the rejects download's check). */
export async function mayReadBatch(
  db: Kysely<Database>,
  viewer: Viewer,
  rawId: string,
): Promise<boolean> {
  const owner = batchOwnerOf(viewer);
  const id = parseBatchId(rawId);
  if (owner === undefined || id === null) return false;
  return (await loadBatchById(db, id, owner)) !== null;
}

const BATCH_ID = /^[1-9]\d{0,9}$/u;

/** A batch ID as the warehouse's INTEGER; null for anything that cannot name a batch. */
export function parseBatchId(id: string): number | null {
  if (!BATCH_ID.test(id)) return null;
  const n = Number(id);
  return n <= 2147483647 ? n : null;
}

export function toLoadBatch(row: LoadBatchRow): LoadBatchParent {
  return {
    id: String(row.batch_id),
    fileName: row.file_name,
    kind: row.kind,
    sheets: row.sheets ? row.sheets.split(',') : [],
    status: row.status,
    loadedBy: row.loaded_by,
    loadedAt: shanghaiIso(int(row.loaded_ms)),
    rowsRead: row.rows_read,
    rowsSkipped: row.rows_skipped,
    rowsLoaded: row.rows_loaded,
    rowsRejected: row.rows_rejected,
    unitsLoaded: row.units_loaded,
    unitsRejected: row.units_rejected,
  };
}

export function toLoadReject(row: LoadRejectRow): LoadReject {
  return {
    sheet: row.sheet,
    row: row.row_number,
    column: row.column_name,
    value: row.value,
    reasonCode: row.reason_code,
    reasonZh: row.reason_zh,
    reasonEn: row.reason_en,
  };
}
