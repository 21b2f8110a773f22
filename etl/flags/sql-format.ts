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

/** First month ('YYYY-09' or 'YYYY-02') of the semester holding a 'YYYY-MM' text: Sep–Jan, Feb–Aug. */
export function semesterStart(month: string): string {
  const mm = `CAST(substr(${month}, 6, 2) AS INTEGER)`;
  const yyyy = `CAST(substr(${month}, 1, 4) AS INTEGER)`;
  return `(CASE WHEN ${mm} >= 9 THEN substr(${month}, 1, 4) || '-09'
    WHEN ${mm} = 1 THEN CAST(${yyyy} - 1 AS VARCHAR) || '-09'
    ELSE substr(${month}, 1, 4) || '-02' END)`;
}

/** '2025 秋季学期' / '2026 春季学期' for a semester start month text. */
export function semesterLabel(start: string): string {
  return `(substr(${start}, 1, 4) || CASE WHEN substr(${start}, 6, 2) = '09' THEN ' 秋季学期' ELSE ' 春季学期' END)`;
}

/** First month of the semester after the one starting at `start`: '2025-09' → '2026-02', '2026-02' → '2026-09'. */
export function semesterEnd(start: string): string {
  return `(CASE WHEN substr(${start}, 6, 2) = '09'
    THEN CAST(CAST(substr(${start}, 1, 4) AS INTEGER) + 1 AS VARCHAR) || '-02'
    ELSE substr(${start}, 1, 4) || '-09' END)`;
}
