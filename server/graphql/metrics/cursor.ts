/** Opaque offset cursors for paged lists ("o:<offset>" in base64url). */
import { BadUserInputError } from '../errors.ts';

export function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined): number {
  if (cursor === null || cursor === undefined) return 0;
  const match = /^o:(\d{1,9})$/u.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new BadUserInputError('无效的分页游标 / invalid cursor');
  return Number(match[1]);
}

/** Validates a page size. */
export function pageSize(first: number | null | undefined, fallback: number, max: number): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new BadUserInputError(`first 应在 1 到 ${max} 之间 / first must be 1..${max}`);
  return n;
}

/** endCursor for a page that started at `offset` and showed `shown` of `total` rows. */
export function nextCursor(offset: number, shown: number, total: number): string | null {
  return offset + shown < total ? encodeCursor(offset + shown) : null;
}

/** A page of rows carrying the window count `total` (0 rows: an empty page). */
export function pageOf<Row extends { total: number }, Item>(
  rows: readonly Row[],
  offset: number,
  map: (row: Row) => Item,
): { total: number; items: Item[]; endCursor: string | null } {
  const total = rows[0]?.total ?? 0;
  return { total, items: rows.map(map), endCursor: nextCursor(offset, rows.length, total) };
}
