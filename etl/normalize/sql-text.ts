/** Tiny helpers for generated SQL. Values never come from files: only from our own specs. */

import { lit } from '../../server/db/sql-literals.ts';

export { ident, lit } from '../../server/db/sql-literals.ts';

const FULL_WIDTH = '０１２３４５６７８９：．，－／＋　（）。';
const HALF_WIDTH = '0123456789:.,-/+ ().';

/**
 * Folds full-width digits and punctuation ("１２", "18：00") and trims; blank → NULL.
 * `。` folds to `.` because clerks type 2。5 for 2.5 on Chinese keyboards.
 */
export function cleaned(expr: string): string {
  return `nullif(trim(translate(${expr}, ${lit(FULL_WIDTH)}, ${lit(HALF_WIDTH)}), ${BLANKS}), '')`;
}

/** Whitespace a clerk's cell may carry: space, tab, CR/LF, no-break and ideographic spaces. */
const BLANKS = lit(' \t\r\n\u00a0\u3000');

/** True when the cell is empty or only whitespace. Cheap: no regular expression. */
export function blank(expr: string): string {
  return `(${expr} IS NULL OR trim(${expr}, ${BLANKS}) = '')`;
}

/** The cleaned text with every inner space removed, for numbers, codes and months. */
export function compact(expr: string): string {
  return `nullif(regexp_replace(${cleaned(expr)}, '\\s+', '', 'g'), '')`;
}
