/**
 * Rows that are not data: blank rows, total rows (合计/总计/小计 as the first text),
 * footer notes and signature lines, and a repeated header row.
 */
import { lit } from '../normalize/sql-text.ts';
import { cellColumn } from './staged-source.ts';

export const TOTAL_PATTERN = '^(合\\s*计|总\\s*计|小\\s*计|总合计|全[^0-9]{0,8}合计)\\s*[:：]?';
export const NOTE_PATTERN =
  '^((注|说明|备注)\\s*[0-9０-９]*\\s*[:：、.．]|(填表人|填报人|制表人|审核人|负责人|单位负责人|校长|联系人|联系电话|电话|填报日期|填表日期|报送日期|单位\\s*[（(]盖章[)）])\\s*[:：]?)';

function trimmed(col: string): string {
  return `nullif(trim(${col}), '')`;
}

/** SQL for the first non-blank cell of a stg_raw row. */
export function firstCellSql(width: number): string {
  if (width === 0) return 'NULL';
  const cells = Array.from({ length: width }, (_, i) => trimmed(cellColumn(i)));
  return width === 1 ? cells[0]! : `coalesce(${cells.join(', ')})`;
}

/**
 * SQL classifying a row: NULL for data, else 'blank' | 'total' | 'note' | 'header'.
 * `first` is the first-cell expression; `headerCheck` is true on a repeated header row.
 */
export function skipSql(width: number, first: string, headerCheck: string): string {
  // Fast path: a first cell holding a school code is a data row (no trims, no regex).
  const c0 = cellColumn(0);
  const dataRow = `length(${c0}) = 10 AND TRY_CAST(${c0} AS BIGINT) IS NOT NULL`;
  const allNotes = Array.from({ length: width }, (_, i) => {
    const c = trimmed(cellColumn(i));
    return `(${c} IS NULL OR regexp_matches(${c}, ${lit(NOTE_PATTERN)}))`;
  }).join(' AND ');
  return `(CASE WHEN ${width > 0 ? dataRow : 'FALSE'} THEN NULL
    WHEN ${first} IS NULL THEN 'blank'
    WHEN regexp_full_match(${first}, '[0-9]{10}') THEN NULL
    WHEN regexp_matches(${first}, ${lit(TOTAL_PATTERN)}) THEN 'total'
    WHEN regexp_matches(${first}, ${lit(NOTE_PATTERN)}) AND ${allNotes || 'TRUE'} THEN 'note'
    WHEN ${headerCheck} THEN 'header' END)`;
}
