/** Column definitions of DataTable: what a cell shows, sorts by and exports. */
import type { Cell, NumberFormat } from '../export/table-data.ts';
import { integer, percent, score } from '../format/format.ts';

export interface Column<Row> {
  key: string;
  label: string;
  /** The raw value: sorts the column and is written to XLSX (rates as fractions). */
  value: (row: Row) => Cell;
  /** What the cell shows and CSV writes; default: the value as text, "—" for null. */
  text?: (row: Row) => string;
  numberFormat?: NumberFormat;
  align?: 'left' | 'right' | 'center';
  sortable?: boolean;
  /** Width in characters in the XLSX file. */
  width?: number;
}

export interface SortState {
  key: string;
  direction: 'ASC' | 'DESC';
}

/** The cell text of a column for a row. */
export function cellText<Row>(column: Column<Row>, row: Row): string {
  if (column.text) return column.text(row);
  const value = column.value(row);
  return value === null ? '—' : String(value);
}

/** Rows sorted by a column's value, nulls last whatever the direction; stable. */
export function sortRows<Row>(
  rows: readonly Row[],
  column: Column<Row>,
  direction: 'ASC' | 'DESC',
): Row[] {
  const sign = direction === 'ASC' ? 1 : -1;
  return rows
    .map((row, index) => ({ row, index, value: column.value(row) }))
    .sort((a, b) => {
      if (a.value === null || b.value === null)
        return a.value === b.value ? a.index - b.index : a.value === null ? 1 : -1;
      const order =
        typeof a.value === 'number' && typeof b.value === 'number'
          ? a.value - b.value
          : String(a.value).localeCompare(String(b.value), 'zh-CN');
      return order === 0 ? a.index - b.index : sign * order;
    })
    .map((entry) => entry.row);
}

/** How a figure column shows its number: a rate as "62.3%", a count as "1,234", a score as "85.3". */
export type FigureKind = 'rate' | 'count' | 'score';

const FIGURE: Record<
  FigureKind,
  { text: (v: number | null) => string; numberFormat: NumberFormat }
> = {
  rate: { text: percent, numberFormat: 'percent' },
  count: { text: integer, numberFormat: 'integer' },
  score: { text: score, numberFormat: 'decimal' },
};

/**
 * A right-aligned number column: the raw figure sorts and goes to XLSX (rates as fractions),
 * the cell shows it formatted for zh-CN. `extra` adds e.g. `sortable` or `width`.
 */
export function figureColumn<Row>(
  key: string,
  label: string,
  get: (row: Row) => number | null,
  kind: FigureKind,
  extra: Partial<Column<Row>> = {},
): Column<Row> {
  const { text, numberFormat } = FIGURE[kind];
  return {
    key,
    label,
    value: get,
    text: (row) => text(get(row)),
    numberFormat,
    align: 'right',
    ...extra,
  };
}
