/**
 * A load unit: the sheets of one report kind in one file (a workbook may hold several
 * kinds, each its own unit and batch). Planned from the header previews, before any data
 * row is read; staged into its group's tables when the group loads.
 */
import { basename } from 'node:path';
import { detectHeader, type HeaderMatch } from '../detect/detect-header.ts';
import type { RawRow } from '../read/raw-row.ts';
import { programFor } from '../reports/programs.ts';
import type { ReportKind } from '../reports/report-kind.ts';
import { emptyResult, type FileResult } from './load-report.ts';
import { SourceError, type Source } from './open-source.ts';
import type { GroupStager } from './stage-group.ts';
import type { StagedSheet } from './staged-source.ts';

interface SheetPlan {
  /** Index in the source's sheets (the reader's numbering). */
  sheetNo: number;
  name: string;
  rows: readonly RawRow[];
  match: HeaderMatch;
}

export interface LoadUnit {
  /** Position of the file in the run. */
  fileIndex: number;
  path: string;
  fileName: string;
  sha256: string;
  kind: ReportKind;
  source: Source;
  sheets: readonly SheetPlan[];
  warnings: readonly string[];
}

export interface StagedUnit {
  sheets: StagedSheet[];
  /** Title rows above the headers and blank CSV records, counted as read and skipped. */
  extraSkipped: number;
}

export const KIND_ORDER: readonly ReportKind[] = [
  'registry',
  'assignments',
  'monthly',
  'participation',
  'survey',
];

function missingError(kind: ReportKind, match: HeaderMatch, sheet: string): string {
  const program = programFor(kind);
  const names = match.missing.map((k) => program.headerOf(k)).join('、');
  return `工作表“${sheet}”缺少必需的列：${names} / sheet "${sheet}" lacks required columns: ${match.missing.join(', ')}`;
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

/**
 * Finds each sheet's header and kind: the file's units, in kind order, and the results of
 * what cannot load (no known headers, missing columns).
 */
export function planUnits(
  source: Source,
  fileIndex: number,
): { units: LoadUnit[]; failed: FileResult[] } {
  const path = source.path;
  const base = { fileIndex, path, fileName: basename(path), sha256: source.sha256, source };
  if (source.format === 'csv') {
    const match = detectHeader(source.preview);
    if (!match) return { units: [], failed: [unknownKind(path, `（编码 ${source.encoding}）`)] };
    if (match.missing.length > 0)
      return {
        units: [],
        failed: [
          {
            ...emptyResult(path, match.kind),
            error: missingError(match.kind, match, source.sheetName),
          },
        ],
      };
    const sheet = { sheetNo: 0, name: source.sheetName, rows: source.preview, match };
    return { units: [{ ...base, kind: match.kind, sheets: [sheet], warnings: [] }], failed: [] };
  }
  const byKind = new Map<ReportKind, SheetPlan[]>();
  const warnings: string[] = [];
  const failed: FileResult[] = [];
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
      failed.push({
        ...emptyResult(path, match.kind),
        error: missingError(match.kind, match, sheet.name),
        sheets: [sheet.name],
      });
      return;
    }
    const plans = byKind.get(match.kind) ?? [];
    plans.push({ sheetNo, name: sheet.name, rows: sheet.rows, match });
    byKind.set(match.kind, plans);
  });
  if (byKind.size === 0 && failed.length === 0)
    return { units: [], failed: [unknownKind(path, '')] };
  const units = KIND_ORDER.filter((k) => byKind.has(k)).map((kind) => ({
    ...base,
    kind,
    sheets: byKind.get(kind)!,
    warnings,
  }));
  return { units, failed };
}

function stagedSheet(plan: SheetPlan, sheetNo: number): StagedSheet {
  const top = plan.match.upperIndex ?? plan.match.headerIndex;
  return {
    sheetNo,
    name: plan.name,
    columns: plan.match.columns,
    headerTexts: plan.match.headerTexts,
    titleRows: top,
  };
}

/** Stages a unit's rows as file `fileNo` of the group; `onRows` hears of rows as they stream. */
export async function stageUnit(
  stager: GroupStager,
  unit: LoadUnit,
  fileNo: number,
  onRows: (n: number) => void,
): Promise<StagedUnit> {
  const source = unit.source;
  const numbers = new Map<number, number>();
  const sheets = unit.sheets.map((p) => {
    const sheetNo = stager.addSheet(fileNo, p.name);
    numbers.set(p.sheetNo, sheetNo);
    return stagedSheet(p, sheetNo);
  });
  const titleRows = sheets.reduce((n, s) => n + s.titleRows, 0);
  if (source.format === 'xlsx') {
    // The preview fixes the width the table starts with; wider rows below widen it.
    let initialWidth = 1;
    for (const p of unit.sheets) {
      initialWidth = Math.max(initialWidth, p.match.headerTexts.length);
      for (const r of p.rows.slice(p.match.headerIndex + 1))
        initialWidth = Math.max(initialWidth, r.cells.length);
    }
    const requests = unit.sheets.map((p) => ({
      sheet: p.sheetNo,
      afterRow: p.rows[p.match.headerIndex]?.row ?? 0,
    }));
    // A small workbook's preview already holds every row: it is not read a second time.
    const whole = unit.sheets.every((p) => source.sheets[p.sheetNo]?.complete === true);
    const rows = whole
      ? requests.map((q) => ({
          sheet: q.sheet,
          rows: (source.sheets[q.sheet]?.rows ?? []).filter((r) => r.row > q.afterRow),
        }))
      : source.rows(requests);
    await stager.appendRows(fileNo, numbers, rows, initialWidth, onRows);
    return { sheets, extraSkipped: titleRows };
  }
  const match = unit.sheets[0]!.match;
  const width = Math.max(match.headerTexts.length, ...source.preview.map((r) => r.cells.length));
  const firstDataRecord = match.headerIndex + 1;
  // A CSV with a header and no data rows stages nothing: its sheet is simply empty.
  if (firstDataRecord >= source.scan.records) return { sheets, extraSkipped: titleRows };
  const dropped = await stager.addCsv(fileNo, sheets[0]!.sheetNo, {
    path: source.utf8Path,
    width,
    delimiter: source.delimiter,
    firstDataRecord,
    blankRecordIndexes: source.scan.blankRecordIndexes,
    quotedNewlines: source.scan.quotedNewlines,
  });
  onRows(Math.max(0, source.scan.records - firstDataRecord));
  return { sheets, extraSkipped: titleRows + dropped };
}
