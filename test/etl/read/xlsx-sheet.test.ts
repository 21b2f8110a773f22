/**
 * The streaming sheet reader on hand-made SpreadsheetML: merges that add rows, limits that
 * a merge or a sheet can run into, and the shapes writers other than Excel produce.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewXlsx, readXlsxSheets, xlsxRows, type XlsxSheet } from '../../../etl/read/xlsx.ts';
import { sheetRows, workbookParts, writeZip } from './zip-builder.ts';
import { failure } from './read-failure.ts';

let dir: string;
let n = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xlsx-sheet-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function book(
  sheets: Array<{ name: string; body: string | Iterable<Buffer> }>,
  sharedStrings?: string[],
): Promise<string> {
  const path = join(dir, `book${n++}.xlsx`);
  await writeZip(path, workbookParts(sheets, sharedStrings));
  return path;
}

const rowsOf = (s: XlsxSheet | undefined): [number, (string | null)[]][] =>
  (s?.rows ?? []).map((r) => [r.row, r.cells]);

const inline = (ref: string, text: string): string =>
  `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;

describe('merged ranges', () => {
  it('copies the master text down and across, adding rows that exist only through the merge', async () => {
    const path = await book([
      {
        name: 'S',
        body:
          '<sheetData>' +
          `<row r="2">${inline('A2', '学校')}<c r="B2"><v>1</v></c></row>` +
          `<row r="4"><c r="B4"><v>2</v></c><c r="C4"><v>3</v></c></row>` +
          `<row r="9">${inline('A9', '尾')}</row>` +
          '</sheetData><mergeCells count="2"><mergeCell ref="A2:A6"/><mergeCell ref="B4:C5"/></mergeCells>',
      },
    ]);
    expect(rowsOf((await readXlsxSheets(path))[0])).toEqual([
      [2, ['学校', '1']],
      [3, ['学校']],
      // the slave C4 shows its master B4, not its own value 3
      [4, ['学校', '2', '2']],
      [5, ['学校', '2', '2']],
      [6, ['学校']],
      [9, ['尾']],
    ]);
  });

  it('refuses a merge over the whole sheet by the cell limit instead of filling memory', async () => {
    const path = await book([
      {
        name: 'S',
        body: `<sheetData><row r="1">${inline('A1', '标题')}</row></sheetData><mergeCells><mergeCell ref="A1:XFD1048576"/></mergeCells>`,
      },
    ]);
    const error = await failure(readXlsxSheets(path));
    expect(error.limit).toBe('maxCells');
    expect(error.message).toMatch(/超过 20,000,000 个单元格的上限.*more than 20,000,000 cells/);
  });
});

describe('limits', () => {
  it('refuses more rows than the limit from the scan, before any row is parsed', async () => {
    const path = await book([
      { name: 'A', body: sheetRows(6) },
      { name: 'B', body: sheetRows(5) },
    ]);
    const error = await failure(previewXlsx(path, 60, { limits: { maxRows: 10 } }));
    expect([error.code, error.limit]).toEqual(['limit', 'maxRows']);
    expect(error.message).toBe(
      '工作簿过大：超过 10 行的上限，请拆分文件，或在Excel中另存为CSV后载入 / ' +
        'workbook too large: more than 10 rows; split the file, or save it as CSV in Excel and load that',
    );
    expect((await previewXlsx(path, 60, { limits: { maxRows: 11 } })).length).toBe(2);
  });

  it('refuses a sheet with text beyond the column limit, not one with blank styled cells there', async () => {
    const wide = await book([
      {
        name: '宽表',
        body: `<sheetData><row r="1">${inline('A1', 'x')}${inline('IW1', 'y')}</row></sheetData>`,
      },
    ]);
    const error = await failure(readXlsxSheets(wide));
    expect(error.message).toMatch(/工作表“宽表”过宽：超过 256 列的上限.*sheet "宽表" too wide/);
    const styled = await book([
      {
        name: 'S',
        body: `<sheetData><row r="1">${inline('A1', 'x')}<c r="XFD1" s="1"/></row></sheetData>`,
      },
    ]);
    expect(rowsOf((await readXlsxSheets(styled))[0])).toEqual([[1, ['x']]]);
  });

  it('bounds the shared strings table and the number of sheets', async () => {
    const strings = await book(
      [{ name: 'S', body: '<sheetData/>' }],
      Array.from({ length: 50 }, (_, i) => `文本${i}`),
    );
    expect(
      (await failure(previewXlsx(strings, 1, { limits: { maxSharedStrings: 49 } }))).limit,
    ).toBe('maxSharedStrings');
    expect(
      (await failure(previewXlsx(strings, 1, { limits: { maxSharedStringChars: 100 } }))).limit,
    ).toBe('maxSharedStringChars');
    const sheets = await book(
      Array.from({ length: 3 }, (_, i) => ({ name: `S${i}`, body: '<sheetData/>' })),
    );
    expect((await failure(previewXlsx(sheets, 1, { limits: { maxSheets: 2 } }))).limit).toBe(
      'maxSheets',
    );
  });

  it('gives each limit its environment variable', async () => {
    const path = await book([{ name: 'S', body: sheetRows(20) }]);
    process.env.KEHOU_XLSX_MAX_ROWS = '19';
    try {
      expect((await failure(previewXlsx(path, 1))).limit).toBe('maxRows');
    } finally {
      delete process.env.KEHOU_XLSX_MAX_ROWS;
    }
    expect((await previewXlsx(path, 1))[0]?.rows).toEqual([
      { sheet: 'S', row: 1, cells: ['1', '2'] },
    ]);
  });
});

describe('shapes of other writers', () => {
  it('reads prefixed SpreadsheetML, rows and cells without references, and inline rich text', async () => {
    const path = join(dir, 'prefixed.xlsx');
    const parts = workbookParts([{ name: 'S', body: '' }]);
    parts[3] = {
      name: 'xl/worksheets/sheet1.xml',
      data:
        '<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>' +
        '<x:row><x:c><x:v>1</x:v></x:c><x:c t="inlineStr"><x:is><x:r><x:t>清河</x:t></x:r><x:r><x:t xml:space="preserve"> 县</x:t></x:r><x:rPh><x:t>qinghe</x:t></x:rPh></x:is></x:c></x:row>' +
        '<x:row><x:c r="C2" t="b"><x:v>1</x:v></x:c></x:row>' +
        '</x:sheetData><x:mergeCells><x:mergeCell ref="C2:D2"/></x:mergeCells></x:worksheet>',
    };
    await writeZip(path, parts);
    expect(rowsOf((await readXlsxSheets(path))[0])).toEqual([
      [1, ['1', '清河 县']],
      [2, [null, null, 'TRUE', 'TRUE']],
    ]);
  });

  it('refuses rows out of order as a damaged file', async () => {
    const path = await book([
      {
        name: 'S',
        body: `<sheetData><row r="3">${inline('A3', 'a')}</row><row r="2">${inline('A2', 'b')}</row></sheetData>`,
      },
    ]);
    const error = await failure(readXlsxSheets(path));
    expect(error.message).toMatch(/行顺序错乱（第 2 行）.*rows out of order \(row 2\)/);
  });

  it('streams only the rows below the header, in batches', async () => {
    const path = await book([{ name: 'S', body: sheetRows(5_000, 3) }]);
    const batches: number[] = [];
    let first: number | undefined;
    for await (const batch of xlsxRows(path, [{ sheet: 0, afterRow: 2 }])) {
      first ??= batch.rows[0]?.row;
      batches.push(batch.rows.length);
    }
    expect(first).toBe(3);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(4_998);
    expect(batches.length).toBeGreaterThan(1);
  });
});
