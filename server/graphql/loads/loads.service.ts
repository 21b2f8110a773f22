/**
 * Load history for the API: who may read it, and rows as GraphQL objects. Only bureau
 * inspectors load files, so only they see what was loaded and rejected (a reject quotes
 * cell values of any school).
 */
import type { Viewer } from '../../auth/viewer.ts';
import type { LoadReject } from '../__generated__/resolvers-types.ts';
import { ForbiddenError } from '../errors.ts';
import { int } from '../metrics/rates.ts';
import type { LoadBatchRow, LoadRejectRow } from './loads.repository.ts';
import type { LoadBatchParent } from './loads.types.ts';
import { shanghaiIso } from '../../db/calendar.ts';
import { ROLE_LABEL } from '../../db/roles.ts';

/** FORBIDDEN for every role but BUREAU_INSPECTOR (unauthenticated requests never get here). */
export function assertMayReadLoads(viewer: Viewer): void {
  if (viewer.role !== 'BUREAU_INSPECTOR')
    throw new ForbiddenError(
      `仅${ROLE_LABEL.BUREAU_INSPECTOR}可以查看导入记录 / only bureau inspectors may see the load history`,
    );
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
