/**
 * The value types of the report contract and, for each, the SQL that turns the clerk's
 * text into a typed value (NULL when the text cannot be read). One implementation for
 * every source: readers only deliver text.
 */
import { compact, cleaned, lit } from './sql-text.ts';

export type ValueType =
  | { kind: 'code10' }
  | { kind: 'text' }
  | { kind: 'int'; min?: number; max?: number }
  | { kind: 'decimal'; min?: number; max?: number; zeroWords?: readonly string[] }
  | { kind: 'month' }
  | { kind: 'date' }
  | { kind: 'grade' }
  | { kind: 'time' }
  | { kind: 'yesno' }
  | { kind: 'enum'; values: Readonly<Record<string, string>> }
  | { kind: 'timestamp' }
  | { kind: 'answer' };

const INT = '-?[0-9]+';
const GROUPED_INT = '-?[0-9]{1,3}(,[0-9]{3})+';
const DEC = '-?[0-9]+(\\.[0-9]+)?|-?\\.[0-9]+';
const GROUPED_DEC = '-?[0-9]{1,3}(,[0-9]{3})+(\\.[0-9]+)?';

/*
 * Every parser has a fast path for the canonical text (a plain "12", "2024-09") checked
 * with casts and comparisons only; the regular-expression path for full-width digits,
 * separators and Chinese forms runs in ELSE, which DuckDB evaluates only for the rows
 * that need it. Each slow path computes its cleaned text once (in a lambda or a list
 * lookup) because DuckDB does not share repeated sub-expressions inside CASE.
 */

function numberText(raw: string): string {
  // Chinese keyboards produce '，' for thousands separators as often as ','.
  return compact(`replace(${raw}, '，', ',')`);
}

/** Applies `body` (an SQL lambda body over `v`) to the expression once. */
function once(expr: string, body: string): string {
  return `list_transform([${expr}], v -> ${body})[1]`;
}

export function intSql(raw: string): string {
  const slow = once(
    numberText(raw),
    `CASE WHEN regexp_full_match(v, '${INT}') THEN TRY_CAST(v AS INTEGER)
      WHEN regexp_full_match(v, '${GROUPED_INT}') THEN TRY_CAST(replace(v, ',', '') AS INTEGER)
      WHEN regexp_full_match(v, '${INT}\\.0+') THEN TRY_CAST(split_part(v, '.', 1) AS INTEGER) END`,
  );
  return `(CASE WHEN ${plainDigits(raw)} THEN CAST(${raw} AS INTEGER) ELSE ${slow} END)`;
}

/**
 * Plain ASCII digits and nothing else, by a cast round trip (TRY_CAST alone would round
 * "12.6" and accept "1e2"). Measured at 700,000 rows this is 6× faster than ltrim or
 * translate with a character set, and faster than a regular expression.
 */
export function plainDigits(raw: string, type: 'INTEGER' | 'BIGINT' = 'INTEGER'): string {
  return `(CAST(TRY_CAST(${raw} AS ${type}) AS VARCHAR) = ${raw})`;
}

export function decimalSql(raw: string, zeroWords: readonly string[] = []): string {
  const zero =
    zeroWords.length > 0 ? `WHEN v IN (${zeroWords.map(lit).join(', ')}) THEN 0::DOUBLE ` : '';
  const slow = once(
    numberText(raw),
    `CASE ${zero}WHEN regexp_full_match(v, '${DEC}') THEN TRY_CAST(v AS DOUBLE)
      WHEN regexp_full_match(v, '${GROUPED_DEC}') THEN TRY_CAST(replace(v, ',', '') AS DOUBLE) END`,
  );
  return `(CASE WHEN ${plainDigits(raw)} THEN CAST(${raw} AS DOUBLE) ELSE ${slow} END)`;
}

/** 2024-09, 2024-9, 2024/9, 2024.9, 2024年9月(份), 202409, and date cells 2024-09-01[ 00:00:00]. */
export function monthSql(raw: string): string {
  const forms = [
    '[0-9]{4}年[0-9]{1,2}月份?',
    '[0-9]{4}[-/.][0-9]{1,2}',
    '[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}([0-9]{1,2}:[0-9]{2}(:[0-9]{2})?)?',
    '[0-9]{6}',
  ];
  const matches = forms.map((f) => `regexp_full_match(v, '${f}')`).join(' OR ');
  const slow = once(
    compact(raw),
    `list_transform([TRY_CAST(regexp_extract(v, '^[0-9]{4}[^0-9]?([0-9]{1,2})', 1) AS INTEGER)], m ->
      CASE WHEN (${matches}) AND m BETWEEN 1 AND 12 THEN substr(v, 1, 4) || '-' || lpad(CAST(m AS VARCHAR), 2, '0') END)[1]`,
  );
  const fast = `length(${raw}) = 7 AND substr(${raw}, 5, 1) = '-' AND TRY_CAST(substr(${raw}, 1, 4) AS INTEGER) BETWEEN 1000 AND 9999
    AND substr(${raw}, 6, 2) IN ('01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12')`;
  return `(CASE WHEN ${fast} THEN ${raw} ELSE ${slow} END)`;
}

/** 2024-09-01, 2024/9/1, 2024年9月1日, 20240901 → DATE. */
export function dateSql(raw: string): string {
  return once(
    compact(raw),
    `list_transform([regexp_extract(v, '^([0-9]{4})[-/.年]?([0-9]{1,2})[-/.月]?([0-9]{1,2})日?([0-9]{1,2}:[0-9]{2}(:[0-9]{2})?)?$', ['y', 'm', 'd'])], p ->
      CASE WHEN p.y <> '' THEN TRY_CAST(make_date(TRY_CAST(p.y AS INTEGER), TRY_CAST(p.m AS INTEGER), TRY_CAST(p.d AS INTEGER)) AS DATE) END)[1]`,
  );
}

const CN_DIGITS = ['一', '二', '三', '四', '五', '六', '七', '八', '九'];

export const GRADE_WORDS: ReadonlyMap<string, number> = new Map(
  CN_DIGITS.flatMap((cn, i) => {
    const g = i + 1;
    const words = [String(g), cn, `${cn}年级`, `${g}年级`, `${cn}年`];
    if (g <= 6) words.push(`小学${cn}年级`, `小${cn}`);
    else words.push(`初${CN_DIGITS[g - 7]}`, `初中${CN_DIGITS[g - 7]}年级`, `初${g - 6}`);
    return words.map((w) => [w, g] as const);
  }),
);

/** Looks the cleaned text up in a word list once; NULL when absent. */
function lookup(expr: string, entries: ReadonlyArray<readonly [string, string]>): string {
  const words = entries.map(([w]) => lit(w)).join(', ');
  const values = entries.map(([, v]) => v).join(', ');
  return `[${values}][list_position([${words}], ${expr})]`;
}

export function gradeSql(raw: string): string {
  const slow = lookup(
    compact(raw),
    [...GRADE_WORDS].map(([w, g]) => [w, String(g)] as const),
  );
  return `(CASE WHEN ${raw} IN ('1', '2', '3', '4', '5', '6', '7', '8', '9') THEN CAST(${raw} AS INTEGER) ELSE ${slow} END)`;
}

/** 18:00, 18：00, 18.00, 18:00:00, 下午6:00, 下午6点, 6:00PM → 'HH:MM'. */
export function timeSql(raw: string): string {
  const re = `'^(上午|中午|下午|晚上|傍晚|AM|PM)?([0-9]{1,2})(?:[:.点时]([0-9]{1,2})?)?(?::[0-9]{2})?分?(AM|PM)?$'`;
  const slow = once(
    `regexp_extract(upper(${compact(raw)}), ${re}, ['pre', 'h', 'm', 'post'])`,
    `list_transform([{'h': TRY_CAST(v.h AS INTEGER) + CASE WHEN (v.pre IN ('下午', '晚上', '傍晚', 'PM') OR v.post = 'PM') AND TRY_CAST(v.h AS INTEGER) < 12 THEN 12 ELSE 0 END,
        'm': coalesce(TRY_CAST(nullif(v.m, '') AS INTEGER), 0)}], t ->
      CASE WHEN v.h <> '' AND t.h BETWEEN 0 AND 23 AND t.m BETWEEN 0 AND 59
        THEN lpad(CAST(t.h AS VARCHAR), 2, '0') || ':' || lpad(CAST(t.m AS VARCHAR), 2, '0') END)[1]`,
  );
  const fast = `length(${raw}) = 5 AND substr(${raw}, 3, 1) = ':' AND TRY_CAST(substr(${raw}, 1, 2) AS INTEGER) BETWEEN 0 AND 23
    AND TRY_CAST(substr(${raw}, 4, 2) AS INTEGER) BETWEEN 0 AND 59 AND regexp_full_match(${raw}, '[0-9]{2}:[0-9]{2}')`;
  return `(CASE WHEN ${fast} THEN ${raw} ELSE ${slow} END)`;
}

const YES = ['是', 'Y', 'YES', 'TRUE', '1', '有', '√'];
const NO = ['否', 'N', 'NO', 'FALSE', '0', '无', '×', 'X'];

export function yesNoSql(raw: string): string {
  const slow = once(
    `upper(${compact(raw)})`,
    `CASE WHEN v IN (${YES.map(lit).join(', ')}) THEN TRUE WHEN v IN (${NO.map(lit).join(', ')}) THEN FALSE END`,
  );
  return `(CASE WHEN ${raw} = '是' THEN TRUE WHEN ${raw} = '否' THEN FALSE ELSE ${slow} END)`;
}

export function enumSql(raw: string, values: Readonly<Record<string, string>>): string {
  const entries = Object.entries(values).map(
    ([text, key]) => [text.toLowerCase(), lit(key)] as const,
  );
  return lookup(`lower(${compact(raw)})`, entries);
}

export function codeSql(raw: string): string {
  const slow = once(compact(raw), `CASE WHEN regexp_full_match(v, '[0-9]{10}') THEN v END`);
  return `(CASE WHEN length(${raw}) = 10 AND ${plainDigits(raw, 'BIGINT')} THEN ${raw} ELSE ${slow} END)`;
}

const TIMESTAMP_FORMATS = [
  '%Y/%m/%d %H:%M:%S',
  '%Y-%m-%d %H:%M:%S',
  '%Y/%m/%d %H:%M',
  '%Y-%m-%d %H:%M',
  '%Y/%m/%d',
  '%Y-%m-%d',
];

/** Questionnaire submission times such as 2024/12/10 19:23:05 (local time, Asia/Shanghai). */
export function timestampSql(raw: string): string {
  return `try_strptime(${cleaned(raw)}, [${TIMESTAMP_FORMATS.map(lit).join(', ')}])`;
}

export const ANSWER_LABELS: ReadonlyArray<readonly [string, number]> = [
  ['非常满意', 5],
  ['满意', 4],
  ['一般', 3],
  ['基本满意', 3],
  ['不满意', 2],
  ['非常不满意', 1],
];

/** Five-level satisfaction answers → 5..1. */
export function answerSql(raw: string): string {
  const whens = ANSWER_LABELS.map(([label, score]) => `WHEN ${lit(label)} THEN ${score}`).join(' ');
  return `(CASE ${compact(raw)} ${whens} END)`;
}

/** SQL turning the raw text column into the typed value (NULL when unreadable). */
export function parseSql(type: ValueType, raw: string): string {
  switch (type.kind) {
    case 'code10':
      return codeSql(raw);
    case 'text':
      return cleanedText(raw);
    case 'int':
      return intSql(raw);
    case 'decimal':
      return decimalSql(raw, type.zeroWords);
    case 'month':
      return monthSql(raw);
    case 'date':
      return dateSql(raw);
    case 'grade':
      return gradeSql(raw);
    case 'time':
      return timeSql(raw);
    case 'yesno':
      return yesNoSql(raw);
    case 'enum':
      return enumSql(raw, type.values);
    case 'timestamp':
      return timestampSql(raw);
    case 'answer':
      return answerSql(raw);
    default:
      return unreachable(type);
  }
}

/** Text cells keep their characters; only surrounding blanks go. */
export function cleanedText(raw: string): string {
  return `nullif(trim(${raw}), '')`;
}

export function unreachable(value: never): never {
  throw new Error(`unreachable case: ${JSON.stringify(value)}`);
}
