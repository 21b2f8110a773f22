/**
 * Finds the header row of a sheet (below any title rows), the report kind it belongs to
 * and which column holds which key. Two-row headers (a merged group label such as
 * "留守儿童" above "人数"/"参加人数") are read as the group label plus the sub-label.
 */
import type { RawRow } from '../read/raw-row.ts';
import type { KindSpec, ReportKind } from '../reports/report-kind.ts';
import { KIND_SPECS, SURVEY_HEADER_KEYS } from '../reports/kinds.ts';
import { normalizeHeader } from './normalize-header.ts';

export interface HeaderMatch {
  kind: ReportKind;
  /** Index in the rows array of the (lower) header row. */
  headerIndex: number;
  /** Excel row number of the (lower) header row. */
  headerRow: number;
  /** Index of an upper header row combined with it, if any. */
  upperIndex: number | null;
  /** key → column index (0-based). */
  columns: Map<string, number>;
  /** column index → header text as the file shows it. */
  headerTexts: string[];
  /** Required keys of the kind that the header lacks. */
  missing: string[];
}

const SEARCH_ROWS = 40;

type AliasIndex = Map<string, string>;

function aliasIndex(
  spec:
    KindSpec | { columns: readonly { key: string; header: string; aliases?: readonly string[] }[] },
): AliasIndex {
  const index: AliasIndex = new Map();
  for (const column of spec.columns) {
    for (const text of [column.header, ...(column.aliases ?? []), column.key]) {
      const norm = normalizeHeader(text);
      if (!index.has(norm)) index.set(norm, column.key);
    }
  }
  return index;
}

const INDEXES = new Map<ReportKind, AliasIndex>(
  [...KIND_SPECS.entries()].map(([kind, spec]) => [kind, aliasIndex(spec)]),
);
const SURVEY_INDEX = aliasIndex({ columns: SURVEY_HEADER_KEYS });

function text(row: RawRow | undefined, col: number): string {
  return row?.cells[col]?.trim() ?? '';
}

/** Maps the columns of a header row (with an optional upper row) through an alias index. */
function mapColumns(index: AliasIndex, row: RawRow, upper: RawRow | undefined) {
  const columns = new Map<string, number>();
  const headerTexts: string[] = [];
  const width = Math.max(row.cells.length, upper?.cells.length ?? 0);
  for (let c = 0; c < width; c++) {
    const child = text(row, c);
    const parent = text(upper, c);
    const candidates: string[] = [];
    if (child) candidates.push(child);
    if (parent && child && parent !== child) candidates.push(parent + child);
    if (parent && !child) candidates.push(parent);
    let label = child || parent;
    for (const candidate of candidates) {
      // A sub-header such as 参加人数 under 留守儿童 matches a key another column already
      // holds; then the combined label (留守儿童参加人数) is the one meant.
      const key = index.get(normalizeHeader(candidate));
      if (key !== undefined && !columns.has(key)) {
        columns.set(key, c);
        label = candidate;
        break;
      }
    }
    headerTexts.push(label);
  }
  return { columns, headerTexts };
}

function candidateFor(kind: ReportKind, rows: readonly RawRow[], i: number): HeaderMatch | null {
  const row = rows[i];
  if (!row) return null;
  const index = kind === 'survey' ? SURVEY_INDEX : INDEXES.get(kind);
  if (!index) return null;
  const options = [null, i > 0 ? i - 1 : null].filter((u, k) => k === 0 || u !== null);
  let best: HeaderMatch | null = null;
  for (const upperIndex of options) {
    const { columns, headerTexts } = mapColumns(
      index,
      row,
      upperIndex === null ? undefined : rows[upperIndex],
    );
    if (!signatureMatches(kind, columns)) continue;
    const spec = kind === 'survey' ? undefined : KIND_SPECS.get(kind);
    const missing = spec
      ? spec.columns.filter((c) => !c.optional && !columns.has(c.key)).map((c) => c.key)
      : [];
    const match: HeaderMatch = {
      kind,
      headerIndex: i,
      headerRow: row.row,
      upperIndex,
      columns,
      headerTexts,
      missing,
    };
    if (!best || columns.size > best.columns.size) best = match;
  }
  return best;
}

function signatureMatches(kind: ReportKind, columns: Map<string, number>): boolean {
  if (kind === 'survey') {
    return columns.has('respondent') && (columns.has('school_code') || columns.has('school_name'));
  }
  const spec = KIND_SPECS.get(kind);
  if (!spec) return false;
  return (
    spec.signature.every((k) => columns.has(k)) &&
    !(spec.excludes ?? []).some((k) => columns.has(k))
  );
}

/** Sheets already searched (a folder is ordered by its headers, then loaded by them). */
const searched = new WeakMap<readonly RawRow[], HeaderMatch | null>();

/** The best header in the first rows of a sheet, or null if no kind's headers are there. */
export function detectHeader(rows: readonly RawRow[]): HeaderMatch | null {
  const known = searched.get(rows);
  if (known !== undefined) return known;
  const found = searchHeader(rows);
  searched.set(rows, found);
  return found;
}

/** A row holding a school code in its first filled cell is data, never a header. */
function isDataRow(row: RawRow | undefined): boolean {
  const first = row?.cells.find((c) => c != null && c.trim() !== '');
  return first !== undefined && first !== null && /^\s*[0-9]{10}\s*$/u.test(first);
}

function searchHeader(rows: readonly RawRow[]): HeaderMatch | null {
  let best: HeaderMatch | null = null;
  const limit = Math.min(rows.length, SEARCH_ROWS);
  for (let i = 0; i < limit; i++) {
    // Most previewed rows are data: skipping them saves normalising every cell ten ways.
    if (isDataRow(rows[i])) continue;
    for (const kind of [...KIND_SPECS.keys(), 'survey' as const]) {
      const match = candidateFor(kind, rows, i);
      if (
        match &&
        (!best ||
          match.columns.size - match.missing.length > best.columns.size - best.missing.length)
      ) {
        best = match;
      }
    }
  }
  return best;
}
