import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { generateDistrict } from '../../../etl/demo/generate-district.ts';
import { writeDistrictFiles, type WrittenFiles } from '../../../etl/demo/write-files.ts';
import {
  ASSIGNMENT_HEADERS,
  MONTHLY_HEADERS,
  REGISTRY_HEADERS,
  participationHeaders,
} from '../../../etl/demo/contract-headers.ts';
import type { District } from '../../../etl/demo/model.ts';

// 60 schools give 4 townships, so both CSV dialects (positions 1 and 3) are present.
const model: District = generateDistrict({
  seed: 99,
  schools: 60,
  fromMonth: '2024-09',
  toMonth: '2025-06',
});
let dir = '';
let written: WrittenFiles;

async function readBook(path: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  return wb;
}

function rowTexts(ws: ExcelJS.Worksheet, row: number): string[] {
  const r = ws.getRow(row);
  return Array.from({ length: r.cellCount }, (_, i) => String(r.getCell(i + 1).value ?? ''));
}

async function digest(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else
        out.set(
          relative(root, p),
          createHash('sha1')
            .update(await readFile(p))
            .digest('hex'),
        );
    }
  };
  await walk(root);
  return out;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kehou-demo-'));
  written = await writeDistrictFiles(model, dir);
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('writeDistrictFiles', () => {
  it('writes the expected layout', async () => {
    const rel = written.files.map((f) => relative(dir, f).split('\\').join('/'));
    expect(rel[0]).toBe('学校名录.xlsx');
    expect(rel[1]).toBe('责任督学挂牌.xlsx');
    // 4 townships: 2 send one workbook a month, 2 send two CSV files.
    const monthly = rel.filter((f) => f.startsWith('月报/'));
    expect(monthly).toHaveLength(model.months.length * (2 + 2 * 2));
    expect(monthly).toContain('月报/2024-09/城关镇_2024年9月课后服务月报.xlsx');
    expect(monthly).toContain('月报/2024-09/东城街道_2024年9月课后服务_月报.csv');
    expect(monthly).toContain('月报/2024-09/柳林镇_2024年9月课后服务_分年级.csv');
    const surveys = rel.filter((f) => f.startsWith('问卷/'));
    expect(surveys).toContain('问卷/2024秋季_城关镇满意度调查.xlsx');
    expect(surveys).toHaveLength(2 * 4);
    expect(new Set((await digest(dir)).keys()).size).toBe(rel.length);
  });

  it('writes the registry with a merged title and the contract headers as text codes', async () => {
    const ws = (await readBook(join(dir, '学校名录.xlsx'))).getWorksheet('学校名录');
    expect(ws).toBeDefined();
    if (!ws) return;
    expect(ws.getCell('A1').value).toBe('清河县义务教育学校名录（2024年9月）');
    expect(ws.getCell('A1').isMerged).toBe(true);
    expect(rowTexts(ws, 2)).toEqual([...REGISTRY_HEADERS]);
    const first = model.schools[0];
    expect(ws.getCell('A3').value).toBe(first?.school_code);
    expect(ws.getCell('A3').type).toBe(ExcelJS.ValueType.String);
    expect(ws.getCell('B3').value).toBe(first?.school_name);
    expect(ws.getCell(`H3`).value).toBe(first?.teachers_total);
  });

  it('writes assignments with 生效月份 for both versions', async () => {
    const ws = (await readBook(join(dir, '责任督学挂牌.xlsx'))).worksheets[0];
    expect(ws).toBeDefined();
    if (!ws) return;
    expect(rowTexts(ws, 2)).toEqual([...ASSIGNMENT_HEADERS]);
    const months = new Set<string>();
    ws.eachRow((row, n) => {
      if (n > 2 && /^DX\d+$/.test(String(row.getCell(1).value)))
        months.add(String(row.getCell(4).value));
    });
    expect([...months]).toEqual(['2024-09']);
  });

  it('writes monthly workbooks with 月报 and 分年级 sheets, a total row and a signature line', async () => {
    const wb = await readBook(join(dir, '月报/2024-10/城关镇_2024年10月课后服务月报.xlsx'));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['月报', '分年级']);
    const m = wb.getWorksheet('月报');
    const g = wb.getWorksheet('分年级');
    if (!m || !g) throw new Error('sheets missing');
    expect(m.getCell('A1').value).toBe('城关镇课后服务月报表（2024年10月）');
    // 城关镇 has a 填报单位 line between title and header.
    expect(rowTexts(m, 3)).toEqual([...MONTHLY_HEADERS]);
    expect(rowTexts(g, 3)).toEqual(participationHeaders(true));
    const mine = model.monthly.filter(
      (r) =>
        r.month === '2024-10' &&
        model.schools.find((s) => s.school_code === r.school_code)?.township === '城关镇',
    );
    expect(m.getCell('A4').value).toBe(mine[0]?.school_code);
    expect(m.getCell('C4').value).toBe('2024年10月');
    let total = 0;
    let signature = false;
    g.eachRow((row) => {
      if (row.getCell(1).value === '合计') total = Number(row.getCell(4).value);
      if (String(row.getCell(1).value).startsWith('填表人：')) signature = true;
    });
    const enrolled = model.participation
      .filter((p) => p.month === '2024-10' && mine.some((r) => r.school_code === p.school_code))
      .reduce((s, p) => s + p.enrolled, 0);
    expect(total).toBe(enrolled);
    expect(signature).toBe(true);
    // Codes are merged over a school's grade rows in this township.
    expect(g.getCell('A5').isMerged).toBe(true);
  });

  it('writes a GBK CSV whose school names decode to the model names', async () => {
    const raw = await readFile(join(dir, '月报/2024-10/柳林镇_2024年10月课后服务_月报.csv'));
    expect(raw.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
    const lines = iconv.decode(raw, 'gbk').split('\r\n');
    expect(lines[0]).toMatch(/^柳林镇课后服务月报表（2024年10月）,+$/);
    expect(lines[1]).toBe(MONTHLY_HEADERS.join(','));
    const names = lines
      .slice(2)
      .filter((l) => /^\d{10},/.test(l))
      .map((l) => l.split(',')[1]);
    const expected = model.monthly
      .filter(
        (r) =>
          r.month === '2024-10' &&
          model.schools.find((s) => s.school_code === r.school_code)?.township === '柳林镇',
      )
      .map((r) => r.school_name);
    expect(names).toEqual(expected);
    expect(lines.some((l) => l.startsWith('填表人：'))).toBe(true);
  });

  it('writes a UTF-8 CSV with BOM, full-width cells and thousands separators', async () => {
    const raw = await readFile(join(dir, '月报/2024-10/东城街道_2024年10月课后服务_分年级.csv'));
    expect(raw.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(true);
    const text = raw.subarray(3).toString('utf8');
    const lines = text.split('\r\n');
    expect(lines[0]).toBe(participationHeaders(true).join(','));
    expect(text).toMatch(/"\d{1,3},\d{3}"/);
    expect(text).toMatch(/[０-９]/);
    const monthlyText = (
      await readFile(join(dir, '月报/2024-10/东城街道_2024年10月课后服务_月报.csv'))
    ).toString('utf8');
    expect(monthlyText).toMatch(/\d{2}：\d{2}/);
  });

  it('writes questionnaire exports with question texts as headers and answer labels as cells', async () => {
    const ws = (await readBook(join(dir, '问卷/2024秋季_城关镇满意度调查.xlsx'))).worksheets[0];
    if (!ws) throw new Error('no sheet');
    const header = rowTexts(ws, 1);
    expect(header.slice(0, 8)).toEqual([
      '序号',
      '提交答卷时间',
      '所用时间',
      '来源',
      '来源详情',
      '来自IP',
      '学校',
      '身份',
    ]);
    expect(header).toContain('1.您对学校课后服务总体是否满意？');
    const second = rowTexts(ws, 2);
    expect(second[1]).toMatch(/^2024\/12\/\d{1,2} \d{2}:\d{2}:\d{2}$/);
    expect(second[2]).toMatch(/^\d+秒$/);
    expect(['家长', '学生', '教师']).toContain(second[7]);
    expect(['非常满意', '满意', '一般', '不满意', '非常不满意']).toContain(second[8]);
  });

  it('plants the invalid rows exactly where it says', async () => {
    const kinds = written.invalidRows.map((r) => r.column);
    expect(kinds.sort()).toEqual(['参加人数', '填报月份', '学校标识码', '开展天数']);
    for (const bad of written.invalidRows) {
      const path = join(dir, bad.file);
      if (bad.file.endsWith('.csv')) {
        const raw = await readFile(path);
        const text = raw[0] === 0xef ? raw.subarray(3).toString('utf8') : iconv.decode(raw, 'gbk');
        const lines = text.split('\r\n');
        const header = lines.find((l) => l.startsWith('学校标识码,'))?.split(',') ?? [];
        const cells = lines[bad.row - 1]?.split(',') ?? [];
        expect(cells[header.indexOf(bad.column)], bad.reason).toBe(bad.value);
      } else {
        const ws = (await readBook(path)).getWorksheet(bad.sheet);
        if (!ws) throw new Error(`no sheet ${bad.sheet}`);
        let col = 0;
        ws.eachRow((row) => {
          row.eachCell((cell, c) => {
            if (cell.value === bad.column) col = c;
          });
        });
        expect(String(ws.getCell(bad.row, col).value), bad.reason).toBe(bad.value);
      }
    }
    const unknown = written.invalidRows.find((r) => r.column === '学校标识码');
    expect(model.schools.some((s) => s.school_code === unknown?.value)).toBe(false);
  });

  it('produces byte-identical files on a second run', async () => {
    const again = await mkdtemp(join(tmpdir(), 'kehou-demo-'));
    try {
      await writeDistrictFiles(model, again);
      expect(await digest(again)).toEqual(await digest(dir));
    } finally {
      await rm(again, { recursive: true, force: true });
    }
  });
});
