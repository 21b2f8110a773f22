/**
 * Loads one file: open → find each sheet's header and kind → per kind, one transaction.
 * Structural problems (unreadable file, no known headers, missing columns) become a
 * result with an error; bad values become rejects; warehouse errors roll back.
 */
import { basename } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { detectHeader, type HeaderMatch } from '../detect/detect-header.ts';
import type { RawRow } from '../read/raw-row.ts';
import { programFor } from '../reports/programs.ts';
import type { ReportKind } from '../reports/report-kind.ts';
import { loadKind } from './load-kind.ts';
import { emptyResult, type FileResult } from './load-report.ts';
import {
  openSource,
  SourceError,
  type CsvSource,
  type Source,
  type XlsxSource,
} from './open-source.ts';
import { CsvReadError, stageCsv } from './stage-csv.ts';
import { shortMessage } from '../../server/db/engine-errors.ts';
import { stageRowStream } from './stage-xlsx.ts';
import type { StagedSheet, StagedSource } from './staged-source.ts';
import { findUnchanged } from './unchanged.ts';

export interface LoadFileOptions {
  user: string;
  /** The warehouse's temp folder (the only one DuckDB may read files from). */
  tempDir: string;
  dryRun: boolean;
  beforeCommit?: () => void | Promise<void>;
}

interface SheetPlan {
  sheetNo: number;
  name: string;
  rows: readonly RawRow[];
  match: HeaderMatch;
}

function missingError(kind: ReportKind, match: HeaderMatch, sheet: string): string {
  const program = programFor(kind);
  const names = match.missing.map((k) => program.headerOf(k)).join('、');
  return `工作表“${sheet}”缺少必需的列：${names} / sheet "${sheet}" lacks required columns: ${match.missing.join(', ')}`;
}

function stagedSheet(plan: SheetPlan): StagedSheet {
  const top = plan.match.upperIndex ?? plan.match.headerIndex;
  return {
    sheetNo: plan.sheetNo,
    name: plan.name,
    columns: plan.match.columns,
    headerTexts: plan.match.headerTexts,
    titleRows: top,
  };
}

function unknownKind(path: string, detail: string): FileResult {
  return {
    ...emptyResult(path, null),
    error: `无法识别报表类型：未找到学校名录、督学挂牌、月报、分年级或问卷的表头${detail} / unknown report kind: no registry, assignments, monthly, participation or survey headers found${detail}`,
  };
}

/** The result of a file that could not be opened at all. */
export function unreadable(path: string, error: unknown): FileResult {
  const message = error instanceof SourceError ? error.message : String(error);
  return { ...emptyResult(path, null), error: message };
}

export async function loadFile(
  conn: DuckDBConnection,
  path: string,
  options: LoadFileOptions,
  opened?: Source,
): Promise<FileResult[]> {
  let source: Source;
  try {
    source = opened ?? (await openSource(path, { tempDir: options.tempDir }));
  } catch (error) {
    return [unreadable(path, error)];
  }
  try {
    const unchanged = await findUnchanged(conn, source.sha256);
    if (unchanged) return await recordUnchanged(conn, path, source.sha256, unchanged, options);
    return source.format === 'xlsx'
      ? await loadWorkbook(conn, source, options)
      : await loadCsv(conn, source, options);
  } finally {
    await source.dispose();
  }
}

async function recordUnchanged(
  conn: DuckDBConnection,
  path: string,
  sha256: string,
  batches: ReadonlyArray<{ kind: ReportKind; batchId: number }>,
  options: LoadFileOptions,
): Promise<FileResult[]> {
  const results: FileResult[] = [];
  for (const b of batches) {
    if (!options.dryRun) {
      await conn.run(
        `INSERT INTO load_batches (batch_id, file_name, file_path, sha256, kind, status, loaded_by,
          rows_read, rows_skipped, rows_loaded, rows_rejected, units_loaded, units_rejected)
         VALUES (nextval('load_batch_seq'), $1, $2, $3, $4, 'unchanged', $5, 0, 0, 0, 0, 0, 0)`,
        [basename(path), path, sha256, b.kind, options.user],
      );
    }
    results.push({ ...emptyResult(path, b.kind), unchanged: true, batchId: b.batchId });
  }
  return results;
}

async function loadWorkbook(
  conn: DuckDBConnection,
  source: XlsxSource,
  options: LoadFileOptions,
): Promise<FileResult[]> {
  const byKind = new Map<ReportKind, SheetPlan[]>();
  const warnings: string[] = [];
  const errors: FileResult[] = [];
  source.sheets.forEach((sheet, sheetNo) => {
    const match = detectHeader(sheet.rows);
    if (!match) {
      if (sheet.rows.length > 0 && !sheet.hidden)
        warnings.push(
          `工作表“${sheet.name}”未识别，已忽略 / sheet "${sheet.name}" not recognised, ignored`,
        );
      return;
    }
    if (match.missing.length > 0) {
      errors.push({
        ...emptyResult(source.path, match.kind),
        error: missingError(match.kind, match, sheet.name),
        sheets: [sheet.name],
      });
      return;
    }
    const plans = byKind.get(match.kind) ?? [];
    plans.push({ sheetNo, name: sheet.name, rows: sheet.rows, match });
    byKind.set(match.kind, plans);
  });
  if (byKind.size === 0 && errors.length === 0) return [unknownKind(source.path, '')];
  const results: FileResult[] = [...errors];
  for (const [kind, plans] of [...byKind.entries()].sort(
    (a, b) => kindOrder(a[0]) - kindOrder(b[0]),
  )) {
    const sheets = plans.map(stagedSheet);
    // The preview fixes the width the table starts with; wider rows below widen it.
    let initialWidth = 1;
    for (const p of plans) {
      initialWidth = Math.max(initialWidth, p.match.headerTexts.length);
      for (const r of p.rows.slice(p.match.headerIndex + 1))
        initialWidth = Math.max(initialWidth, r.cells.length);
    }
    // Sheet numbers are indexes in source.sheets, as the reader numbers them.
    const requests = plans.map((p) => ({
      sheet: p.sheetNo,
      afterRow: p.rows[p.match.headerIndex]?.row ?? 0,
    }));
    const result = await runKind(
      conn,
      source.path,
      source.sha256,
      kind,
      options,
      sheets,
      async (c) => {
        const width = await stageRowStream(c, source.rows(requests), initialWidth);
        return { width, sheetNoSql: 'sheet_no', rowSql: 'r', sheets, droppedBlankRows: 0 };
      },
    );
    if (warnings.length > 0) result.warnings = warnings;
    results.push(result);
  }
  return results;
}

async function loadCsv(
  conn: DuckDBConnection,
  source: CsvSource,
  options: LoadFileOptions,
): Promise<FileResult[]> {
  const match = detectHeader(source.preview);
  if (!match) return [unknownKind(source.path, `（编码 ${source.encoding}）`)];
  if (match.missing.length > 0) {
    return [
      {
        ...emptyResult(source.path, match.kind),
        error: missingError(match.kind, match, source.sheetName),
      },
    ];
  }
  const sheet: StagedSheet = stagedSheet({
    sheetNo: 0,
    name: source.sheetName,
    rows: source.preview,
    match,
  });
  const width = Math.max(match.headerTexts.length, ...source.preview.map((r) => r.cells.length));
  const firstDataRecord = match.headerIndex + 1;
  const result = await runKind(
    conn,
    source.path,
    source.sha256,
    match.kind,
    options,
    [sheet],
    async (c): Promise<StagedSource> => {
      if (firstDataRecord >= source.scan.records) {
        // A CSV with a header and no data rows: the empty table the validation reads.
        await stageRowStream(c, [], width);
        return { width, sheetNoSql: '0', rowSql: 'r', sheets: [sheet], droppedBlankRows: 0 };
      }
      const staged = await stageCsv(c, {
        path: source.utf8Path,
        width,
        delimiter: source.delimiter,
        firstDataRecord,
        blankRecordIndexes: source.scan.blankRecordIndexes,
        quotedNewlines: source.scan.quotedNewlines,
      });
      return {
        width,
        sheetNoSql: '0',
        rowSql: staged.rowSql,
        filterSql: staged.filterSql,
        sheets: [sheet],
        droppedBlankRows: staged.droppedBlankRows,
      };
    },
  );
  return [result];
}

function kindOrder(kind: ReportKind): number {
  return ['registry', 'assignments', 'monthly', 'participation', 'survey'].indexOf(kind);
}

async function runKind(
  conn: DuckDBConnection,
  path: string,
  sha256: string,
  kind: ReportKind,
  options: LoadFileOptions,
  sheets: readonly StagedSheet[],
  stage: (conn: DuckDBConnection) => Promise<StagedSource>,
): Promise<FileResult> {
  try {
    return await loadKind(conn, {
      path,
      fileName: basename(path),
      sha256,
      program: programFor(kind),
      stage,
      titleRows: sheets.reduce((n, s) => n + s.titleRows, 0),
      sheetNames: sheets.map((s) => s.name),
      user: options.user,
      dryRun: options.dryRun,
      beforeCommit: options.beforeCommit,
    });
  } catch (error) {
    // The file's fault, found while staging: a CSV line DuckDB cannot read, or a workbook
    // read that failed while streaming (the reader's limits or its worker's death).
    if (error instanceof CsvReadError || error instanceof SourceError)
      return { ...emptyResult(path, kind), error: error.message };
    const detail = shortMessage(error);
    return {
      ...emptyResult(path, kind),
      error: `仓库写入失败，已回滚，数据未改变：${detail} / warehouse error, rolled back, nothing changed: ${detail}`,
      warehouseError: true,
    };
  }
}
