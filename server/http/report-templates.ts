/**
 * Each report kind as an .xlsx template, generated from the report contract (etl/reports/**):
 * the kind's columns in the contract's own headers, so a filled template is recognised and
 * loaded like any report. Sheet 1 holds a title row (row 1, merged), the header (row 2) and
 * the data rows below, each column with the data validation of its value type (month list,
 * grade list, 是/否 lists, the enumerations, non-negative whole numbers, decimals within the
 * contract's bounds, 10-digit codes) and an input prompt; sheet 2, 填表说明, tells the clerk in
 * Chinese what every column wants. For a school reporter, the school's code and name are
 * filled in (and for 分年级参与情况 one row per grade of its stage), so the file they send back
 * names their own school.
 *
 * Why generated rather than committed files: the headers, aliases and bounds live once, in
 * the contract; a template written by hand would drift from what the loader accepts.
 */
import type ExcelJS from 'exceljs';
import { SURVEY_HEADER_KEYS } from '../../etl/reports/kinds.ts';
import { assignmentsSpec } from '../../etl/reports/assignments/columns.ts';
import { monthlySpec } from '../../etl/reports/monthly/columns.ts';
import { participationSpec } from '../../etl/reports/participation/columns.ts';
import { registrySpec } from '../../etl/reports/registry/columns.ts';
import type { ColumnSpec, KindSpec, ReportKind } from '../../etl/reports/report-kind.ts';
import { addMonths, currentMonth } from '../db/calendar.ts';
import type { Stage } from '../db/tables/schools.table.ts';

export const TEMPLATE_KINDS: readonly ReportKind[] = [
  'registry',
  'assignments',
  'monthly',
  'participation',
  'survey',
];

/** What each template is called: its sheet, its file name and its title. */
export const TEMPLATE_NAMES: Readonly<Record<ReportKind, string>> = {
  registry: '学校名录',
  assignments: '责任督学挂牌',
  monthly: '课后服务月报',
  participation: '分年级参与情况',
  survey: '满意度问卷',
};

/** The school a school reporter's template is filled in for. */
export interface TemplateSchool {
  code: string;
  /** The registry's name; null for a school not in the registry yet (the clerk writes it). */
  name: string | null;
  stage: Stage;
}

export interface TemplateOptions {
  school?: TemplateSchool | null;
  /** The clock (tests): the month list runs up to this month. */
  now?: Date;
}

/** Rows below the header that carry the validations (and may be filled). */
export const TEMPLATE_DATA_ROWS = 2000;
const HEADER_ROW = 2;
const FIRST_DATA_ROW = 3;
/** Months offered in the 填报月份 list: this month and the 23 before it, newest first. */
const MONTHS_LISTED = 24;

export const GRADE_LABELS = [
  '一年级',
  '二年级',
  '三年级',
  '四年级',
  '五年级',
  '六年级',
  '七年级',
  '八年级',
  '九年级',
] as const;

/** The grades a school of each stage teaches (the loader's GRADE_NOT_IN_STAGE rule). */
const STAGE_GRADES: Readonly<Record<Stage, readonly number[]>> = {
  primary: [1, 2, 3, 4, 5, 6],
  junior: [7, 8, 9],
  complete: [7, 8, 9],
  nine_year: [1, 2, 3, 4, 5, 6, 7, 8, 9],
};

/** The five answer levels a survey cell holds (etl/normalize ANSWER_LABELS). */
export const ANSWER_CHOICES = ['非常满意', '满意', '一般', '不满意', '非常不满意'] as const;
const RESPONDENT_CHOICES = ['家长', '学生', '教师'] as const;

/** The survey's usual items (the first asks for overall satisfaction). */
export const SURVEY_TEMPLATE_ITEMS = [
  '1.您对学校课后服务总体是否满意？',
  '2.您对课后服务的内容安排是否满意？',
  '3.您对课后服务的安全管理是否满意？',
  '4.您对课后服务的收费情况是否满意？',
  '5.您对课后服务教师的辅导是否满意？',
] as const;

/** One column of a template: its header, what it wants and how Excel checks it. */
interface TemplateColumn {
  key: string;
  header: string;
  required: boolean;
  /** 填写要求 in the instructions and the cell's input prompt. */
  rule: string;
  validation: ExcelJS.DataValidation | null;
  /** Number format of the column: '@' keeps codes and months as text. */
  numFmt?: string;
  width: number;
}

/** The month list of a template: `now`'s month (China Standard Time) and those before it. */
export function templateMonths(now: Date): string[] {
  const month = currentMonth(now);
  return Array.from({ length: MONTHS_LISTED }, (_, i) => addMonths(month, -i));
}

const list = (values: readonly string[], title: string): ExcelJS.DataValidation => ({
  type: 'list',
  allowBlank: true,
  // An inline list: Excel allows 255 characters, which every list here stays under.
  formulae: [`"${values.join(',')}"`],
  showErrorMessage: true,
  errorStyle: 'stop',
  errorTitle: title,
  error: `请从下拉列表中选择：${values.join('、')}`,
});

function numberRule(kind: 'whole' | 'decimal', min: number, max: number | undefined): string {
  const what = kind === 'whole' ? '整数' : '数字（可带小数）';
  return max === undefined ? `不小于 ${min} 的${what}` : `${min} 至 ${max} 之间的${what}`;
}

function numberValidation(
  kind: 'whole' | 'decimal',
  min: number,
  max: number | undefined,
  header: string,
): ExcelJS.DataValidation {
  return {
    type: kind,
    allowBlank: true,
    operator: max === undefined ? 'greaterThanOrEqual' : 'between',
    formulae: max === undefined ? [min] : [min, max],
    showErrorMessage: true,
    errorStyle: 'stop',
    errorTitle: header,
    error: `请填写${numberRule(kind, min, max)}`,
  };
}

/** A contract column as a template column: the validation follows its value type. */
function fromSpec(spec: ColumnSpec, months: readonly string[], grades: readonly number[]) {
  const required = !spec.optional && !spec.blankAllowed;
  const base = { key: spec.key, header: spec.header, required };
  const type = spec.type;
  const width = Math.max(12, Math.min(28, spec.header.length * 2 + 4));
  switch (type.kind) {
    case 'code10':
      return {
        ...base,
        rule: '10位数字的学校标识码（以文本格式填写，勿删去前导零）',
        numFmt: '@',
        width: 14,
        validation: {
          type: 'textLength',
          allowBlank: true,
          operator: 'equal',
          formulae: [10],
          showErrorMessage: true,
          errorStyle: 'stop',
          errorTitle: spec.header,
          error: '学校标识码应为10位数字',
        },
      } satisfies TemplateColumn;
    case 'month':
      return {
        ...base,
        rule: '年-月，如 2024-09（可从下拉列表选择）',
        numFmt: '@',
        width: 12,
        validation: list(months, spec.header),
      } satisfies TemplateColumn;
    case 'grade': {
      const labels = grades.map((g) => GRADE_LABELS[g - 1]!);
      return {
        ...base,
        rule: `年级，如 一年级（从下拉列表选择：${labels.join('、')}）`,
        width: 10,
        validation: list(labels, spec.header),
      } satisfies TemplateColumn;
    }
    case 'yesno':
      return { ...base, rule: '是 或 否', width, validation: list(['是', '否'], spec.header) };
    case 'enum': {
      // The Chinese words of the enumeration (its English keys are for machines).
      const words = Object.keys(type.values).filter((w) => /[\u4e00-\u9fff]/u.test(w));
      return {
        ...base,
        rule: `从下拉列表选择：${words.join('、')}`,
        width,
        validation: list(words, spec.header),
      } satisfies TemplateColumn;
    }
    case 'int':
      return {
        ...base,
        rule: numberRule('whole', type.min ?? 0, type.max),
        width,
        validation: numberValidation('whole', type.min ?? 0, type.max, spec.header),
      } satisfies TemplateColumn;
    case 'decimal': {
      const zero =
        type.zeroWords && type.zeroWords.length > 0
          ? `；不收费或没有时填 0（也可写“${type.zeroWords.join('”或“')}”）`
          : '';
      return {
        ...base,
        rule: numberRule('decimal', type.min ?? 0, type.max) + zero,
        width,
        // Not enforced by Excel: the contract also takes words (免费) for zero.
        validation:
          zero === '' ? numberValidation('decimal', type.min ?? 0, type.max, spec.header) : null,
      } satisfies TemplateColumn;
    }
    case 'time':
      return {
        ...base,
        rule: '时:分（24小时制），如 18:00；当月未开展服务可不填',
        numFmt: '@',
        width,
        validation: null,
      } satisfies TemplateColumn;
    case 'date':
      return {
        ...base,
        rule: '日期，如 2024-09-01',
        numFmt: 'yyyy-mm-dd',
        width,
        validation: {
          type: 'date',
          allowBlank: true,
          operator: 'greaterThan',
          formulae: [new Date(Date.UTC(1990, 0, 1))],
          showErrorMessage: true,
          errorStyle: 'stop',
          errorTitle: spec.header,
          error: '请填写日期，如 2024-09-01',
        },
      } satisfies TemplateColumn;
    default:
      return { ...base, rule: '文字', width, validation: null } satisfies TemplateColumn;
  }
}

const SPECS: Readonly<Record<Exclude<ReportKind, 'survey'>, KindSpec>> = {
  registry: registrySpec,
  assignments: assignmentsSpec,
  monthly: monthlySpec,
  participation: participationSpec,
};

function surveyColumns(): TemplateColumn[] {
  const fixed: TemplateColumn[] = SURVEY_HEADER_KEYS.map((k) => {
    switch (k.key) {
      case 'serial':
        return {
          key: k.key,
          header: k.header,
          required: true,
          rule: '答卷序号，每份答卷一行，从 1 起不重复',
          width: 8,
          validation: numberValidation('whole', 1, undefined, k.header),
        };
      case 'submitted_at':
        return {
          key: k.key,
          header: k.header,
          required: true,
          rule: '答卷日期时间，如 2024/12/10 19:23:05（至少写日期）',
          numFmt: '@',
          width: 20,
          validation: null,
        };
      case 'school_code':
        return {
          key: k.key,
          header: k.header,
          required: true,
          rule: '10位数字的学校标识码（以文本格式填写）',
          numFmt: '@',
          width: 14,
          validation: {
            type: 'textLength',
            allowBlank: true,
            operator: 'equal',
            formulae: [10],
            showErrorMessage: true,
            errorStyle: 'stop',
            errorTitle: k.header,
            error: '学校标识码应为10位数字',
          },
        };
      case 'school_name':
        return {
          key: k.key,
          header: k.header,
          required: false,
          rule: '学校名称',
          width: 20,
          validation: null,
        };
      case 'respondent':
        return {
          key: k.key,
          header: k.header,
          required: true,
          rule: `答卷人身份：${RESPONDENT_CHOICES.join('、')}`,
          width: 8,
          validation: list(RESPONDENT_CHOICES, k.header),
        };
    }
  });
  const items: TemplateColumn[] = SURVEY_TEMPLATE_ITEMS.map((item, i) => ({
    key: `item_${i + 1}`,
    header: item,
    required: false,
    rule: `从下拉列表选择：${ANSWER_CHOICES.join('、')}`,
    width: 18,
    validation: list(ANSWER_CHOICES, item),
  }));
  return [...fixed, ...items];
}

export function templateColumns(kind: ReportKind, options: TemplateOptions = {}): TemplateColumn[] {
  if (kind === 'survey') return surveyColumns();
  const months = templateMonths(options.now ?? new Date());
  const grades = options.school ? STAGE_GRADES[options.school.stage] : STAGE_GRADES.nine_year;
  return SPECS[kind].columns.map((c) => fromSpec(c, months, grades));
}

/** Rows filled in for a school reporter: its code and name (and grades), by column key. */
function prefilled(kind: ReportKind, school: TemplateSchool): Array<Record<string, string>> {
  const own: Record<string, string> = { school_code: school.code };
  if (school.name !== null) own.school_name = school.name;
  switch (kind) {
    case 'monthly':
    case 'survey':
      return [own];
    case 'participation':
      return STAGE_GRADES[school.stage].map((g) => ({ ...own, grade: GRADE_LABELS[g - 1]! }));
    default:
      // The registry and the assignments are the bureau's files: nothing to fill in.
      return [];
  }
}

const GENERAL_NOTES = [
  '第1行为标题，第2行为表头：请勿修改、删除或调换表头，也不要插入空列；数据从第3行起逐行填写。',
  '学校标识码为10位数字，请按文本填写，保留前导零。',
  '填报月份写作“年-月”，如 2024-09；可在下拉列表中选择。',
  '人数类单元格填写不小于 0 的整数，没有时填 0，不要留空。',
  '是/否类单元格从下拉列表选择“是”或“否”。',
  '一个文件可以填写多所学校、多个月份；同一学校同一月份只填一行（分年级参与情况为每个年级一行）。',
  '填写完成后直接上传本文件即可（支持 .xlsx、.xls、.et、.ods 和 CSV）；请勿使用公式引用其他文件。',
  '多余的预填行请整行删除，未填完的行会被拒绝并在导入结果中列明行号和原因。',
];

const KIND_NOTES: Readonly<Record<ReportKind, string>> = {
  registry: '学校名录：每所学校一行；学段、城乡类型、办学性质从下拉列表选择。',
  assignments: '责任督学挂牌：每位督学与每所学校的对应关系一行；生效月份可不填。',
  monthly: '课后服务月报：每所学校每月一行；开展天数不得超过上学天数。',
  participation:
    '分年级参与情况：每所学校每月每个年级一行；申请人数、参加人数、各类重点群体人数均不得超过在校生数，参加数不得超过相应人数。',
  survey:
    '满意度问卷：每份答卷一行；各题从下拉列表选择“非常满意、满意、一般、不满意、非常不满意”之一。',
};

/** The workbook of one kind's template, made with `excel` (exceljs, loaded by the caller). */
export function buildTemplate(
  excel: typeof ExcelJS,
  kind: ReportKind,
  options: TemplateOptions = {},
): ExcelJS.Workbook {
  const columns = templateColumns(kind, options);
  const school = options.school ?? null;
  const name = TEMPLATE_NAMES[kind];
  const wb = new excel.Workbook();
  wb.creator = 'Kehou 课后督导';
  const fixed = options.now ?? new Date();
  wb.created = fixed;
  wb.modified = fixed;
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: HEADER_ROW }] });

  const title = ws.getCell(1, 1);
  title.value = school
    ? `${name}（填报模板）— ${school.name ?? ''}（学校标识码 ${school.code}）`
    : `${name}（填报模板）`;
  title.font = { bold: true, size: 14 };
  title.alignment = { vertical: 'middle', horizontal: 'center' };
  ws.getRow(1).height = 26;
  ws.mergeCells(1, 1, 1, columns.length);

  const header = ws.getRow(HEADER_ROW);
  columns.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.header;
    cell.font = { bold: true, color: c.required ? { argb: 'FFC00000' } : { argb: 'FF000000' } };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    cell.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
    cell.note = `${c.required ? '必填。' : '选填。'}${c.rule}`;
    const column = ws.getColumn(i + 1);
    column.width = c.width;
    if (c.numFmt) column.numFmt = c.numFmt;
  });
  header.height = 32;

  const last = FIRST_DATA_ROW + TEMPLATE_DATA_ROWS - 1;
  const validations = (ws as unknown as { dataValidations: DataValidationsModel }).dataValidations;
  columns.forEach((c, i) => {
    if (!c.validation) return;
    const letter = ws.getColumn(i + 1).letter;
    validations.add(`${letter}${FIRST_DATA_ROW}:${letter}${last}`, {
      ...c.validation,
      showInputMessage: true,
      promptTitle: c.header.slice(0, 32),
      prompt: c.rule.slice(0, 255),
    });
  });

  if (school) {
    prefilled(kind, school).forEach((values, r) => {
      const row = ws.getRow(FIRST_DATA_ROW + r);
      columns.forEach((c, i) => {
        const value = values[c.key];
        if (value !== undefined) row.getCell(i + 1).value = value;
      });
    });
  }

  instructions(wb, kind, columns, school);
  return wb;
}

interface DataValidationsModel {
  add(address: string, validation: ExcelJS.DataValidation): void;
}

function instructions(
  wb: ExcelJS.Workbook,
  kind: ReportKind,
  columns: readonly TemplateColumn[],
  school: TemplateSchool | null,
): void {
  const ws = wb.addWorksheet('填表说明');
  ws.getColumn(1).width = 26;
  ws.getColumn(2).width = 8;
  ws.getColumn(3).width = 70;
  const title = ws.getCell('A1');
  title.value = `${TEMPLATE_NAMES[kind]}填表说明`;
  title.font = { bold: true, size: 14 };
  ws.mergeCells('A1:C1');
  let r = 3;
  const note = (text: string): void => {
    const cell = ws.getCell(r, 1);
    cell.value = text;
    cell.alignment = { wrapText: true, vertical: 'top' };
    ws.mergeCells(r, 1, r, 3);
    ws.getRow(r).height = 30;
    r++;
  };
  note(KIND_NOTES[kind]);
  if (school) {
    note(
      `本模板已为${school.name ?? '贵校'}（学校标识码 ${school.code}）预填学校标识码和名称；请只填写本校数据，文件中其他学校的行会被拒绝。`,
    );
  }
  GENERAL_NOTES.forEach((n, i) => note(`${i + 1}. ${n}`));
  r++;
  const head = ws.getRow(r);
  head.values = ['列名', '是否必填', '填写要求'];
  head.font = { bold: true };
  r++;
  for (const c of columns) {
    const row = ws.getRow(r++);
    row.values = [c.header, c.required ? '必填' : '选填', c.rule];
    row.getCell(3).alignment = { wrapText: true };
  }
  // The instructions are read, not filled: protect them from stray edits (no password).
  void ws.protect('', { selectLockedCells: true, selectUnlockedCells: true });
}

/** The template's bytes. */
export async function templateBytes(
  kind: ReportKind,
  options: TemplateOptions = {},
): Promise<Buffer> {
  // Loaded on the first download, not at start: importing exceljs costs the server's start
  // about half a second of CPU (README, Measured: start-up).
  const { default: excel } = await import('exceljs');
  const wb = buildTemplate(excel, kind, options);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The download's file name: 课后服务月报-模板.xlsx, with the school's name for a school. */
export function templateFileName(kind: ReportKind, school: TemplateSchool | null): string {
  const base = TEMPLATE_NAMES[kind];
  return school ? `${base}-${school.name ?? school.code}-模板.xlsx` : `${base}-模板.xlsx`;
}
