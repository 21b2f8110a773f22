/**
 * Lineage rows as GraphQL objects: values labelled with the contract's headers, and each
 * replaced version's changes against the version that followed it (old → new).
 *
 * Priority-group counts are withheld from protected requests (leadership, exports; see
 * scope/disclosure.ts): a single school-grade row is below any
 * aggregate small-cell protection could make safe, so the columns are left out for them.
 */
import { disclosureOf, type DisclosureContext } from '../scope/disclosure.ts';
import { shanghaiIso } from '../../db/calendar.ts';
import { PRIORITY_GROUP_COLUMNS } from '../../db/vocabulary/priority-groups.ts';
import type {
  SourceChange,
  SourceRow,
  SourceTable,
  SourceValue,
  SourceVersion,
} from '../__generated__/resolvers-types.ts';
import { LINEAGE_COLUMNS, type LineageColumn } from './column-labels.ts';
import type { SourceRowRecord, VersionRecord } from './lineage.repository.ts';

const PRIORITY_COUNT_COLUMNS = new Set(
  PRIORITY_GROUP_COLUMNS.flatMap((g) => [`${g}_enrolled`, `${g}_participants`]),
);

/** The columns a request may read of `table` (protected requests: no priority counts). */
export function visibleColumns(
  ctx: DisclosureContext,
  table: SourceTable,
): readonly LineageColumn[] {
  const all = LINEAGE_COLUMNS[table];
  return disclosureOf(ctx) === 'PROTECTED'
    ? all.filter((c) => !PRIORITY_COUNT_COLUMNS.has(c.column))
    : all;
}

/** A loaded value as text: numbers plain, booleans 是/否, null as null. */
export function valueText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

type RowObject = Record<string, unknown>;

function parseRow(json: string): RowObject {
  const parsed: unknown = JSON.parse(json);
  return parsed !== null && typeof parsed === 'object' ? (parsed as RowObject) : {};
}

const num = (v: number | bigint | null): number | null => (v === null ? null : Number(v));

interface ParsedRow {
  source: SourceRow;
  row: RowObject;
}

export function toSourceRow(
  table: SourceTable,
  columns: readonly LineageColumn[],
  record: SourceRowRecord,
): ParsedRow {
  const row = parseRow(record.row_json);
  const loadedMs = num(record.loaded_ms);
  const grade = table === 'PARTICIPATION' ? num((row.grade as number | null) ?? null) : null;
  const values: SourceValue[] = columns.map((c) => ({
    column: c.column,
    label: c.label,
    value: valueText(row[c.column]),
  }));
  return {
    row,
    source: {
      table,
      batchId: String(record.batch_id),
      fileName: record.file_name ?? '',
      sheet: record.source_sheet,
      row: record.source_row,
      grade,
      loadedBy: record.loaded_by ?? '',
      loadedAt: loadedMs === null ? '' : shanghaiIso(loadedMs),
      originalAvailable: record.original_bytes !== null && record.original_bytes !== undefined,
      sha256: record.sha256 ?? '',
      values,
    },
  };
}

export function changesBetween(
  columns: readonly LineageColumn[],
  older: RowObject,
  newer: RowObject | undefined,
): SourceChange[] {
  const out: SourceChange[] = [];
  for (const c of columns) {
    const before = valueText(older[c.column]);
    const after = newer === undefined ? null : valueText(newer[c.column]);
    if (before !== after) out.push({ column: c.column, label: c.label, old: before, new: after });
  }
  return out;
}

/** The row's key within its unit: the grade of a participation row, else the unit itself. */
const rowKey = (table: SourceTable, row: RowObject): string =>
  table === 'PARTICIPATION' ? String(row.grade) : '';

/**
 * Replaced versions, newest first, each compared with the version of the same row that
 * replaced it: the next newer replaced one, else the current row (none: the row was dropped,
 * every value goes to null).
 */
export function toHistory(
  table: SourceTable,
  columns: readonly LineageColumn[],
  current: readonly ParsedRow[],
  versions: readonly VersionRecord[],
): SourceVersion[] {
  const next = new Map<string, RowObject>();
  for (const c of current) next.set(rowKey(table, c.row), c.row);
  return versions.map((v) => {
    const parsed = toSourceRow(table, columns, v);
    const key = rowKey(table, parsed.row);
    const changes = changesBetween(columns, parsed.row, next.get(key));
    next.set(key, parsed.row);
    return {
      source: parsed.source,
      replacedByBatchId: String(v.superseded_by),
      replacedByFile: v.replaced_by_file ?? '',
      replacedAt: shanghaiIso(Number(v.replaced_ms)),
      changes,
    };
  });
}
