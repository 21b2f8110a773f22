import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import {
  buildEvaluationSheet,
  columnLetter,
  districtName,
  evaluationSheetXlsx,
  remarkOf,
  type EvaluationSheetInput,
  type SheetSchool,
} from '../../../web/src/export/evaluation-sheet.ts';

const indicator = (
  key: string,
  name: string,
  points: number,
  maxPoints: number,
  missing = false,
) => ({
  key,
  name,
  points,
  maxPoints,
  insufficientData: missing,
});

const FIRST: SheetSchool = {
  rank: 1,
  schoolCode: '1000000001',
  schoolName: '东城第一小学',
  township: '东城镇',
  peerGroup: '小学·城区',
  score: 91.25,
  gradeLabel: '优秀',
  vetoed: false,
  vetoReason: null,
  incomplete: false,
  excellentCapped: false,
  indicators: [
    indicator('participation', '学生参与率', 18.5, 20),
    indicator('satisfaction', '家长满意度', 14, 15),
  ],
  deductions: [],
};
const SECOND: SheetSchool = {
  rank: 2,
  schoolCode: '1000000003',
  schoolName: '西山中学',
  township: '西山乡',
  peerGroup: '初中·乡村',
  score: 40,
  gradeLabel: '不合格',
  vetoed: true,
  vetoReason: '严重安全事故',
  incomplete: true,
  excellentCapped: false,
  indicators: [
    indicator('participation', '学生参与率', 12, 20),
    indicator('satisfaction', '家长满意度', 0, 15, true),
  ],
  deductions: [{ name: '违规收费', points: 3 }],
};
const INPUT: EvaluationSheetInput = {
  district: '清河县',
  periodLabel: '2024-2025学年',
  scopeText: '全区（2所学校）；2024-2025学年',
  schemeName: '课后服务年度考核方案',
  schemeVersion: '2024.1',
  publicationText: '已发布 第1版（督导科王老师，2025/09/01 10:00）',
  exportedAt: '2025/09/02 09:30',
  schools: [FIRST, SECOND],
};

describe('buildEvaluationSheet', () => {
  const layout = buildEvaluationSheet(INPUT);
  // 5 lead + 2 indicators + 4 tail columns.
  const COLUMNS = 11;

  it('opens with the title, scope, scheme, publication and export time over the full width', () => {
    expect(layout.rows.slice(0, 5).map((r) => r[0])).toEqual([
      '清河县课后服务年度考核结果表（2024-2025学年）',
      '统计范围：全区（2所学校）；2024-2025学年',
      '考核方案：课后服务年度考核方案（2024.1）',
      '发布状态：已发布 第1版（督导科王老师，2025/09/01 10:00）',
      '导出时间：2025/09/02 09:30（北京时间）',
    ]);
    expect(layout.merges.slice(0, 5)).toEqual(['A1:K1', 'A2:K2', 'A3:K3', 'A4:K4', 'A5:K5']);
    expect(layout.rows.every((r) => r.length === COLUMNS)).toBe(true);
  });

  it('has two header rows: the indicators with their maximum under 指标得分', () => {
    const [top, bottom] = layout.headerRows;
    expect([top, bottom]).toEqual([6, 7]);
    expect(layout.rows[top - 1]).toEqual([
      '排名',
      '学校名称',
      '学校标识码',
      '乡镇（街道）',
      '同类学校组',
      '指标得分',
      null,
      '扣分',
      '总分',
      '等级',
      '备注',
    ]);
    expect(layout.rows[bottom - 1]?.slice(5, 7)).toEqual([
      '学生参与率（20分）',
      '家长满意度（15分）',
    ]);
    expect(layout.merges).toContain('F6:G6');
    expect(layout.merges).toContain('A6:A7');
    expect(layout.merges).toContain('K6:K7');
  });

  it('writes one row per school in rank order with every point, total, grade and remark', () => {
    expect(layout.firstSchoolRow).toBe(8);
    expect(layout.lastSchoolRow).toBe(9);
    expect(layout.rows[7]).toEqual([
      1,
      '东城第一小学',
      '1000000001',
      '东城镇',
      '小学·城区',
      18.5,
      14,
      0,
      91.3,
      '优秀',
      '',
    ]);
    expect(layout.rows[8]).toEqual([
      2,
      '西山中学',
      '1000000003',
      '西山乡',
      '初中·乡村',
      12,
      '数据不足',
      3,
      40,
      '不合格',
      '一票否决：严重安全事故；数据不足：家长满意度（不计分，按已测指标折算）；扣分：违规收费 3分',
    ]);
  });

  it('ends with a signature and date footer', () => {
    expect(layout.footerRows).toEqual([11, 12]);
    expect(layout.rows[10]?.[0]).toMatch(/^填表人：.*审核人：.*单位（盖章）：/u);
    expect(layout.rows[11]?.[0]).toBe('日期：______年____月____日');
    expect(layout.pointColumns).toEqual([6, 7, 8, 9]);
  });
});

describe('evaluationSheetXlsx', () => {
  it('writes a file Excel reads back with the same cells, merges and formats', async () => {
    const buffer = await evaluationSheetXlsx(buildEvaluationSheet(INPUT));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(buffer);
    const sheet = book.getWorksheet('考核结果表')!;
    expect(sheet.getCell('A1').value).toBe('清河县课后服务年度考核结果表（2024-2025学年）');
    expect(sheet.getCell('A1').isMerged && sheet.getCell('K1').master.address).toBe('A1');
    expect(sheet.getCell('F6').value).toBe('指标得分');
    expect(sheet.getCell('G7').value).toBe('家长满意度（15分）');
    expect(sheet.getCell('B8').value).toBe('东城第一小学');
    expect(sheet.getCell('I8').value).toBe(91.3);
    expect(sheet.getCell('I8').numFmt).toBe('0.0');
    expect(sheet.getCell('G9').value).toBe('数据不足');
    expect(sheet.pageSetup.paperSize).toBe(9);
  });
});

describe('helpers', () => {
  it('names columns past Z', () => {
    expect([1, 26, 27, 52, 53].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AZ', 'BA']);
  });
  it('takes the district name without the policy file note', () => {
    expect(districtName('测试区县 (national defaults, 愿留尽留 relaxed to 95%)')).toBe('测试区县');
    expect(districtName('清河县')).toBe('清河县');
  });
  it('words the 优秀 cap', () => {
    expect(remarkOf({ ...FIRST, excellentCapped: true })).toBe('受优秀等次比例限制，评为良好');
  });
});
