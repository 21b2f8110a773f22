/**
 * A load batch's rejects, every one of them, as the CSV a clerk sends back to the school:
 * `GET /api/uploads/rejects/:batchId` (bureau inspectors, as for uploads). DuckDB writes the
 * rows into the warehouse's work folder and the file is streamed out, so a batch of a
 * million rejects costs neither the server's heap nor a slow client's patience with it.
 * `?format=xlsx` sends the same list as an XLSX workbook, streamed from DuckDB's chunks by
 * exceljs's streaming writer (etl/load/rejects-xlsx.ts).
 */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Request, Response } from 'express';
import { writeRejectsCsv } from '../../etl/load/group-rejects.ts';
import type { Warehouse } from '../db/connect.ts';
import { lit } from '../db/sql-literals.ts';
import type { Logger } from '../log.ts';

/** The rejects of a batch in file order, as REJECTS_CSV_HEADER's columns. */
function rejectsSelect(batchId: number): string {
  return `SELECT b.file_name, r.sheet, r.row_number, r.column_name, r.value, r.reason_zh,
      r.reason_en, r.reason_code, r.school_code, r.school_name
    FROM load_rejects r JOIN load_batches b ON b.batch_id = r.batch_id
    WHERE r.batch_id = ${batchId} ORDER BY r.rowid`;
}

/** The batch's file name, or null when there is no such batch. */
async function batchFileName(warehouse: Warehouse, batchId: number): Promise<string | null> {
  const conn = await warehouse.connect();
  try {
    const batch = await conn.runAndReadAll(
      'SELECT file_name FROM load_batches WHERE batch_id = $1',
      [batchId],
    );
    const row = batch.getRowObjectsJS()[0];
    return row ? String(row.file_name) : null;
  } finally {
    conn.closeSync();
  }
}

/**
 * Rejects an XLSX download lists: exceljs buffers the zip's pieces outside the heap (about
 * 170 MB at 300,000 rows, measured), so the server stops well before Excel's row limit and
 * the workbook's second sheet counts the rest (the CSV has them all).
 */
export const SERVER_XLSX_ROWS = 200_000;

/** Streams the batch's rejects as an XLSX workbook to `res`. */
async function sendXlsx(
  warehouse: Warehouse,
  batchId: number,
  fileName: string,
  res: Response,
): Promise<void> {
  res.attachment(`拒绝明细_${fileName.replace(/\.[^.]*$/u, '')}.xlsx`);
  res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const conn = await warehouse.connect();
  try {
    // exceljs is loaded on the first download, not at the server's start (README, Measured).
    const { writeRejectsXlsx } = await import('../../etl/load/rejects-xlsx.ts');
    await writeRejectsXlsx(res, conn, [rejectsSelect(batchId)], SERVER_XLSX_ROWS);
  } finally {
    conn.closeSync();
  }
}

/** The batch's file name and a temp CSV of its rejects in file order; null: no such batch. */
async function exportRejects(
  warehouse: Warehouse,
  batchId: number,
): Promise<{ fileName: string; part: string } | null> {
  const conn = await warehouse.connect();
  try {
    const batch = await conn.runAndReadAll(
      'SELECT file_name FROM load_batches WHERE batch_id = $1',
      [batchId],
    );
    const row = batch.getRowObjectsJS()[0];
    if (!row) return null;
    const part = join(warehouse.tempDir, `rejects-${randomUUID()}.csv`);
    await conn.run(`COPY (${rejectsSelect(batchId)}) TO ${lit(part)} (FORMAT csv, HEADER false)`);
    return { fileName: String(row.file_name), part };
  } finally {
    conn.closeSync();
  }
}

/** The handler, for a caller already allowed to read the load history. */
export function rejectsDownload(warehouse: Warehouse, log: Logger) {
  return async (req: Request, res: Response): Promise<void> => {
    res.set('Cache-Control', 'no-store');
    const raw = String(req.params.batchId ?? '');
    const batchId = /^[1-9]\d{0,9}$/u.test(raw) ? Number(raw) : null;
    if (req.query.format === 'xlsx') {
      const fileName = batchId === null ? null : await batchFileName(warehouse, batchId);
      if (batchId === null || fileName === null) {
        res.status(404).json({
          error: { code: 'NOT_FOUND', message: '没有这个导入批次 / no such load batch' },
        });
        return;
      }
      try {
        await sendXlsx(warehouse, batchId, fileName, res);
      } catch (error) {
        log.warn({ err: error, batchId }, 'rejects download interrupted');
        res.destroy();
      }
      return;
    }
    const found = batchId === null ? null : await exportRejects(warehouse, batchId);
    if (!found) {
      res.status(404).json({
        error: { code: 'NOT_FOUND', message: '没有这个导入批次 / no such load batch' },
      });
      return;
    }
    try {
      res.attachment(`拒绝明细_${found.fileName.replace(/\.[^.]*$/u, '')}.csv`);
      res.type('text/csv; charset=utf-8');
      await writeRejectsCsv(res, [found.part]);
    } catch (error) {
      // The client went away mid-download: nothing to answer.
      log.warn({ err: error, batchId }, 'rejects download interrupted');
    } finally {
      await rm(found.part, { force: true });
    }
  };
}
