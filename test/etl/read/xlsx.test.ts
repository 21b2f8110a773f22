import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  classifyNumberFormat,
  numberText,
  readXlsxSheets,
  type XlsxSheet,
} from '../../../etl/read/xlsx.ts';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../../fixtures/read/${name}`, import.meta.url));

const TITLE = 'XX区课后服务月报表（2024年9月）';

function sheet(sheets: XlsxSheet[], name: string): XlsxSheet {
  const s = sheets.find((x) => x.name === name);
  if (s === undefined) throw new Error(`no sheet ${name}`);
  return s;
}

function rowsOf(s: XlsxSheet): [number, (string | null)[]][] {
  return s.rows.map((r) => [r.row, r.cells]);
}

describe('readXlsxSheets: merged-title.xlsx (written by exceljs)', () => {
  let sheets: XlsxSheet[];
  beforeAll(async () => {
    sheets = await readXlsxSheets(fixture('merged-title.xlsx'));
  });

  it('lists every worksheet in workbook order and flags hidden and veryHidden ones', () => {
    expect(sheets.map((s) => [s.name, s.hidden])).toEqual([
      ['学校月报', false],
      ['分年级参与情况', false],
      ['填表说明', true],
      ['下拉选项', true],
      ['空表', false],
      ['仅标题', false],
      ['杂项', false],
    ]);
    for (const s of sheets) for (const r of s.rows) expect(r.sheet).toBe(s.name);
  });

  it('reads the monthly report with Excel row numbers and canonical texts', () => {
    expect(rowsOf(sheet(sheets, '学校月报'))).toEqual([
      [1, [TITLE, TITLE, TITLE, TITLE, TITLE, TITLE]], // A1:F1 merged
      // row 2 is empty and not emitted
      [
        3,
        [
          '学校标识码',
          '学校名称',
          '填报月份',
          '上学天数',
          '开展天数',
          '日均服务时长（分钟）',
          '最晚结束时间',
          '每日作业辅导课时',
          '收费标准（元/课时）',
        ],
      ],
      // code as text, date cell → YYYY-MM-DD, number stored as text, 0.1+0.2 → 0.3,
      // time cell → HH:MM, formula → cached result
      [
        4,
        [
          '3101010001',
          '清河县城关镇第一小学',
          '2024-09-01',
          '21',
          '20',
          '0.3',
          '18:00',
          '1234.5',
          '5',
        ],
      ],
      // rich text concatenated, text kept untrimmed, seconds shown, full-width kept,
      // falsy cached formula result 0 kept
      [
        5,
        [
          '3101010002',
          '河西乡中心小学',
          '2024-09-01',
          ' 19 ',
          '12',
          '2.3',
          '18:00:30',
          '１．５',
          '0',
        ],
      ],
      [6, ['合计', null, null, null, '32']],
      [8, ['注：本表由学校填报，区教育局汇总。']],
      [9, ['填表人：张三', null, null, '联系电话：0310-1234567']],
    ]);
  });

  it('propagates merged cells: horizontal titles and group headers, vertical codes', () => {
    expect(rowsOf(sheet(sheets, '分年级参与情况'))).toEqual([
      [1, Array(6).fill('分年级参与情况')],
      [2, ['学校标识码', '填报月份', '年级', '人数', '人数', '人数']],
      [3, ['学校标识码', '填报月份', '年级', '在校生数', '申请人数', '参加人数']],
      [4, ['3101010001', '2024年9月', '一年级', '120', '100', '98']],
      [5, ['3101010001', '2024年9月', '二年级', '115', '90', '90']],
      [6, ['3101010001', '2024年9月', '三年级', '118', '101', '99']],
    ]);
  });

  it('reads hidden, empty and title-only sheets', () => {
    expect(rowsOf(sheet(sheets, '填表说明'))).toEqual([[1, ['隐藏的说明']]]);
    expect(rowsOf(sheet(sheets, '下拉选项'))).toEqual([
      [1, ['是']],
      [2, ['否']],
    ]);
    expect(sheet(sheets, '空表').rows).toEqual([]);
    expect(rowsOf(sheet(sheets, '仅标题'))).toEqual([
      [1, Array(4).fill('XX区课后服务满意度调查（无数据）')],
    ]);
  });

  it('converts exotic cell types', () => {
    expect(rowsOf(sheet(sheets, '杂项'))).toEqual([
      // booleans, error cell, formula with cached error, hyperlink text;
      // a formula without cached result and an empty string are blank (trailing: trimmed)
      [1, ['TRUE', 'FALSE', '#N/A', '#DIV/0!', '教育局网站']],
      [
        2,
        [
          '12',
          '-0.000001',
          '123456789012346000000',
          '10000000000000000000000000',
          '3101010001',
          '0.333333333333333',
        ],
      ],
      // date-time, formula with a date result, formula with a string result,
      // serial with a date format, the same serial in General, out-of-range serials with a
      // date format (Excel shows #####)
      [
        3,
        ['2024-09-30 17:45:05', '2024-10-01', '文本结果', '2024-09-01', '45536', '10000000', '-1'],
      ],
      [5, ['row 4 is missing, row 5 exists']],
    ]);
  });

  it('does not depend on the local time zone', async () => {
    const saved = process.env.TZ;
    try {
      for (const tz of ['America/Los_Angeles', 'Asia/Shanghai', 'Pacific/Kiritimati']) {
        process.env.TZ = tz;
        expect(await readXlsxSheets(fixture('merged-title.xlsx'))).toEqual(sheets);
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe('readXlsxSheets: excel-quirks.xlsx (hand-written SpreadsheetML as Excel/WPS write it)', () => {
  let sheets: XlsxSheet[];
  beforeAll(async () => {
    sheets = await readXlsxSheets(fixture('excel-quirks.xlsx'));
  });

  it('uses tab order, not sheetId order, and flags veryHidden', () => {
    expect(sheets.map((s) => [s.name, s.hidden])).toEqual([
      ['数据', false],
      ['选项', true],
    ]);
  });

  it('reads every quirk', () => {
    expect(rowsOf(sheet(sheets, '数据'))).toEqual([
      // merge slaves absent from the XML still get the title
      [1, ['XX区课后服务月报表', 'XX区课后服务月报表', 'XX区课后服务月报表', 'XX区课后服务月报表']],
      // row 2: a styled empty cell and a bare <c/> → no row
      // zh-CN built-in date formats 57 / 31 / 32 without formatCode, h:mm, date-time,
      // AM/PM time format, time format on a serial >= 1
      [3, ['2024-09-01', '2024-09-01', '18:00', '18:00', '2024-09-01 18:00:00', '18:01', '18:00']],
      // shared formula master and slave (cached 0), empty string result, FALSE, error,
      // formula without value, TRUE
      [4, ['0.333333333333333', '0', null, 'FALSE', '#DIV/0!', null, 'TRUE']],
      // inline string untrimmed, rich shared string, _x000D_ decoded, float noise,
      // 1E-7 without exponent, a code typed as a number; empty shared string trimmed
      [
        5,
        [
          '  两侧空格 ',
          '清河县城关镇第一小学',
          '第一行\r\n第二行',
          '0.3',
          '0.0000001',
          '3101010001',
        ],
      ],
      [7, ['注：空白行不计']],
      // code merged over A8:A10 (rows 9 and 10 exist only through the merge)
      [8, ['3101010001', '2024-09-01']],
      [9, ['3101010001']],
      [10, ['3101010001']],
    ]);
    expect(rowsOf(sheet(sheets, '选项'))).toEqual([[1, ['秘密']]]);
  });

  it('reads the 1904 date system', async () => {
    const s = await readXlsxSheets(fixture('date1904.xlsx'));
    expect(s.map(rowsOf)).toEqual([[[1, ['2024-09-01', '18:00', '44074']]]]);
  });
});

describe('readXlsxSheets: files that are not readable workbooks', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xlsx-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const file = async (name: string, data: Buffer | string): Promise<string> => {
    const p = join(dir, name);
    await writeFile(p, data);
    return p;
  };
  const NOT_XLSX = /无法读取Excel文件（不是有效的\.xlsx） \/ not a readable \.xlsx workbook/;
  const OLE = Buffer.from('d0cf11e0a1b11ae1', 'hex');

  it('rejects a damaged .xls and asks to save as .xlsx', async () => {
    const p = await file('old.xls', Buffer.concat([OLE, Buffer.alloc(1024)]));
    const err = readXlsxSheets(p);
    await expect(err).rejects.toThrow(NOT_XLSX);
    await expect(readXlsxSheets(p)).rejects.toThrow(/另存为\.xlsx/);
    await expect(readXlsxSheets(p)).rejects.toThrow(/97-2003 \.xls工作簿，可能已损坏/);
  });

  it('recognises a password-protected workbook', async () => {
    const p = await file(
      'secret.xlsx',
      Buffer.concat([OLE, Buffer.alloc(1024), Buffer.from('EncryptedPackage', 'utf16le')]),
    );
    await expect(readXlsxSheets(p)).rejects.toThrow(/打开密码.*password-protected/);
  });

  it('rejects text, HTML, empty, truncated, corrupt and non-Excel zip files', async () => {
    const good = await readFile(fixture('merged-title.xlsx'));
    const corrupt = Buffer.from(good);
    corrupt.fill(0x41, 2000, 6000);
    const cases: [string, Buffer | string][] = [
      ['text.xlsx', '学校标识码,学校名称\n3101010001,河西乡中心小学\n'],
      ['page.xlsx', '<html><body><table><tr><td>1</td></tr></table></body></html>'],
      ['empty.xlsx', Buffer.alloc(0)],
      ['truncated.xlsx', good.subarray(0, 5000)],
      ['corrupt.xlsx', corrupt],
      ['docx.xlsx', await zipWithoutWorkbook()],
    ];
    for (const [name, data] of cases) {
      await expect(readXlsxSheets(await file(name, data)), name).rejects.toThrow(NOT_XLSX);
    }
    await expect(readXlsxSheets(await file('page2.xlsx', '<html></html>'))).rejects.toThrow(
      /网页或XML/,
    );
  });

  it('reads a workbook without worksheets as no sheets', async () => {
    const p = join(dir, 'nosheets.xlsx');
    await new ExcelJS.Workbook().xlsx.writeFile(p);
    expect(await readXlsxSheets(p)).toEqual([]);
  });

  /** A valid zip whose only entry is not a workbook (like a renamed .docx). */
  async function zipWithoutWorkbook(): Promise<Buffer> {
    // Reuse exceljs' own zip of an empty workbook and rename the workbook part in place
    // (same length), so the zip stays valid but exceljs finds no workbook.
    const p = join(dir, 'renamed-src.xlsx');
    await new ExcelJS.Workbook().xlsx.writeFile(p);
    const b = await readFile(p);
    const from = Buffer.from('xl/workbook.xml');
    const to = Buffer.from('xl/workbooc.xml');
    let i = b.indexOf(from);
    while (i >= 0) {
      to.copy(b, i);
      i = b.indexOf(from, i + 1);
    }
    return b;
  }
});

describe('numberText', () => {
  it('gives the shortest faithful text without float noise or exponent', () => {
    const cases: [number, string][] = [
      [0.1 + 0.2, '0.3'],
      [12, '12'],
      [1234.5, '1234.5'],
      [2.3, '2.3'],
      [-0, '0'],
      [0, '0'],
      [-17.25, '-17.25'],
      [1 / 3, '0.333333333333333'],
      [1e-7, '0.0000001'],
      [-1.5e-9, '-0.0000000015'],
      [3101010001, '3101010001'],
      [1.2345678901234567e20, '123456789012346000000'],
      [1e21, '1000000000000000000000'],
      [4.35 * 100, '435'],
      [1.005 * 1000, '1005'],
    ];
    for (const [n, s] of cases) expect(numberText(n), String(n)).toBe(s);
    expect(numberText(Number.NaN)).toBeNull();
    expect(numberText(Number.POSITIVE_INFINITY)).toBeNull();
  });
});

describe('classifyNumberFormat', () => {
  it('tells dates, times and plain numbers apart', () => {
    const cases: [string, string][] = [
      ['General', 'none'],
      ['@', 'none'],
      ['0.00', 'none'],
      ['#,##0"人"', 'none'],
      ['0.00E+00', 'none'],
      ['[Red]#,##0;[Blue]-#,##0', 'none'],
      ['_-* #,##0.00_-;-* #,##0.00_-;_-* "-"??_-;_-@_-', 'none'],
      ['yyyy"年"m"月"', 'date'],
      ['yyyy-mm-dd', 'date'],
      ['mmm-yy', 'date'],
      ['[$-804]yyyy"年"m"月"d"日";@', 'date'],
      ['m"月"d"日"', 'date'],
      ['h:mm', 'time'],
      ['hh:mm:ss', 'time'],
      ['mm:ss', 'time'],
      ['[h]:mm', 'time'],
      ['h"时"mm"分"', 'time'],
      ['上午/下午h"时"mm"分"', 'time'],
      ['[$-F400]h:mm:ss AM/PM', 'time'],
      ['m/d/yy h:mm', 'datetime'],
      ['yyyy/m/d h:mm:ss', 'datetime'],
    ];
    for (const [fmt, kind] of cases) expect(classifyNumberFormat(fmt), fmt).toBe(kind);
  });
});
