/**
 * Stages workbook rows through the DuckDB Appender into stg_raw (sheet_no, r, c0..cN): a
 * straight columnar append of the batches streaming from the workbook reader's worker.
 */
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import { cellColumn } from './staged-source.ts';

export interface StreamedRows {
  /** The sheet number staged as sheet_no. */
  sheet: number;
  rows: ReadonlyArray<{ row: number; cells: readonly (string | null)[] }>;
}

/**
 * Stages rows as they stream in. The table starts `initialWidth` columns wide (header and preview
 * rows) and gains columns when a wider row arrives, since rows below the preview are not
 * known in advance (the reader caps a sheet's columns). Returns the final width.
 */
export async function stageRowStream(
  conn: DuckDBConnection,
  batches: AsyncIterable<StreamedRows> | Iterable<StreamedRows>,
  initialWidth: number,
): Promise<number> {
  let width = initialWidth;
  const cols = Array.from({ length: width }, (_, i) => `${cellColumn(i)} VARCHAR`).join(', ');
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE stg_raw (sheet_no INTEGER, r INTEGER${cols ? ', ' + cols : ''})`,
  );
  let appender: DuckDBAppender | null = await conn.createAppender('stg_raw', 'main', 'temp');
  try {
    for await (const batch of batches) {
      let needed = width;
      for (const row of batch.rows) if (row.cells.length > needed) needed = row.cells.length;
      if (needed > width) {
        // The appender is bound to the table's columns: close it around the ALTER.
        appender.flushSync();
        appender.closeSync();
        appender = null;
        for (let i = width; i < needed; i++) {
          await conn.run(`ALTER TABLE stg_raw ADD COLUMN ${cellColumn(i)} VARCHAR`);
        }
        width = needed;
        appender = await conn.createAppender('stg_raw', 'main', 'temp');
      }
      for (const row of batch.rows) {
        appender.appendInteger(batch.sheet);
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
    appender?.closeSync();
  }
  return width;
}
