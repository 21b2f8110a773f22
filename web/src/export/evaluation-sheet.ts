/**
 * The 考核结果表 a bureau files: the evaluation of a period laid out as a formal sheet, not
 * a data dump. Title row "XX县课后服务年度考核结果表（2024-2025学年）", the scope, the scheme
 * version and the publication state, two header rows (the indicators under 指标得分, each
 * with its maximum), one row per school in rank order with every indicator's points, the
 * deductions, total, grade, rank and a 备注 (一票否决 reason, 数据不足, the 优秀 cap), then a
 * signature and date footer. Built here as plain cells (tested), written by exceljs.
 */

export type SheetCell = string | number | null;

export interface SheetIndicator {
  key: string;
  name: string;
  points: number;
  maxPoints: number;
  insufficientData: boolean;
}

export interface SheetSchool {
  rank: number;
  schoolCode: string;
  schoolName: string;
  township: string;
  peerGroup: string;
  score: number;
  gradeLabel: string;
  vetoed: boolean;
  vetoReason: string | null;
  incomplete: boolean;
  excellentCapped: boolean;
  indicators: readonly SheetIndicator[];
  deductions: readonly { name: string; points: number }[];
}

export interface EvaluationSheetInput {
  /** The district as its policy names it, e.g. 清河县. */
  district: string;
  /** e.g. 2024-2025学年. */
  periodLabel: string;
  /** The server's scope line without its prefix, e.g. 全区 · 东城镇（2所学校）. */
  scopeText: string;
  schemeName: string;
  schemeVersion: string;
  /** e.g. 已发布 第1版（督导科王老师，2025/09/01 10:00） or 未发布（实时计算）. */
  publicationText: string;
  /** e.g. 2025/09/01 10:00. */
  exportedAt: string;
  schools: readonly SheetSchool[];
}

export interface SheetLayout {
  /** Sheet name (≤ 31 characters). */
  name: string;
  rows: SheetCell[][];
  /** Excel ranges to merge, e.g. "A1:L1". */
  merges: string[];
  /** Column widths in characters. */
  widths: number[];
  /** 1-based row numbers by role, for styling. */
  titleRow: number;
  headerRows: [number, number];
  firstSchoolRow: number;
  lastSchoolRow: number;
  footerRows: number[];
  /** 1-based columns holding points (number format 0.0). */
  pointColumns: number[];
}

/** "A", …, "Z", "AA", … for a 1-based column. */
export function columnLetter(column: number): string {
  let n = column;
  let letters = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

const cellRef = (row: number, column: number) => `${columnLetter(column)}${row}`;

/** "测试区县 (national defaults, …)" → "测试区县": the policy file's note is not the name. */
export function districtName(policyDistrict: string): string {
  return policyDistrict.replace(/\s*[（(].*$/u, '').trim();
}

export function evaluationSheetTitle(district: string, periodLabel: string): string {
  return `${district}课后服务年度考核结果表（${periodLabel}）`;
}

const oneDecimal = (value: number) => Math.round(value * 10) / 10;

/** What the 备注 says of a school: the veto first, then 数据不足, the 优秀 cap, deductions. */
export function remarkOf(school: SheetSchool): string {
  const parts: string[] = [];
  if (school.vetoed) parts.push(`一票否决：${school.vetoReason ?? '存在否决事项'}`);
  const missing = school.indicators.filter((i) => i.insufficientData).map((i) => i.name);
  if (missing.length > 0) parts.push(`数据不足：${missing.join('、')}（不计分，按已测指标折算）`);
  if (school.excellentCapped) parts.push('受优秀等次比例限制，评为良好');
  for (const d of school.deductions)
    if (d.points > 0) parts.push(`扣分：${d.name} ${oneDecimal(d.points)}分`);
  return parts.join('；');
}

export function buildEvaluationSheet(input: EvaluationSheetInput): SheetLayout {
  // The scheme's indicators in its order (every school of one evaluation has the same).
  const indicators: { key: string; name: string; maxPoints: number }[] = [];
  for (const school of input.schools)
    for (const i of school.indicators)
      if (!indicators.some((known) => known.key === i.key))
        indicators.push({ key: i.key, name: i.name, maxPoints: i.maxPoints });

  const lead = ['排名', '学校名称', '学校标识码', '乡镇（街道）', '同类学校组'];
  const tail = ['扣分', '总分', '等级', '备注'];
  const columns = lead.length + indicators.length + tail.length;
  const pad = (cells: SheetCell[]): SheetCell[] => [
    ...cells,
    ...Array<SheetCell>(Math.max(0, columns - cells.length)).fill(null),
  ];

  const rows: SheetCell[][] = [];
  const merges: string[] = [];
  const fullWidth = (text: string) => {
    rows.push(pad([text]));
    merges.push(`${cellRef(rows.length, 1)}:${cellRef(rows.length, columns)}`);
    return rows.length;
  };

  const titleRow = fullWidth(evaluationSheetTitle(input.district, input.periodLabel));
  fullWidth(`统计范围：${input.scopeText}`);
  fullWidth(`考核方案：${input.schemeName}（${input.schemeVersion}）`);
  fullWidth(`发布状态：${input.publicationText}`);
  fullWidth(`导出时间：${input.exportedAt}（北京时间）`);

  // Two header rows: the indicators sit under 指标得分; the other headers span both rows.
  const top: SheetCell[] = [...lead];
  const bottom: SheetCell[] = lead.map(() => null);
  if (indicators.length > 0) {
    top.push('指标得分', ...Array<SheetCell>(indicators.length - 1).fill(null));
    bottom.push(...indicators.map((i) => `${i.name}（${oneDecimal(i.maxPoints)}分）`));
  }
  top.push(...tail);
  bottom.push(...tail.map(() => null));
  rows.push(pad(top));
  const headerTop = rows.length;
  rows.push(pad(bottom));
  const headerBottom = rows.length;
  const spanBoth = (column: number) =>
    merges.push(`${cellRef(headerTop, column)}:${cellRef(headerBottom, column)}`);
  lead.forEach((_, index) => spanBoth(index + 1));
  if (indicators.length > 0)
    merges.push(
      `${cellRef(headerTop, lead.length + 1)}:${cellRef(headerTop, lead.length + indicators.length)}`,
    );
  tail.forEach((_, index) => spanBoth(lead.length + indicators.length + index + 1));

  const firstSchoolRow = rows.length + 1;
  for (const school of input.schools) {
    const byKey = new Map(school.indicators.map((i) => [i.key, i]));
    const deducted = school.deductions.reduce((sum, d) => sum + d.points, 0);
    rows.push(
      pad([
        school.rank,
        school.schoolName,
        school.schoolCode,
        school.township,
        school.peerGroup,
        ...indicators.map((known): SheetCell => {
          const own = byKey.get(known.key);
          if (!own) return null;
          return own.insufficientData ? '数据不足' : oneDecimal(own.points);
        }),
        deducted > 0 ? oneDecimal(deducted) : 0,
        oneDecimal(school.score),
        school.gradeLabel,
        remarkOf(school),
      ]),
    );
  }
  const lastSchoolRow = rows.length;

  rows.push(pad([]));
  const footerRows = [
    fullWidth('填表人：____________    审核人：____________    单位（盖章）：____________'),
    fullWidth('日期：______年____月____日'),
  ];

  const pointColumns = [
    ...indicators.map((_, index) => lead.length + index + 1),
    lead.length + indicators.length + 1,
    lead.length + indicators.length + 2,
  ];
  const widths = [
    6,
    24,
    13,
    14,
    14,
    ...indicators.map((i) => Math.max(10, Math.min(18, i.name.length * 2 + 6))),
    8,
    8,
    8,
    40,
  ];
  return {
    name: '考核结果表',
    rows,
    merges,
    widths,
    titleRow,
    headerRows: [headerTop, headerBottom],
    firstSchoolRow,
    lastSchoolRow,
    footerRows,
    pointColumns,
  };
}

/** The sheet as an .xlsx file (exceljs, loaded only when a user exports). */
export async function evaluationSheetXlsx(layout: SheetLayout): Promise<ArrayBuffer> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '课后督导';
  const sheet = workbook.addWorksheet(layout.name, {
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: `${layout.headerRows[0]}:${layout.headerRows[1]}`,
    },
    views: [{ state: 'frozen', ySplit: layout.headerRows[1], xSplit: 2 }],
  });
  for (const row of layout.rows) sheet.addRow(row);
  for (const range of layout.merges) sheet.mergeCells(range);
  layout.widths.forEach((width, index) => {
    sheet.getColumn(index + 1).width = width;
  });
  const title = sheet.getRow(layout.titleRow);
  title.font = { bold: true, size: 16 };
  title.alignment = { horizontal: 'center', vertical: 'middle' };
  title.height = 28;
  const thin = { style: 'thin' as const };
  const border = { top: thin, left: thin, bottom: thin, right: thin };
  for (let r = layout.headerRows[0]; r <= layout.lastSchoolRow; r += 1) {
    const row = sheet.getRow(r);
    const header = r <= layout.headerRows[1];
    for (let c = 1; c <= layout.widths.length; c += 1) {
      const cell = row.getCell(c);
      cell.border = border;
      cell.alignment = {
        vertical: 'middle',
        horizontal: header ? 'center' : typeof cell.value === 'number' ? 'right' : 'left',
        wrapText: true,
      };
      if (header) cell.font = { bold: true };
      else if (layout.pointColumns.includes(c) && typeof cell.value === 'number')
        cell.numFmt = '0.0';
    }
  }
  return workbook.xlsx.writeBuffer() as Promise<ArrayBuffer>;
}
