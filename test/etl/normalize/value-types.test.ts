/**
 * The SQL value parsers, run through an in-memory DuckDB over a table of raw texts.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codeSql,
  decimalSql,
  gradeSql,
  intSql,
  monthSql,
  parseSql,
  timeSql,
  yesNoSql,
  type ValueType,
} from '../../../etl/normalize/value-types.ts';

let instance: DuckDBInstance;
let conn: DuckDBConnection;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
});
afterAll(() => {
  conn.closeSync();
  instance.closeSync();
});

/** Runs `build('raw')` over each input (NULL for null) and returns [input, output] pairs. */
async function run(
  build: (raw: string) => string,
  inputs: ReadonlyArray<string | null>,
): Promise<Array<[string | null, unknown]>> {
  const values = inputs
    .map((v, i) => `(${i}, ${v === null ? 'NULL' : `'${v.replaceAll("'", "''")}'`})`)
    .join(', ');
  await conn.run(`CREATE OR REPLACE TEMP TABLE raws AS SELECT * FROM (VALUES ${values}) t(i, raw)`);
  const reader = await conn.runAndReadAll(`SELECT raw, ${build('raw')} AS v FROM raws ORDER BY i`);
  return reader.getRowObjectsJS().map((r) => [r.raw as string | null, r.v]);
}

function table<T>(cases: ReadonlyArray<readonly [string | null, T]>): Array<[string | null, T]> {
  return cases.map(([a, b]) => [a, b]);
}

describe('intSql', () => {
  it('reads plain, full-width, padded and grouped whole numbers and nothing else', async () => {
    const cases = table<number | null>([
      ['12', 12],
      ['0', 0],
      ['-3', -3],
      ['１２', 12],
      [' 7 ', 7],
      ['1,234', 1234],
      ['1，234', 1234],
      ['12,345,678', 12345678],
      ['12.0', 12],
      ['12.6', null],
      ['1,23', null],
      ['abc', null],
      ['', null],
      ['   ', null],
      [null, null],
    ]);
    expect(
      await run(
        intSql,
        cases.map(([i]) => i),
      ),
    ).toEqual(cases);
  });
});

describe('decimalSql', () => {
  it('reads decimals with full-width digits, 。 as a point and separators', async () => {
    const cases = table<number | null>([
      ['3.5', 3.5],
      ['12', 12],
      ['１．５', 1.5],
      ['2。5', 2.5],
      ['.5', 0.5],
      ['1,234.5', 1234.5],
      ['1,5', null],
      ['3.5元', null],
      ['免费', null],
      ['', null],
    ]);
    expect(
      await run(
        (raw) => decimalSql(raw),
        cases.map(([i]) => i),
      ),
    ).toEqual(cases);
  });

  it('turns the zero words into 0', async () => {
    expect(await run((raw) => decimalSql(raw, ['免费', '无']), ['免费', '无', '有'])).toEqual([
      ['免费', 0],
      ['无', 0],
      ['有', null],
    ]);
  });
});

describe('monthSql', () => {
  it('reads every month form of the contract as YYYY-MM', async () => {
    const cases = table<string | null>([
      ['2024-09', '2024-09'],
      ['2024-9', '2024-09'],
      ['2024/9', '2024-09'],
      ['2024/09', '2024-09'],
      ['2024年9月', '2024-09'],
      ['2024年09月', '2024-09'],
      ['2024年9月份', '2024-09'],
      ['202409', '2024-09'],
      ['２０２４年１０月', '2024-10'],
      ['2024-09-01', '2024-09'],
      ['2024-12', '2024-12'],
    ]);
    expect(
      await run(
        monthSql,
        cases.map(([i]) => i),
      ),
    ).toEqual(cases);
  });

  it('gives NULL for months that do not exist or cannot be read', async () => {
    const bad = ['2024-13', '2024-00', '202413', '20249', '九月', '2024', '24-09', '', null];
    expect(await run(monthSql, bad)).toEqual(bad.map((b) => [b, null]));
  });
});

describe('gradeSql', () => {
  it('reads digits, 一年级…九年级, 初一…初三 and 七年级…九年级', async () => {
    const cases = table<number | null>([
      ['1', 1],
      ['9', 9],
      ['６', 6],
      ['一年级', 1],
      ['六年级', 6],
      ['初一', 7],
      ['初二', 8],
      ['初三', 9],
      ['七年级', 7],
      ['九年级', 9],
      ['3年级', 3],
    ]);
    expect(
      await run(
        gradeSql,
        cases.map(([i]) => i),
      ),
    ).toEqual(cases);
  });

  it('gives NULL for grades outside 1-9', async () => {
    const bad = ['0', '10', '十年级', '高一', '初四', '', null];
    expect(await run(gradeSql, bad)).toEqual(bad.map((b) => [b, null]));
  });
});

describe('timeSql', () => {
  it('reads clock times in the forms clerks type as HH:MM', async () => {
    const cases = table<string | null>([
      ['18:00', '18:00'],
      ['18：00', '18:00'],
      ['18.00', '18:00'],
      ['18:00:00', '18:00'],
      ['下午6:00', '18:00'],
      ['下午6点', '18:00'],
      ['6:00PM', '18:00'],
      ['8:05', '08:05'],
      ['17:30', '17:30'],
      ['１７：３０', '17:30'],
    ]);
    expect(
      await run(
        timeSql,
        cases.map(([i]) => i),
      ),
    ).toEqual(cases);
  });

  it('gives NULL for times that do not exist', async () => {
    const bad = ['25:00', '18:60', '24:00', 'abc', '', null];
    expect(await run(timeSql, bad)).toEqual(bad.map((b) => [b, null]));
  });
});

describe('yesNoSql', () => {
  it('reads 是/否 and their common variants', async () => {
    const cases = table<boolean | null>([
      ['是', true],
      ['否', false],
      [' 是 ', true],
      ['Y', true],
      ['no', false],
      ['√', true],
      ['×', false],
      ['不是', null],
      ['', null],
      [null, null],
    ]);
    expect(
      await run(
        yesNoSql,
        cases.map(([i]) => i),
      ),
    ).toEqual(cases);
  });
});

describe('codeSql', () => {
  it('keeps 10-digit codes with their leading zeros and rejects anything else', async () => {
    const cases = table<string | null>([
      ['3101010001', '3101010001'],
      ['0101010001', '0101010001'],
      [' 3101010001 ', '3101010001'],
      ['３１０１０１０００１', '3101010001'],
      ['310101000', null],
      ['31010100011', null],
      ['3101O10001', null],
      ['3.10101E+09', null],
      ['', null],
    ]);
    expect(
      await run(
        codeSql,
        cases.map(([i]) => i),
      ),
    ).toEqual(cases);
  });
});

describe('parseSql', () => {
  it('dispatches every value type to its parser', async () => {
    const cases: Array<[ValueType, string, unknown]> = [
      [{ kind: 'code10' }, '３１０１０１０００１', '3101010001'],
      [{ kind: 'text' }, '  城关第一小学 ', '城关第一小学'],
      [{ kind: 'text' }, '   ', null],
      [{ kind: 'int' }, '1,234', 1234],
      [{ kind: 'decimal', zeroWords: ['免费'] }, '免费', 0],
      [{ kind: 'month' }, '2024年9月', '2024-09'],
      [{ kind: 'grade' }, '初二', 8],
      [{ kind: 'time' }, '下午6:00', '18:00'],
      [{ kind: 'yesno' }, '否', false],
      [
        { kind: 'enum', values: { 小学: 'primary', 初中: 'junior', Primary: 'primary' } },
        '初中',
        'junior',
      ],
      [
        { kind: 'enum', values: { 小学: 'primary', 初中: 'junior', Primary: 'primary' } },
        'PRIMARY',
        'primary',
      ],
      [{ kind: 'enum', values: { 小学: 'primary', 初中: 'junior' } }, '高中', null],
      [{ kind: 'answer' }, '非常满意', 5],
      [{ kind: 'answer' }, '满意', 4],
      [{ kind: 'answer' }, '一般', 3],
      [{ kind: 'answer' }, '不满意', 2],
      [{ kind: 'answer' }, '非常不满意', 1],
      [{ kind: 'answer' }, '还行', null],
    ];
    for (const [type, input, expected] of cases) {
      const [[, got]] = (await run((raw) => parseSql(type, raw), [input])) as [
        [string | null, unknown],
      ];
      expect([type.kind, input, got]).toEqual([type.kind, input, expected]);
    }
  });

  it('reads questionnaire submission times', async () => {
    const [[, got]] = (await run(
      (raw) => `CAST(${parseSql({ kind: 'timestamp' }, raw)} AS VARCHAR)`,
      ['2024/12/10 19:23:05'],
    )) as [[string | null, unknown]];
    expect(got).toBe('2024-12-10 19:23:05');
  });
});
