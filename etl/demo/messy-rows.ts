/**
 * Deliberately invalid rows, the kind a clerk's typo or an unregistered new school
 * produces. Each lands in an otherwise valid file, and each is returned with the exact
 * place (file, sheet, Excel row, column, value) so the ETL's rejects can be checked.
 */
import type { Rng } from './random.ts';
import type { District } from './model.ts';
import { excelRow, type Cell, type Table } from './table.ts';
import { monthCell, type TownshipStyle } from './file-styles.ts';
import { parseMonth } from './calendar.ts';
import { COUNTY, chineseNumber } from './names.ts';

export type MessyKind =
  'participants_gt_enrolled' | 'unknown_school' | 'service_gt_school_days' | 'bad_month';

export interface MessySpec {
  township: string;
  month: string;
  kind: MessyKind;
}

export interface InvalidRow {
  /** Path relative to the output directory, with forward slashes. */
  file: string;
  /** Worksheet name; for a CSV, the file name without extension (as Excel names its tab). */
  sheet: string;
  /** Row number as Excel shows it (for CSV: the line number). */
  row: number;
  column: string;
  value: string;
  reason: string;
  school_code: string;
  /** The school-month the row stands for (as the clerk meant it). */
  month: string;
}

/**
 * Which files get which invalid rows: the 城关镇 workbook of the 3rd month, the GBK CSV
 * township's 6th month, and a text-month township's 4th month (positions, so they exist
 * for any period; smaller districts reuse the townships they have).
 */
export function planMessy(model: District): MessySpec[] {
  const n = model.townships.length;
  const t = (i: number): string => model.townships[Math.min(i, n - 1)]?.name ?? '';
  const m = (i: number): string =>
    model.months[Math.min(i, model.months.length - 1)] ?? model.fromMonth;
  if (n === 0 || model.months.length === 0) return [];
  return [
    { township: t(0), month: m(2), kind: 'participants_gt_enrolled' },
    { township: t(0), month: m(2), kind: 'unknown_school' },
    { township: t(3), month: m(5), kind: 'service_gt_school_days' },
    { township: t(5), month: m(3), kind: 'bad_month' },
  ];
}

type Located = Omit<InvalidRow, 'file' | 'sheet'> & { table: Table };

function shownValue(c: Cell): string {
  return c === null ? '' : typeof c === 'object' ? JSON.stringify(c) : String(c);
}

/** Rows of schools that behave this month, so a reject never hides a planned flag. */
function cleanRows(
  table: Table,
  month: string,
  flagged: ReadonlySet<string>,
  numericCol: number,
): number[] {
  return table.rows.flatMap((row, i) => {
    const code = row[0];
    return typeof code === 'string' &&
      !flagged.has(`${code}|${month}`) &&
      typeof row[numericCol] === 'number'
      ? [i]
      : [];
  });
}

export function applyMessy(
  spec: MessySpec,
  monthly: Table,
  grades: Table,
  style: TownshipStyle,
  model: District,
  rng: Rng,
): Located | null {
  const flagged = new Set(model.ruleBreaks.map((b) => `${b.school_code}|${b.month}`));
  const col = (t: Table, h: string): number => t.header.indexOf(h);
  const pick = (t: Table, c: number): number | undefined => {
    const rows = cleanRows(t, spec.month, flagged, c);
    return rows[Math.floor(rows.length / 2)];
  };
  if (spec.kind === 'participants_gt_enrolled') {
    const ce = col(grades, '在校生数');
    const cp = col(grades, '参加人数');
    const i = cleanRows(grades, spec.month, flagged, ce).find(
      (r) =>
        (grades.rows[r]?.[ce] as number) >= 20 &&
        r > 0 &&
        grades.rows[r - 1]?.[0] === grades.rows[r]?.[0],
    );
    const row = i === undefined ? undefined : grades.rows[i];
    if (i === undefined || !row) return null;
    const enrolled = row[ce] as number;
    row[cp] = enrolled + rng.int(3, 12);
    return {
      table: grades,
      row: excelRow(grades, i),
      column: '参加人数',
      value: shownValue(row[cp] ?? null),
      reason: `参加人数 ${row[cp]} > 在校生数 ${enrolled} (participants exceed enrolled)`,
      school_code: String(row[0]),
      month: spec.month,
    };
  }
  if (spec.kind === 'service_gt_school_days' || spec.kind === 'bad_month') {
    const cs = col(monthly, '上学天数');
    const i = pick(monthly, cs);
    const row = i === undefined ? undefined : monthly.rows[i];
    if (i === undefined || !row) return null;
    if (spec.kind === 'service_gt_school_days') {
      const cd = col(monthly, '开展天数');
      row[cd] = (row[cs] as number) + 1;
      return {
        table: monthly,
        row: excelRow(monthly, i),
        column: '开展天数',
        value: shownValue(row[cd] ?? null),
        reason: `开展天数 ${row[cd]} > 上学天数 ${row[cs]} (service days exceed school days)`,
        school_code: String(row[0]),
        month: spec.month,
      };
    }
    const cm = col(monthly, '填报月份');
    const bad = monthCell(style.month, parseMonth(spec.month).year, 13);
    row[cm] = bad;
    return {
      table: monthly,
      row: excelRow(monthly, i),
      column: '填报月份',
      value: shownValue(bad),
      reason: `填报月份 ${shownValue(bad)} 不是有效月份 (month 13 does not exist)`,
      school_code: String(row[0]),
      month: spec.month,
    };
  }
  // unknown_school: a newly opened school reports before the registry lists it.
  const ti = pick(monthly, col(monthly, '上学天数'));
  const template = ti === undefined ? undefined : monthly.rows[ti];
  if (!template) return null;
  const known = new Set(model.schools.map((s) => s.school_code));
  let code: string;
  do code = `21410${String(rng.int(0, 99999)).padStart(5, '0')}`;
  while (known.has(code));
  const names = new Set(model.schools.map((s) => s.school_name));
  let k = 1;
  while (names.has(`${COUNTY}${spec.township}第${chineseNumber(k)}小学`)) k++;
  const row = template.slice();
  row[0] = code;
  row[1] = `${COUNTY}${spec.township}第${chineseNumber(k)}小学`;
  monthly.rows.push(row);
  return {
    table: monthly,
    row: excelRow(monthly, monthly.rows.length - 1),
    column: '学校标识码',
    value: code,
    reason: `学校标识码 ${code} 不在学校名录中 (school code not in the registry)`,
    school_code: code,
    month: spec.month,
  };
}
