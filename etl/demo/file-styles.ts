/**
 * How each township's clerk fills the template. Real bureaus get the same template
 * back in a dozen dialects (month as 2024年9月 or a date cell, grades as 初一 or 7,
 * merged cells, CSV from an old PC), and the ETL has to read them all.
 */
import type { Cell } from './table.ts';
import { parseMonth } from './calendar.ts';

export type MonthStyle = 'cn' | 'cn0' | 'dash' | 'dash1' | 'slash' | 'slash0' | 'compact' | 'date';
export type GradeStyle = 'cn-chu' | 'cn-nian' | 'number';
export type FileFormat = 'xlsx' | 'csv-gbk' | 'csv-bom';

export interface TownshipStyle {
  format: FileFormat;
  month: MonthStyle;
  grade: GradeStyle;
  /** 学校标识码 merged over a school's grade rows. */
  mergeCodes: boolean;
  /** 最晚结束时间 as real Excel time cells rather than text. */
  timeCells: boolean;
  /** 填报单位 line between title and header. */
  noteRow: boolean;
  /** A title line above the header (CSV only; xlsx always has one). */
  csvTitle: boolean;
  fiveDay: boolean;
  /** A few cells typed with a Chinese IME: 18：00, １２. */
  fullWidth: boolean;
  /** 1,234 in CSV, as Excel saves a #,##0 cell. */
  thousands: boolean;
  /** Survey identifies the school by 学校 (name) or 学校标识码. */
  surveyKey: '学校' | '学校标识码';
  /** The questionnaire has a free-text suggestion question. */
  surveyComment: boolean;
}

const BASE: TownshipStyle = {
  format: 'xlsx',
  month: 'cn',
  grade: 'cn-chu',
  mergeCodes: false,
  timeCells: false,
  noteRow: false,
  csvTitle: false,
  fiveDay: true,
  fullWidth: false,
  thousands: false,
  surveyKey: '学校',
  surveyComment: true,
};

/** Fixed per township position, so the lead can find each dialect in the default district. */
const STYLES: readonly Partial<TownshipStyle>[] = [
  { month: 'cn', grade: 'cn-chu', mergeCodes: true, noteRow: true },
  {
    format: 'csv-bom',
    month: 'dash',
    grade: 'cn-nian',
    fullWidth: true,
    thousands: true,
    surveyKey: '学校标识码',
  },
  {
    month: 'date',
    grade: 'number',
    timeCells: true,
    surveyKey: '学校标识码',
    surveyComment: false,
  },
  { format: 'csv-gbk', month: 'slash', grade: 'cn-chu', csvTitle: true, thousands: true },
  { month: 'compact', grade: 'cn-nian', mergeCodes: true, fiveDay: false },
  { month: 'dash', grade: 'cn-chu', fullWidth: true, noteRow: true, surveyComment: false },
  { month: 'cn0', grade: 'number', mergeCodes: true },
  { month: 'slash0', grade: 'cn-chu', timeCells: true, surveyKey: '学校标识码' },
  { month: 'date', grade: 'cn-nian', mergeCodes: true, noteRow: true },
  { month: 'dash1', grade: 'number' },
];

export function styleFor(townshipIndex: number): TownshipStyle {
  const i = townshipIndex % STYLES.length;
  // Beyond the first ten, repeat the xlsx dialects only: two CSV townships are plenty.
  const own =
    townshipIndex >= STYLES.length && (i === 1 || i === 3) ? { format: 'xlsx' as const } : {};
  return { ...BASE, ...STYLES[i], ...own };
}

/** 2024年9月 — how titles and file names say the month, whatever the cells do. */
export function monthTitle(month: string): string {
  const { year, month: m } = parseMonth(month);
  return `${year}年${m}月`;
}

/** The 填报月份 cell. `monthNo` may be 13 to produce a deliberately impossible month. */
export function monthCell(style: MonthStyle, year: number, monthNo: number): Cell {
  const mm = String(monthNo).padStart(2, '0');
  switch (style) {
    case 'cn':
      return `${year}年${monthNo}月`;
    case 'cn0':
      return `${year}年${mm}月`;
    case 'dash':
      return `${year}-${mm}`;
    case 'dash1':
      return `${year}-${monthNo}`;
    case 'slash':
      return `${year}/${monthNo}`;
    case 'slash0':
      return `${year}/${mm}`;
    case 'compact':
      return Number(`${year}${mm}`);
    case 'date':
      return monthNo > 12
        ? `${year}-${mm}`
        : { date: `${year}-${mm}-01`, fmt: 'yyyy"年"m"月"', shown: `${year}年${monthNo}月` };
  }
}

const CN_GRADES = ['一', '二', '三', '四', '五', '六', '七', '八', '九'];
const JUNIOR = ['初一', '初二', '初三'];

export function gradeCell(style: GradeStyle, grade: number): Cell {
  if (style === 'number') return grade;
  if (style === 'cn-chu' && grade >= 7) return JUNIOR[grade - 7] ?? String(grade);
  return `${CN_GRADES[grade - 1] ?? grade}年级`;
}

/** Digits and colon as a Chinese IME types them (１２, 18：00). */
export function fullWidth(text: string, digits = true): string {
  return text.replace(/[0-9:]/g, (ch) =>
    ch === ':' ? '：' : digits ? String.fromCharCode(ch.charCodeAt(0) + 0xfee0) : ch,
  );
}
