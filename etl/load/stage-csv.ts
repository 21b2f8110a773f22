/**
 * Stages a UTF-8 CSV with DuckDB's own read_csv (set-based, both cores), every column as
 * text so school codes keep their leading zeros and bad values survive to be reported.
 * DuckDB drops blank lines, so Excel row numbers are rebuilt from the pre-scan: data
 * record k (rowid) sits after the blank records that precede it.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { lit } from '../normalize/sql-text.ts';
import { cellColumn } from './staged-source.ts';

/**
 * DuckDB could not read a line of the CSV (malformed quoting, a line over its 2 MB line
 * limit): a problem of the file, not of the warehouse. DuckDB's own message quotes the
 * line (up to 8,000 characters) and lists its reader settings with our temp path, so only
 * the line number and the reason are kept.
 */
export class CsvReadError extends Error {
  constructor(
    readonly line: number,
    reasonZh: string,
    reasonEn: string,
  ) {
    super(
      `CSV 文件第 ${line} 行无法读取，文件未导入：${reasonZh} / line ${line} of the CSV could not be read, nothing was loaded: ${reasonEn}`,
    );
    this.name = 'CsvReadError';
  }
}

const count = (digits: string): string => Number(digits).toLocaleString('en-US');

/** The CsvReadError of a read_csv failure, or null for any other error. */
export function csvReadError(error: unknown): CsvReadError | null {
  const message = error instanceof Error ? error.message : '';
  const line = /CSV Error on Line: (\d+)/u.exec(message);
  if (!line) return null;
  const reasons: string[] = [];
  for (const text of message.split('\n').slice(1)) {
    if (/^\s*(Possible Solution|file = )/u.test(text)) break;
    if (text.trim() !== '' && !text.startsWith('Original Line:')) reasons.push(text.trim());
  }
  const joined = reasons.join(' ') || 'malformed line';
  const reason = joined.length > 200 ? `${joined.slice(0, 200)}…` : joined;
  const tooLong = /Maximum line size of (\d+) bytes exceeded\. Actual Size:\s*(\d+) bytes/u.exec(
    reason,
  );
  const zh = tooLong
    ? `该行长 ${count(tooLong[2] ?? '0')} 字节，超过 ${count(tooLong[1] ?? '0')} 字节的上限`
    : `格式错误（如引号不成对）：${reason}`;
  return new CsvReadError(Number(line[1]), zh, reason);
}

export interface CsvStageInput {
  /** The temp table the CSV is read into. */
  table: string;
  path: string;
  width: number;
  delimiter: string;
  /** 0-based record index of the first data record. */
  firstDataRecord: number;
  /** 0-based indexes of blank records in the whole file. */
  blankRecordIndexes: readonly number[];
  quotedNewlines: boolean;
}

export interface CsvStageResult {
  /** SQL over the table for the Excel row number of a record. */
  rowSql: string;
  /** Keeps data records only (the title and header records are staged too). */
  filterSql: string;
  droppedBlankRows: number;
  /** Tables made besides `table` (the blank-record shifts), to drop with it. */
  extraTables: string[];
}

export async function stageCsv(
  conn: DuckDBConnection,
  input: CsvStageInput,
): Promise<CsvStageResult> {
  const columns = Array.from(
    { length: input.width },
    (_, i) => `'${cellColumn(i)}': 'VARCHAR'`,
  ).join(', ');
  const table = input.table;
  try {
    await conn.run(`CREATE OR REPLACE TEMP TABLE ${table} AS SELECT * FROM read_csv(${lit(input.path)},
      header = false, skip = 0, columns = {${columns}}, auto_detect = false,
      delim = ${lit(input.delimiter)}, quote = '"', escape = '"', new_line = '\\n',
      null_padding = true, strict_mode = false, parallel = ${input.quotedNewlines ? 'false' : 'true'})`);
  } catch (error) {
    throw csvReadError(error) ?? error;
  }

  // Uncommitted rows get transaction-local rowids (from 2^55), still in insertion order.
  const first = await conn.runAndReadAll(
    `SELECT coalesce(min(rowid), 0)::VARCHAR AS m FROM ${table}`,
  );
  const k = `(${table}.rowid - ${String(first.getRowObjectsJS()[0]?.m ?? '0')})`;
  // DuckDB's `skip` miscounts blank CRLF lines above the header, so the whole file is
  // staged and records up to the header are filtered out by their computed row number.
  const blanks = input.blankRecordIndexes;
  const dropped = blanks.filter((b) => b >= input.firstDataRecord).length;
  // Excel row = 0-based record index + 1; the j-th blank shifts every record k >= blank - j.
  let rowSql = `(${k} + 1)::INTEGER`;
  const extraTables: string[] = [];
  if (blanks.length > 0) {
    const shifts = blanks.map((b, j) => `(${b - j})`).join(', ');
    const blankTable = `${table}_blanks`;
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE ${blankTable} AS SELECT * FROM (VALUES ${shifts}) v(t)`,
    );
    extraTables.push(blankTable);
    rowSql = `(${k} + 1 + (SELECT count(*) FROM ${blankTable} b WHERE b.t <= ${k}))::INTEGER`;
  }
  return {
    rowSql,
    filterSql: `${rowSql} > ${input.firstDataRecord}`,
    droppedBlankRows: dropped,
    extraTables,
  };
}
