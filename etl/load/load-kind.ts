/**
 * Loads the staged sheets of one report kind in ONE transaction: stage → validate
 * (set-based SQL) → replace accepted units → record the batch and its rejects → judge the
 * flags of the school-months it touched → commit,
 * then check that the warehouse really holds what we report. Any error rolls back, so a
 * failed load leaves the warehouse exactly as it was.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { judgeBatch } from '../flags/evaluate.ts';
import { judgeContextOf } from '../flags/judge-context.ts';
import { lit } from '../normalize/sql-text.ts';
import { reasonTexts, isReasonCode } from '../reports/reasons.ts';
import type { KindProgram, Validated } from './kind-program.ts';
import type { StagedSource } from './staged-source.ts';
import type { FileResult, RejectEntry } from './load-report.ts';
import { emptyResult } from './load-report.ts';

export interface LoadKindInput {
  path: string;
  fileName: string;
  sha256: string;
  program: KindProgram;
  /** Stages stg_raw on the connection and describes the layout. */
  stage(conn: DuckDBConnection): Promise<StagedSource>;
  /** Title rows above the headers, counted as skipped. */
  titleRows: number;
  sheetNames: readonly string[];
  user: string;
  dryRun: boolean;
  /** Test hook: called after the apply step and the flags, before commit. */
  beforeCommit?: () => void | Promise<void>;
}

async function one(conn: DuckDBConnection, sql: string): Promise<Record<string, unknown>> {
  const reader = await conn.runAndReadAll(sql);
  return (reader.getRowObjectsJS()[0] ?? {}) as Record<string, unknown>;
}

async function readRejects(
  conn: DuckDBConnection,
  program: KindProgram,
  validated: Validated,
): Promise<RejectEntry[]> {
  const { source, rawValuesSql } = validated;
  const keys = new Set<string>();
  for (const s of source.sheets) for (const k of s.columns.keys()) keys.add(k);
  const rawCase = `CASE e.col ${[...keys].map((k) => `WHEN ${lit(k)} THEN x.raw_${k}`).join(' ')} ELSE NULL END`;
  const reader =
    await conn.runAndReadAll(`SELECT e.sheet_no, e.r, e.col, e.code, e.p1, e.p2, ${keys.size > 0 ? rawCase : 'NULL'} AS value
    FROM stg_err e JOIN stg s ON s.sheet_no = e.sheet_no AND s.r = e.r
    JOIN (${rawValuesSql}) x ON x.rid = s.rid
    ORDER BY e.sheet_no, e.r`);
  const sheets = new Map(source.sheets.map((s) => [s.sheetNo, s]));
  // Within a row, rejects follow the file's column order, as the clerk reads them.
  const position = (row: Record<string, unknown>) =>
    sheets.get(Number(row.sheet_no))?.columns.get(String(row.col)) ?? 1e9;
  const rows = reader
    .getRowObjectsJS()
    .sort(
      (a, b) =>
        Number(a.sheet_no) - Number(b.sheet_no) ||
        Number(a.r) - Number(b.r) ||
        position(a) - position(b),
    );
  return rows.map((row) => {
    const sheet = sheets.get(Number(row.sheet_no));
    const col = String(row.col);
    const position = sheet?.columns.get(col);
    const column =
      (position !== undefined ? sheet?.headerTexts[position] : undefined) || program.headerOf(col);
    const code = String(row.code);
    const texts = isReasonCode(code)
      ? reasonTexts(code, (row.p1 as string | null) ?? null, (row.p2 as string | null) ?? null)
      : { zh: code, en: code, both: code };
    return {
      sheet: sheet?.name ?? '',
      row: row.r === null ? null : Number(row.r),
      column,
      value: (row.value as string | null) ?? null,
      reason: texts.both,
      reasonZh: texts.zh,
      reasonEn: texts.en,
      code,
    };
  });
}

async function recordRejects(
  conn: DuckDBConnection,
  batchId: number,
  rejects: readonly RejectEntry[],
): Promise<void> {
  if (rejects.length === 0) return;
  const appender = await conn.createAppender('load_rejects');
  try {
    for (const r of rejects) {
      appender.appendInteger(batchId);
      appender.appendVarchar(r.sheet);
      if (r.row === null) appender.appendNull();
      else appender.appendInteger(r.row);
      appender.appendVarchar(r.column);
      if (r.value === null) appender.appendNull();
      else appender.appendVarchar(r.value);
      appender.appendVarchar(r.code);
      appender.appendVarchar(r.reasonZh);
      appender.appendVarchar(r.reasonEn);
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

const TEMP_TABLES = [
  'stg_raw',
  'stg',
  'stg_err',
  'stg_units',
  'stg_sheets',
  'stg_blanks',
  'stg_items',
];

async function dropTempTables(conn: DuckDBConnection): Promise<void> {
  for (const table of TEMP_TABLES)
    await conn.run(`DROP TABLE IF EXISTS temp.${table}`).catch(() => undefined);
}

export async function loadKind(conn: DuckDBConnection, input: LoadKindInput): Promise<FileResult> {
  const result = emptyResult(input.path, input.program.kind);
  result.sheets = [...input.sheetNames];
  let inTransaction = false;
  let committed = false;
  try {
    // Validation touches only this connection's temp tables, so it runs before the
    // transaction; everything that writes the warehouse happens inside it.
    const staged = await input.stage(conn);
    await conn.run(`CREATE OR REPLACE TEMP TABLE stg_sheets (sheet_no INTEGER, name VARCHAR)`);
    for (const s of staged.sheets) {
      await conn.run(`INSERT INTO stg_sheets VALUES (${s.sheetNo}, ${lit(s.name)})`);
    }
    const validated = await input.program.validate(conn, staged);
    const source = validated.source;

    const counts = await one(
      conn,
      `SELECT
        (SELECT count(*) FROM stg)::INTEGER AS staged,
        (SELECT count(*) FROM stg WHERE skip IS NOT NULL)::INTEGER AS skipped,
        coalesce((SELECT sum(n) FROM stg_units WHERE NOT rejected), 0)::INTEGER AS ok_rows,
        coalesce((SELECT sum(n) FROM stg_units WHERE rejected), 0)::INTEGER AS bad_rows,
        (SELECT count(*) FROM stg_units WHERE NOT rejected)::INTEGER AS ok_units,
        (SELECT count(*) FROM stg_units WHERE rejected)::INTEGER AS bad_units`,
    );
    const extraSkipped = input.titleRows + source.droppedBlankRows;
    result.rowsRead = Number(counts.staged) + extraSkipped;
    result.rowsSkipped = Number(counts.skipped) + extraSkipped;
    result.rowsLoaded = Number(counts.ok_rows);
    result.rowsRejected = Number(counts.bad_rows);
    result.unitsLoaded = Number(counts.ok_units);
    result.unitsRejected = Number(counts.bad_units);
    result.rejects = await readRejects(conn, input.program, validated);

    await conn.run('BEGIN TRANSACTION');
    inTransaction = true;
    const batch = await one(conn, `SELECT nextval('load_batch_seq')::INTEGER AS id`);
    const batchId = Number(batch.id);
    result.batchId = batchId;
    const inserted = await input.program.apply(conn, batchId, input.fileName);
    if (inserted !== result.rowsLoaded) {
      throw new Error(`inserted ${inserted} rows but ${result.rowsLoaded} were accepted`);
    }
    await conn.run(
      `INSERT INTO load_batches (batch_id, file_name, file_path, sha256, kind, sheets, status, loaded_by,
        rows_read, rows_skipped, rows_loaded, rows_rejected, units_loaded, units_rejected)
       VALUES ($1, $2, $3, $4, $5, $6, 'loaded', $7, $8, $9, $10, $11, $12, $13)`,
      [
        batchId,
        input.fileName,
        input.path,
        input.sha256,
        input.program.kind,
        input.sheetNames.join(','),
        input.user,
        result.rowsRead,
        result.rowsSkipped,
        result.rowsLoaded,
        result.rowsRejected,
        result.unitsLoaded,
        result.unitsRejected,
      ],
    );
    await recordRejects(conn, batchId, result.rejects);
    // The staged rows are spent: free their memory before the flags are judged.
    await dropTempTables(conn);
    result.flags = await judgeBatch(
      conn,
      { batchId, kind: input.program.kind, fileName: input.fileName },
      await judgeContextOf(conn),
    );
    await input.beforeCommit?.();
    if (input.dryRun) {
      await conn.run('ROLLBACK');
      inTransaction = false;
    } else {
      await conn.run('COMMIT');
      committed = true;
    }
  } catch (error) {
    if (inTransaction && !committed) await conn.run('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await dropTempTables(conn);
  }
  if (committed) await verifyCommitted(conn, input.program, result);
  return result;
}

/**
 * DuckDB can report a COMMIT as successful after a failed statement yet roll everything
 * back, so the loader checks the warehouse holds the batch before it reports success.
 */
async function verifyCommitted(
  conn: DuckDBConnection,
  program: KindProgram,
  result: FileResult,
): Promise<void> {
  const batchId = result.batchId!;
  const stored = await one(
    conn,
    `SELECT count(*)::INTEGER AS n FROM load_batches WHERE batch_id = ${batchId}`,
  );
  const rows = await one(conn, program.countSql(batchId));
  if (Number(stored.n) !== 1 || Number(rows.n) !== result.rowsLoaded) {
    throw new Error(
      `the warehouse does not hold batch ${batchId} after commit (batch rows ${String(stored.n)}, data rows ${String(rows.n)} of ${result.rowsLoaded})`,
    );
  }
}
