/**
 * Every reject as an XLSX workbook (`etl load --rejects 拒绝明细.xlsx`, the download's
 * `?format=xlsx`): the columns of the CSV (REJECTS_CSV_HEADER), written by exceljs's
 * streaming writer from DuckDB's result chunks, so neither a million rejects nor a slow
 * reader of the output holds them in memory. A sheet holds 1,048,576 rows: rejects beyond
 * them are counted on a second sheet instead.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { DuckDBConnection } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import { lit } from '../normalize/sql-text.ts';
import { REJECTS_CSV_HEADER } from './group-rejects.ts';

/** Rejects on the sheet below its header row (Excel's limit of 1,048,576 rows). */
export const REJECTS_XLSX_ROWS = 1_048_575;

/** The column of REJECTS_CSV_HEADER that holds the Excel row number (a number, not text). */
const ROW_COLUMN = REJECTS_CSV_HEADER.indexOf('行');

/**
 * Writes the rows of `selects` (each a SELECT of REJECTS_CSV_HEADER's columns, in order)
 * one after the other as one sheet to `out`, then ends it. Returns rows written and left out.
 */
export async function writeRejectsXlsx(
  out: Writable,
  conn: DuckDBConnection,
  selects: readonly string[],
  limit: number = REJECTS_XLSX_ROWS,
): Promise<{ written: number; omitted: number }> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  const sheet = workbook.addWorksheet('拒绝明细');
  sheet.columns = REJECTS_CSV_HEADER.map((header, i) => ({
    header,
    width: [28, 14, 8, 16, 18, 40, 40, 20, 14, 22][i] ?? 16,
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  let written = 0;
  let omitted = 0;
  const finished = once(out, 'finish');
  for (const select of selects) {
    const result = await conn.stream(select);
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      for (const row of chunk.getRows()) {
        if (written >= limit) {
          omitted += 1;
          continue;
        }
        const values = row.map((v: unknown, i: number) =>
          v === null || v === undefined
            ? null
            : i === ROW_COLUMN && v !== '' && Number.isFinite(Number(v))
              ? Number(v)
              : typeof v === 'bigint'
                ? Number(v)
                : String(v),
        );
        sheet.addRow(values).commit();
        written += 1;
      }
      // The zip goes out as it is made: wait while the reader is behind.
      if (out.writableNeedDrain) await once(out, 'drain');
    }
  }
  sheet.commit();
  if (omitted > 0) {
    const note = workbook.addWorksheet('说明');
    note
      .addRow([
        `另有 ${omitted} 条错误超出 Excel 单表行数上限，未列出；请下载 CSV 查看全部。 / ${omitted} more rejects exceed Excel's row limit; download the CSV for all of them.`,
      ])
      .commit();
    note.commit();
  }
  await workbook.commit();
  await finished;
  return { written, omitted };
}

/** A SELECT of a CSV part RejectSink wrote (no header, REJECTS_CSV_HEADER's columns). */
export function csvPartSelect(part: string): string {
  const columns = REJECTS_CSV_HEADER.map((_, i) => `'c${i}': 'VARCHAR'`).join(', ');
  return `SELECT * FROM read_csv(${lit(part)}, header = false, columns = {${columns}},
    quote = '"', escape = '"', auto_detect = false)`;
}
