import { sql, type RawBuilder } from 'kysely';

/**
 * The one definition of a rate: a quotient of summed counts, null when the denominator
 * is zero or unknown ("never a silent 0").
 */
export function rate(numerator: number | null, denominator: number | null): number | null {
  if (numerator === null || denominator === null || denominator === 0) return null;
  return numerator / denominator;
}

/** Difference of two rates (a priority gap, a change); null when either is null. */
export function difference(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a - b;
}

/** DuckDB returns BIGINT/HUGEINT as bigint and DECIMAL as an object: numbers for GraphQL. */
export function num(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  const n = Number(String(value));
  return Number.isFinite(n) ? n : null;
}

export function int(value: unknown): number {
  return num(value) ?? 0;
}

/**
 * The same rate in SQL, for sorting and filtering inside a query (the page of a sorted
 * school list must be cut in SQL). Keep in step with rate() above.
 */
export function rateSql(numerator: RawBuilder<unknown>, denominator: RawBuilder<unknown>) {
  return sql`(CASE WHEN (${denominator}) > 0 THEN (${numerator})::DOUBLE / (${denominator}) END)`;
}
