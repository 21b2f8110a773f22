/**
 * Stages workbook rows through the DuckDB Appender into stg_raw (sheet_no, r, c0..cN).
 * Rows are already in memory (exceljs), so this is a straight columnar append.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { RawRow } from '../read/raw-row.ts';
import { cellColumn } from './staged-source.ts';

export interface SheetRows {
  sheetNo: number;
  rows: readonly RawRow[];
}

export async function stageRows(
  conn: DuckDBConnection,
  sheets: readonly SheetRows[],
  width: number,
): Promise<void> {
  const cols = Array.from({ length: width }, (_, i) => `${cellColumn(i)} VARCHAR`).join(', ');
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE stg_raw (sheet_no INTEGER, r INTEGER${cols ? ', ' + cols : ''})`,
  );
  const appender = await conn.createAppender('stg_raw', 'main', 'temp');
  try {
    for (const sheet of sheets) {
      for (const row of sheet.rows) {
        appender.appendInteger(sheet.sheetNo);
        appender.appendInteger(row.row);
        for (let i = 0; i < width; i++) {
          const cell = row.cells[i];
          if (cell == null) appender.appendNull();
          else appender.appendVarchar(cell);
        }
        appender.endRow();
      }
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}
