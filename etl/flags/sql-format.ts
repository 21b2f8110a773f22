/**
 * SQL expressions that write the short Chinese texts of a flag (observed, threshold,
 * detail). Pure string builders over column expressions; numbers are formatted in
 * integer arithmetic so the texts never show floating-point noise.
 */

/** Cents (BIGINT) as yuan with two decimals: 230 → '2.30'. */
export function money(cents: string): string {
  return `printf('%d.%02d', (${cents}) // 100, (${cents}) % 100)`;
}

/** Tenths (BIGINT) as one decimal: 347 → '34.7'. */
export function tenths(t: string): string {
  return `printf('%d.%d', (${t}) // 10, (${t}) % 10)`;
}

/** a / b as a percentage with one decimal, rounded half up: (54, 60) → '90.0%'. */
export function percent(a: string, b: string): string {
  return `${tenths(`((2000 * (${a})::BIGINT + (${b})::BIGINT) // (2 * (${b})::BIGINT))`)} || '%'`;
}

/** A DOUBLE without a trailing .0: 1 → '1', 1.5 → '1.5'. */
export function num(x: string): string {
  return `(CASE WHEN (${x}) = trunc(${x}) THEN CAST(CAST(${x} AS BIGINT) AS VARCHAR) ELSE CAST(${x} AS VARCHAR) END)`;
}

/** An integer column as text. */
export function int(x: string): string {
  return `CAST(${x} AS VARCHAR)`;
}

/** Minutes after midnight of an 'HH:MM' text. */
export function hhmmMinutes(t: string): string {
  return `(CAST(substr(${t}, 1, 2) AS INTEGER) * 60 + CAST(substr(${t}, 4, 2) AS INTEGER))`;
}

/** Concatenation of SQL expressions and literal texts, e.g. cat("'开展 '", 'x', "' 天'"). */
export function cat(...parts: string[]): string {
  return parts.join(' || ');
}

// The semester calendar lives in the kernel (server/db/calendar.ts); these names stay for the rules.
export {
  semesterEndSql as semesterEnd,
  semesterLabelSql as semesterLabel,
  semesterStartSql as semesterStart,
} from '../../server/db/calendar.ts';
