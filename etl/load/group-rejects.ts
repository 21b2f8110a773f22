/**
 * A group's rejects, set-based: every invalid value is located (sheet, Excel row, the
 * column as the file heads it), given its raw text and worded in SQL into the temp table
 * stg_rejects, in the order the clerk reads the file. load_rejects receives all of them in
 * one INSERT; the result of each file lists the first REJECTS_LISTED and counts the rest,
 * so a file of a million bad rows costs DuckDB's memory (which spills), not Node's heap,
 * and the answer sent back stays bounded.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { lit } from '../normalize/sql-text.ts';
import { P1_MARK, P2_MARK, reasonTemplates } from '../reports/reasons.ts';
import type { KindProgram, Validated } from './kind-program.ts';
import type { FileResult } from './load-report.ts';
import type { StagedSheet } from './staged-source.ts';

/**
 * Rejects listed in a load's results, all files together (the CLI's --json, an upload's
 * answer, which a browser must be able to show); the load history holds them all and
 * serves a batch's a page of up to as many at a time.
 */
export const REJECTS_LISTED = 1000;

/** What is left of a load's REJECTS_LISTED as its groups list theirs. */
export class RejectBudget {
  left = REJECTS_LISTED;
}

/** The texts of every reason code, with chr(1) and chr(2) where the parameters go. */
function reasonTextsSql(): string {
  return `SELECT * FROM (VALUES ${reasonTemplates()
    .map((t) => `(${lit(t.code)}, ${lit(t.zh)}, ${lit(t.en)})`)
    .join(', ')}) v(code, zh, en)`;
}

/** A template with the reject's parameters in place; JS's `${null}` is "null", and so here. */
function filled(template: string): string {
  return `replace(replace(${template}, ${lit(P1_MARK)}, coalesce(e.p1, 'null')), ${lit(P2_MARK)}, coalesce(e.p2, 'null'))`;
}

/**
 * Each sheet's place and header text for each column a reject names (keys not in a sheet
 * take the kind's own header and sort last). Through an appender: header texts come from
 * files and never enter SQL text.
 */
async function writeRejectColumns(
  conn: DuckDBConnection,
  program: KindProgram,
  sheets: readonly StagedSheet[],
): Promise<void> {
  const reader = await conn.runAndReadAll('SELECT DISTINCT col FROM stg_err');
  const cols = reader.getRowObjectsJS().map((r) => String(r.col));
  await conn.run(
    'CREATE OR REPLACE TEMP TABLE stg_reject_cols (sheet_no INTEGER, col VARCHAR, pos INTEGER, header VARCHAR)',
  );
  const appender = await conn.createAppender('stg_reject_cols', 'main', 'temp');
  try {
    for (const sheet of sheets) {
      for (const col of cols) {
        const at = sheet.columns.get(col);
        appender.appendInteger(sheet.sheetNo);
        appender.appendVarchar(col);
        // Beyond any real column: the file's column order first, then the rest.
        appender.appendInteger(at ?? 1_000_000_000);
        appender.appendVarchar(
          (at !== undefined ? sheet.headerTexts[at] : undefined) || program.headerOf(col),
        );
        appender.endRow();
      }
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

/**
 * Builds stg_rejects (file_no, ord, sheet, row_number, column_name, value, code, texts,
 * school_code, school_name): the school is the row's code (or the one its name resolved
 * to) with the registry's name, else the row's own 学校名称.
 */
export async function stageRejects(
  conn: DuckDBConnection,
  program: KindProgram,
  validated: Validated,
): Promise<void> {
  const { source, rawValuesSql } = validated;
  await writeRejectColumns(conn, program, source.sheets);
  // A survey row may name its school only: the code its name resolved to (reg_code).
  const schoolCodeSql =
    program.kind === 'survey' ? 'coalesce(s.v_school_code, s.reg_code)' : 's.v_school_code';
  const keys = new Set<string>();
  for (const s of source.sheets) for (const k of s.columns.keys()) keys.add(k);
  const rawCase =
    keys.size > 0
      ? `CASE e.col ${[...keys].map((k) => `WHEN ${lit(k)} THEN x.raw_${k}`).join(' ')} ELSE NULL END`
      : 'NULL';
  // Within a row, rejects follow the file's column order, as the clerk reads them.
  await conn.run(`CREATE OR REPLACE TEMP TABLE stg_rejects AS
    WITH texts AS (${reasonTextsSql()})
    SELECT ss.file_no,
      row_number() OVER (ORDER BY e.sheet_no, e.r NULLS FIRST, c.pos, e.code, e.p1, e.p2) AS ord,
      coalesce(ss.name, '') AS sheet, e.r AS row_number, c.header AS column_name,
      ${rawCase} AS value, e.code,
      coalesce(${filled('t.zh')}, e.code) AS reason_zh,
      coalesce(${filled('t.en')}, e.code) AS reason_en,
      rs.code AS school_code, coalesce(reg.school_name, rs.name) AS school_name
    FROM stg_err e JOIN (${rawValuesSql}) x ON x.sheet_no = e.sheet_no AND x.r = e.r
    LEFT JOIN (SELECT sheet_no, r, coalesce(${schoolCodeSql}, nullif(trim(raw_school_code), '')) AS code,
        nullif(trim(raw_school_name), '') AS name
      FROM (${rawValuesSql}) y LEFT JOIN stg s USING (sheet_no, r)) rs ON rs.sheet_no = e.sheet_no AND rs.r = e.r
    LEFT JOIN schools reg ON reg.school_code = rs.code
    JOIN stg_sheets ss ON ss.sheet_no = e.sheet_no
    JOIN stg_reject_cols c ON c.sheet_no = e.sheet_no AND c.col = e.col
    LEFT JOIN texts t ON t.code = e.code`);
}

/**
 * Lists the group's first rejects, as many as the load's budget has left, on their files'
 * results, and counts each file's others in rejectsOmitted.
 */
export async function listRejects(
  conn: DuckDBConnection,
  resultOf: ReadonlyMap<number, FileResult>,
  budget: RejectBudget,
): Promise<void> {
  const listed = await conn.runAndReadAll(
    `SELECT * FROM stg_rejects ORDER BY ord LIMIT ${Math.max(0, budget.left)}`,
  );
  const rows = listed.getRowObjectsJS();
  budget.left -= rows.length;
  for (const row of rows) {
    const zh = String(row.reason_zh);
    const en = String(row.reason_en);
    resultOf.get(Number(row.file_no))?.rejects.push({
      sheet: String(row.sheet),
      row: row.row_number === null ? null : Number(row.row_number),
      column: String(row.column_name),
      value: (row.value as string | null) ?? null,
      reason: `${zh} / ${en}`,
      reasonZh: zh,
      reasonEn: en,
      code: String(row.code),
      schoolCode: (row.school_code as string | null) ?? null,
      schoolName: (row.school_name as string | null) ?? null,
    });
  }
  const counts = await conn.runAndReadAll(
    'SELECT file_no, count(*)::INTEGER AS n FROM stg_rejects GROUP BY file_no',
  );
  for (const row of counts.getRowObjectsJS()) {
    const result = resultOf.get(Number(row.file_no));
    const omitted = Number(row.n) - (result?.rejects.length ?? 0);
    if (result && omitted > 0) result.rejectsOmitted = omitted;
  }
}

/** Kinds of reject (column × reason) counted per file; a file has few, but bound them anyway. */
export const REJECT_COUNTS_LISTED = 50;

/** Each file's rejects counted by column and reason, most frequent first, on its result. */
export async function countRejects(
  conn: DuckDBConnection,
  resultOf: ReadonlyMap<number, FileResult>,
): Promise<void> {
  const reader = await conn.runAndReadAll(`SELECT file_no, column_name, code,
      count(*)::INTEGER AS n, arg_min(reason_zh, ord) AS reason_zh, arg_min(reason_en, ord) AS reason_en
    FROM stg_rejects GROUP BY file_no, column_name, code
    QUALIFY row_number() OVER (PARTITION BY file_no ORDER BY count(*) DESC, min(ord)) <= ${REJECT_COUNTS_LISTED}
    ORDER BY file_no, n DESC, min(ord)`);
  for (const row of reader.getRowObjectsJS()) {
    const result = resultOf.get(Number(row.file_no));
    if (!result) continue;
    (result.rejectCounts ??= []).push({
      column: String(row.column_name),
      code: String(row.code),
      count: Number(row.n),
      reasonZh: String(row.reason_zh),
      reasonEn: String(row.reason_en),
    });
  }
}

/** The columns of a rejects CSV, as a clerk reads them (the upload page's table, and the code). */
export const REJECTS_CSV_HEADER = [
  '文件',
  '工作表',
  '行',
  '列',
  '值',
  '原因',
  '原因（英文）',
  '代码',
  '学校标识码',
  '学校名称',
];

/**
 * Collects every reject of a load as CSV parts (one per group, written by DuckDB, no
 * header), for `etl load --rejects <file>`; a dry run's rejects included. A group's part
 * counts only once the group has finished: a group that fails is loaded again file by file.
 */
export class RejectSink {
  readonly parts: string[] = [];
  private next = 0;

  constructor(private readonly dir: string) {}

  /** Writes the group's rejects (stg_rejects, files named by `paths`) to a new part. */
  async write(conn: DuckDBConnection, paths: ReadonlyMap<number, string>): Promise<string> {
    const part = join(this.dir, `rejects-${process.pid}-${this.next++}.csv`);
    const files = [...paths].map(([fileNo, path]) => `(${fileNo}, ${lit(path)})`).join(', ');
    await conn.run(`COPY (
        SELECT f.path, r.sheet, r.row_number, r.column_name, r.value, r.reason_zh, r.reason_en, r.code,
          r.school_code, r.school_name
        FROM stg_rejects r JOIN (VALUES ${files}) f(file_no, path) ON f.file_no = r.file_no
        ORDER BY r.ord)
      TO ${lit(part)} (FORMAT csv, HEADER false)`);
    return part;
  }

  keep(part: string): void {
    this.parts.push(part);
  }

  /**
   * Writes every kept part to `target` behind one header, as UTF-8 with a BOM (so Excel
   * reads the Chinese), streaming: a million rejects never sit in memory.
   */
  async saveTo(target: string): Promise<void> {
    await writeRejectsCsv(createWriteStream(target), this.parts);
  }

  /** The same rejects as an XLSX workbook (rejects-xlsx.ts), read back through `conn`. */
  async saveXlsxTo(target: string, conn: DuckDBConnection): Promise<void> {
    const { writeRejectsXlsx, csvPartSelect } = await import('./rejects-xlsx.ts');
    await writeRejectsXlsx(createWriteStream(target), conn, this.parts.map(csvPartSelect));
  }
}

/**
 * The CSV parts DuckDB wrote (REJECTS_CSV_HEADER's columns, no header) to `out` behind one
 * header, as UTF-8 with a BOM so that Excel reads the Chinese; streamed, then `out` ends.
 */
export async function writeRejectsCsv(out: Writable, parts: readonly string[]): Promise<void> {
  out.write(`\ufeff${REJECTS_CSV_HEADER.join(',')}\r\n`);
  for (const part of parts) await pipeline(createReadStream(part), out, { end: false });
  out.end();
  await finished(out);
}

/** Every reject of the group into load_rejects, under its file's batch (stg_files), in order. */
export async function recordRejects(conn: DuckDBConnection): Promise<void> {
  await conn.run(`INSERT INTO load_rejects
      (batch_id, sheet, row_number, column_name, value, reason_code, reason_zh, reason_en,
        school_code, school_name)
    SELECT f.batch_id, r.sheet, r.row_number, r.column_name, r.value, r.code, r.reason_zh, r.reason_en,
      r.school_code, r.school_name
    FROM stg_rejects r JOIN stg_files f ON f.file_no = r.file_no
    ORDER BY r.ord`);
}
