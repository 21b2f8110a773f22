/**
 * Builds the set-based SQL of a load from a kind's spec and the staged layout:
 *   stg_layout one row per sheet: where its columns are (the group's files differ)
 *   stg       one row per staged row: raw_<key> text, v_<key> typed value, skip class, unit
 *   stg_err   one row per invalid value (column checks, row rules, duplicates)
 *   stg_units one row per unit with its row count and whether it is rejected
 */
import { blank, lit } from '../normalize/sql-text.ts';
import { parseSql, type ValueType } from '../normalize/value-types.ts';
import type { ColumnSpec, KindSpec } from '../reports/report-kind.ts';
import type { ReasonCode } from '../reports/reasons.ts';
import { firstCellSql, skipSql } from './skip-rows.ts';
import { cellColumn, type StagedSource } from './staged-source.ts';

export interface StageOptions {
  /** SQL literal used for an optional column that a file lacks (default NULL). */
  defaults?: Readonly<Record<string, string>>;
}

/** The layout column holding each sheet's position of `key` (NULL where the sheet lacks it). */
const posColumn = (key: string) => `pos_${key}`;

/** Keys whose position differs between the group's sheets: read through stg_layout. */
function variableKeys(source: StagedSource, keys: readonly string[]): string[] {
  return keys.filter((key) => {
    const first = source.sheets[0]?.columns.get(key);
    return source.sheets.some((s) => s.columns.get(key) !== first);
  });
}

/**
 * stg_layout: one row per sheet with the position of every variable key and the header
 * text of the signature column. A group's files use a few layouts: a CASE on a small
 * integer per key is cheap, where a CASE over sheet numbers cost microseconds per cell.
 */
function layoutSql(source: StagedSource, keys: readonly string[], sigKey: string): string {
  const sig = (s: StagedSource['sheets'][number]) => {
    const p = s.columns.get(sigKey);
    const text = p === undefined ? undefined : s.headerTexts[p];
    return text ? lit(text.trim()) : 'NULL';
  };
  const rows = source.sheets.map(
    (s) =>
      `(${[s.sheetNo, ...keys.map((k) => String(s.columns.get(k) ?? 'NULL')), sig(s)].join(', ')})`,
  );
  const names = ['sheet_no', ...keys.map(posColumn), 'sig_header'];
  const types = ['INTEGER', ...keys.map(() => 'INTEGER'), 'VARCHAR'];
  const casts = names.map((n, i) => `${n}::${types[i]} AS ${n}`).join(', ');
  const values = rows.length > 0 ? rows.join(', ') : `(${names.map(() => 'NULL').join(', ')})`;
  return `CREATE OR REPLACE TEMP TABLE stg_layout AS SELECT ${casts} FROM (VALUES ${values}) v(${names.join(', ')})${rows.length > 0 ? '' : ' WHERE FALSE'}`;
}

/** The cell of `key` on each row: a plain column when every sheet has it in one place. */
function rawSql(source: StagedSource, key: string, fallback: string, variable: boolean): string {
  const cell = (p: number | undefined) => (p === undefined ? fallback : cellColumn(p));
  if (!variable) return cell(source.sheets[0]?.columns.get(key));
  const positions = [...new Set(source.sheets.map((s) => s.columns.get(key)))].filter(
    (p) => p !== undefined,
  );
  const whens = positions.map((p) => `WHEN ${p} THEN ${cellColumn(p)}`).join(' ');
  return `(CASE ${posColumn(key)} ${whens} ELSE ${fallback} END)`;
}

function badCode(type: ValueType): ReasonCode {
  switch (type.kind) {
    case 'code10':
      return 'BAD_CODE';
    case 'int':
      return 'BAD_INT';
    case 'decimal':
      return 'BAD_NUMBER';
    case 'month':
      return 'BAD_MONTH';
    case 'date':
      return 'BAD_DATE';
    case 'grade':
      return 'BAD_GRADE';
    case 'time':
      return 'BAD_TIME';
    case 'yesno':
      return 'BAD_YESNO';
    case 'enum':
      return 'BAD_ENUM';
    case 'timestamp':
      return 'BAD_DATE';
    case 'answer':
      return 'BAD_ANSWER';
    case 'text':
      return 'REQUIRED';
  }
}

function err(col: string, code: ReasonCode, p1 = 'NULL', p2 = 'NULL'): string {
  return `struct_pack(col := ${lit(col)}, code := ${lit(code)}, p1 := CAST(${p1} AS VARCHAR), p2 := CAST(${p2} AS VARCHAR))`;
}

function enumList(type: ValueType): string {
  if (type.kind !== 'enum') return 'NULL';
  const chinese = Object.keys(type.values).filter((k) => /[^\p{ASCII}]/u.test(k));
  return lit(chinese.join('、'));
}

/**
 * [condition, reject] pairs every value of a column gets: required, readable, in range.
 * `present` is SQL true on rows of sheets that have the column (an optional column a
 * sheet lacks is not "blank").
 */
function columnChecks(column: ColumnSpec, present: string): Array<readonly [string, string]> {
  if (present === 'FALSE') return [];
  const raw = `raw_${column.key}`;
  const v = `v_${column.key}`;
  const checks: Array<readonly [string, string]> = [];
  const inSheet = present === 'TRUE' ? '' : ` AND ${present}`;
  // `v IS NULL` first: DuckDB evaluates the rest of a conjunction only where it holds.
  if (!column.blankAllowed)
    checks.push([`(${v} IS NULL AND ${blank(raw)}${inSheet})`, err(column.key, 'REQUIRED')]);
  if (column.type.kind !== 'text') {
    checks.push([
      `(${v} IS NULL AND NOT ${blank(raw)})`,
      err(column.key, badCode(column.type), enumList(column.type)),
    ]);
  }
  if (
    (column.type.kind === 'int' || column.type.kind === 'decimal') &&
    column.type.min !== undefined
  ) {
    checks.push([
      `${v} < ${column.type.min}`,
      err(column.key, 'BELOW_MIN', lit(String(column.type.min))),
    ]);
  }
  if (
    (column.type.kind === 'int' || column.type.kind === 'decimal') &&
    column.type.max !== undefined
  ) {
    checks.push([
      `${v} > ${column.type.max}`,
      err(column.key, 'ABOVE_MAX', lit(String(column.type.max))),
    ]);
  }
  return checks;
}

function caseOf(checks: ReadonlyArray<readonly [string, string]>): string {
  return `CASE ${checks.map(([when, then]) => `WHEN ${when} THEN ${then}`).join(' ')} END`;
}

/** stg_units from stg and stg_err: a unit with any rejected row is rejected whole. */
export const STG_UNITS_SQL = `CREATE OR REPLACE TEMP TABLE stg_units AS
    SELECT s.file_no, s.unit, count(*)::INTEGER AS n, count(e.r) > 0 AS rejected
    FROM stg s LEFT JOIN (SELECT DISTINCT sheet_no, r FROM stg_err) e ON e.sheet_no = s.sheet_no AND e.r = s.r
    WHERE s.skip IS NULL GROUP BY s.file_no, s.unit`;

export interface StageSql {
  statements: string[];
  /** SELECT of sheet_no, r and every key's raw text (raw_<key>) from stg_raw, for reject values. */
  rawValuesSql: string;
}

export function buildStageSql(
  spec: KindSpec,
  source: StagedSource,
  options: StageOptions = {},
): StageSql {
  const first = firstCellSql(source.width);
  const columns = spec.columns;
  const sigKey = spec.signature[0]!;
  const variable = variableKeys(source, [...new Set([...columns.map((c) => c.key), sigKey])]);
  const isVariable = new Set(variable);
  const raws = columns.map(
    (c) =>
      `${rawSql(source, c.key, options.defaults?.[c.key] ?? 'NULL::VARCHAR', isVariable.has(c.key))} AS raw_${c.key}`,
  );
  // A repeated header row: the signature column holds the sheet's own header text.
  const sigSql = rawSql(source, sigKey, 'NULL::VARCHAR', isVariable.has(sigKey));
  const headerCheck = source.sheets.some((s) => s.columns.has(sigKey))
    ? `(trim(${sigSql}) = sig_header)`
    : '';
  const parsed = columns.map((c) => `${parseSql(c.type, `raw_${c.key}`)} AS v_${c.key}`);
  const unitParts = spec.unitKeys.map((k) => `v_${k}`);
  // Units are per file: two files of a group may hold the same school-month.
  const unit =
    unitParts.length === 0
      ? `'file:' || file_no`
      : `CASE WHEN ${unitParts.map((p) => `${p} IS NOT NULL`).join(' AND ')}
    THEN concat_ws('|', file_no, ${unitParts.map((p) => `CAST(${p} AS VARCHAR)`).join(', ')})
    ELSE 'row:' || sheet_no || ':' || r END`;
  const join = spec.lookupJoin ?? 'LEFT JOIN schools s ON s.school_code = p.v_school_code';
  const lookupJoin = spec.lookups
    ? `SELECT p.*, ${spec.lookups} FROM parsed p ${join}`
    : 'SELECT * FROM parsed';

  const presence = (key: string): string => {
    if (options.defaults?.[key] !== undefined) return 'TRUE';
    const with_ = source.sheets.filter((s) => s.columns.has(key)).map((s) => s.sheetNo);
    if (with_.length === source.sheets.length) return 'TRUE';
    return with_.length === 0 ? 'FALSE' : `${posColumn(key)} IS NOT NULL`;
  };
  const perColumn = columns
    .map((c) => columnChecks(c, presence(c.key)))
    .filter((c) => c.length > 0);
  const ruleChecks = spec.rules.map((rule) => [
    [`(${rule.when})`, err(rule.column, rule.code, rule.p1, rule.p2)] as const,
  ]);
  const groups = [...perColumn, ...ruleChecks];
  // Most rows are valid: a cheap boolean test first, reject structs only for bad rows.
  const anyBad = groups.flatMap((g) => g.map(([when]) => when)).join(' OR ') || 'FALSE';
  const errs = `CASE WHEN skip IS NULL AND (${anyBad}) THEN list_filter([${groups.map(caseOf).join(',\n        ')}], x -> x IS NOT NULL) END`;
  const rawNames = [...columns.map((c) => `raw_${c.key}`), ...variable.map(posColumn)].join(', ');

  // Raw texts are not kept in stg (half its width): rejects fetch them back by sheet and row.
  const stg = `CREATE OR REPLACE TEMP TABLE stg AS
    WITH src AS (
      SELECT file_no, sheet_no, r, ${variable.map((k) => `${posColumn(k)}, `).join('')}
        ${skipSql(source.width, first, headerCheck || 'FALSE')} AS skip,
        ${raws.join(',\n        ')}
      FROM stg_raw JOIN stg_layout USING (sheet_no)),
    parsed AS (SELECT *, ${parsed.join(',\n        ')} FROM src),
    joined AS (${lookupJoin})
    SELECT * EXCLUDE (${rawNames}), ${unit} AS unit, ${errs} AS errs FROM joined`;

  const rowKeys = spec.rowKeys.map((k) => `v_${k}`);
  const dupColumn = spec.rowKeys[spec.rowKeys.length - 1] ?? '';
  const duplicates =
    rowKeys.length === 0
      ? ''
      : `
    UNION ALL
    SELECT d.sheet_no, d.r, ${lit(dupColumn)}, 'DUPLICATE', coalesce(ss.name, ''), CAST(d.first_r AS VARCHAR) FROM (
      SELECT sheet_no, r, first_value(sheet_no) OVER w AS first_sheet_no, first_value(r) OVER w AS first_r
      FROM stg WHERE skip IS NULL AND ${rowKeys.map((k) => `${k} IS NOT NULL`).join(' AND ')}
      WINDOW w AS (PARTITION BY file_no, ${rowKeys.join(', ')} ORDER BY sheet_no, r)) d
    LEFT JOIN stg_sheets ss ON ss.sheet_no = d.first_sheet_no
    WHERE (d.sheet_no, d.r) <> (d.first_sheet_no, d.first_r)`;
  const errors = `CREATE OR REPLACE TEMP TABLE stg_err AS
    SELECT sheet_no, r, e.col AS col, e.code AS code, e.p1 AS p1, e.p2 AS p2 FROM (
      SELECT sheet_no, r, unnest(errs) AS e FROM stg WHERE errs IS NOT NULL)${duplicates}`;

  const rawValuesSql = `SELECT sheet_no, r, ${raws.join(', ')} FROM stg_raw JOIN stg_layout USING (sheet_no)`;
  const layout = layoutSql(source, variable, sigKey);
  return { statements: [layout, stg, errors, STG_UNITS_SQL], rawValuesSql };
}
