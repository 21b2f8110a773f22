/**
 * Stages every file of a load group into one relation, the view stg_raw (file_no, sheet_no,
 * r, c0..cN): workbook rows through the DuckDB Appender into stg_rows, each CSV with
 * DuckDB's own read_csv into a table of its own (its row numbers are computed from the
 * table's rowids, so it is not copied). Validation then plans its SQL once per group, not
 * once per file.
 */
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import { lit } from '../normalize/sql-text.ts';
import { stageCsv, type CsvStageInput } from './stage-csv.ts';
import { cellColumn } from './staged-source.ts';

export interface StreamedRows {
  /** The sheet number in the file (the reader's numbering). */
  sheet: number;
  rows: ReadonlyArray<{ row: number; cells: readonly (string | null)[] }>;
}

interface CsvBranch {
  fileNo: number;
  sheetNo: number;
  table: string;
  width: number;
  rowSql: string;
  filterSql: string;
  tables: string[];
}

const ROWS = 'stg_rows';

export class GroupStager {
  private width = 1;
  private appender: DuckDBAppender | null = null;
  private readonly csv: CsvBranch[] = [];
  private readonly sheets: Array<{ sheetNo: number; name: string; fileNo: number }> = [];
  private nextSheet = 0;

  private constructor(
    private readonly conn: DuckDBConnection,
    private readonly copyCsv: boolean,
  ) {}

  /**
   * `copyCsv`: CSV rows go into stg_rows with their row numbers (a group of many small
   * files, where a union of per-file tables re-computes every row number wherever it is
   * read); a lone CSV stays in its own table, read in place.
   */
  static async open(conn: DuckDBConnection, options: { copyCsv: boolean }): Promise<GroupStager> {
    const stager = new GroupStager(conn, options.copyCsv);
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE ${ROWS} (file_no INTEGER, sheet_no INTEGER, r INTEGER, c0 VARCHAR)`,
    );
    return stager;
  }

  /** Numbers a sheet of a file uniquely within the group. */
  addSheet(fileNo: number, name: string): number {
    const sheetNo = this.nextSheet++;
    this.sheets.push({ sheetNo, name, fileNo });
    return sheetNo;
  }

  /** Forgets a file whose staging failed: its sheets and the rows it appended. */
  async dropFile(fileNo: number): Promise<void> {
    await this.closeAppender();
    await this.conn.run(`DELETE FROM ${ROWS} WHERE file_no = ${fileNo}`);
    for (let i = this.sheets.length - 1; i >= 0; i--)
      if (this.sheets[i]!.fileNo === fileNo) this.sheets.splice(i, 1);
    for (let i = this.csv.length - 1; i >= 0; i--) {
      if (this.csv[i]!.fileNo !== fileNo) continue;
      for (const t of this.csv[i]!.tables) await this.dropTable(t);
      this.csv.splice(i, 1);
    }
  }

  /**
   * Appends a workbook's rows as they stream in, each batch's sheet mapped to its group
   * number. Rows below the preview may be wider than any seen: the table gains columns.
   * Calls `onRows` with each batch's row count.
   */
  async appendRows(
    fileNo: number,
    sheetNos: ReadonlyMap<number, number>,
    batches: AsyncIterable<StreamedRows> | Iterable<StreamedRows>,
    initialWidth: number,
    onRows?: (n: number) => void,
  ): Promise<void> {
    await this.widen(initialWidth);
    for await (const batch of batches) {
      let needed = this.width;
      for (const row of batch.rows) if (row.cells.length > needed) needed = row.cells.length;
      await this.widen(needed);
      const appender = await this.openAppender();
      const sheetNo = sheetNos.get(batch.sheet);
      if (sheetNo === undefined) throw new Error(`sheet ${batch.sheet} was not requested`);
      const width = this.width;
      for (const row of batch.rows) {
        appender.appendInteger(fileNo);
        appender.appendInteger(sheetNo);
        appender.appendInteger(row.row);
        for (let i = 0; i < width; i++) {
          const cell = row.cells[i];
          if (cell == null) appender.appendNull();
          else appender.appendVarchar(cell);
        }
        appender.endRow();
      }
      onRows?.(batch.rows.length);
    }
  }

  /** Reads a CSV into its own table; returns the blank records dropped before its data. */
  async addCsv(
    fileNo: number,
    sheetNo: number,
    input: Omit<CsvStageInput, 'table'>,
  ): Promise<number> {
    const table = `stg_csv_${fileNo}`;
    const tables = [table];
    try {
      const staged = await stageCsv(this.conn, { ...input, table });
      tables.push(...staged.extraTables);
      if (this.copyCsv) {
        await this.widen(input.width);
        await this.closeAppender();
        const cells = Array.from({ length: input.width }, (_, i) => cellColumn(i)).join(', ');
        await this.conn.run(`INSERT INTO ${ROWS} (file_no, sheet_no, r, ${cells})
          SELECT ${fileNo}, ${sheetNo}, ${staged.rowSql}, ${cells} FROM ${table} WHERE ${staged.filterSql}`);
        for (const t of tables) await this.dropTable(t);
        return staged.droppedBlankRows;
      }
      this.csv.push({
        fileNo,
        sheetNo,
        table,
        width: input.width,
        rowSql: staged.rowSql,
        filterSql: staged.filterSql,
        tables,
      });
      return staged.droppedBlankRows;
    } catch (error) {
      for (const t of tables) await this.dropTable(t);
      throw error;
    }
  }

  /** Writes stg_sheets and the stg_raw view; returns the staged width. */
  async finish(): Promise<number> {
    await this.closeAppender();
    const width = Math.max(this.width, ...this.csv.map((c) => c.width));
    await this.conn.run(
      `CREATE OR REPLACE TEMP TABLE stg_sheets (sheet_no INTEGER, name VARCHAR, file_no INTEGER)`,
    );
    if (this.sheets.length > 0)
      await this.conn.run(
        `INSERT INTO stg_sheets VALUES ${this.sheets
          .map((s) => `(${s.sheetNo}, ${lit(s.name)}, ${s.fileNo})`)
          .join(', ')}`,
      );
    const cells = (have: number) =>
      Array.from({ length: width }, (_, i) =>
        i < have ? cellColumn(i) : `NULL::VARCHAR AS ${cellColumn(i)}`,
      ).join(', ');
    const branches = [
      `SELECT file_no, sheet_no, r, ${cells(this.width)} FROM ${ROWS}`,
      ...this.csv.map(
        (c) =>
          `SELECT ${c.fileNo} AS file_no, ${c.sheetNo} AS sheet_no, ${c.rowSql} AS r, ${cells(c.width)}
          FROM ${c.table} WHERE ${c.filterSql}`,
      ),
    ];
    await this.conn.run(`CREATE OR REPLACE TEMP VIEW stg_raw AS ${branches.join('\nUNION ALL ')}`);
    return width;
  }

  /** Drops everything staged. */
  async drop(): Promise<void> {
    await this.closeAppender().catch(() => undefined);
    await this.conn.run('DROP VIEW IF EXISTS temp.stg_raw').catch(() => undefined);
    for (const c of this.csv) for (const t of c.tables) await this.dropTable(t);
    this.csv.length = 0;
    for (const t of [ROWS, 'stg_sheets']) await this.dropTable(t);
  }

  private async dropTable(table: string): Promise<void> {
    await this.conn.run(`DROP TABLE IF EXISTS temp.${table}`).catch(() => undefined);
  }

  private async openAppender(): Promise<DuckDBAppender> {
    this.appender ??= await this.conn.createAppender(ROWS, 'main', 'temp');
    return this.appender;
  }

  private async closeAppender(): Promise<void> {
    const appender = this.appender;
    this.appender = null;
    if (!appender) return;
    try {
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
  }

  /** The appender is bound to the table's columns: it is closed around the ALTER. */
  private async widen(needed: number): Promise<void> {
    if (needed <= this.width) return;
    await this.closeAppender();
    for (let i = this.width; i < needed; i++)
      await this.conn.run(`ALTER TABLE ${ROWS} ADD COLUMN ${cellColumn(i)} VARCHAR`);
    this.width = needed;
  }
}
