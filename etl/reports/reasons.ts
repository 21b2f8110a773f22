/**
 * Every reason a value can be rejected, in Chinese (for the clerk) and English.
 * SQL emits the code and up to two parameters; the texts are formatted here.
 */
export type ReasonCode =
  | 'REQUIRED'
  | 'BAD_CODE'
  | 'BAD_INT'
  | 'BAD_NUMBER'
  | 'BAD_MONTH'
  | 'BAD_DATE'
  | 'BAD_GRADE'
  | 'BAD_TIME'
  | 'BAD_YESNO'
  | 'BAD_ENUM'
  | 'BELOW_MIN'
  | 'ABOVE_MAX'
  | 'NOT_ABOVE'
  | 'EXCEEDS'
  | 'UNKNOWN_SCHOOL'
  | 'SCHOOL_NOT_OPEN'
  | 'GRADE_NOT_IN_STAGE'
  | 'TIME_REQUIRED'
  | 'DUPLICATE'
  | 'EXCEEDS_REGISTRY'
  | 'BAD_ANSWER'
  | 'UNKNOWN_SCHOOL_NAME'
  | 'LOCKED'
  | 'OTHER_SCHOOL';

type Params = { p1: string | null; p2: string | null };
type Text = (p: Params) => string;

const catalogue: Record<ReasonCode, { zh: Text; en: Text }> = {
  REQUIRED: { zh: () => '不能为空', en: () => 'must not be blank' },
  BAD_CODE: { zh: () => '学校标识码应为10位数字', en: () => 'school code must be 10 digits' },
  BAD_INT: { zh: () => '应为整数', en: () => 'must be a whole number' },
  BAD_NUMBER: { zh: () => '应为数字', en: () => 'must be a number' },
  BAD_MONTH: {
    zh: () => '无法识别的月份（应如2024-09或2024年9月）',
    en: () => 'unreadable month (expected e.g. 2024-09 or 2024年9月)',
  },
  BAD_DATE: {
    zh: () => '无法识别的日期（应如2024-09-01）',
    en: () => 'unreadable date (expected e.g. 2024-09-01)',
  },
  BAD_GRADE: {
    zh: () => '无法识别的年级（应为1-9、一年级…六年级、初一…初三或七年级…九年级）',
    en: () => 'unreadable grade (expected 1-9, 一年级…六年级, 初一…初三 or 七年级…九年级)',
  },
  BAD_TIME: {
    zh: () => '无法识别的时间（应如18:00）',
    en: () => 'unreadable time (expected HH:MM, e.g. 18:00)',
  },
  BAD_YESNO: { zh: () => '应填“是”或“否”', en: () => 'must be 是 (yes) or 否 (no)' },
  BAD_ENUM: { zh: (p) => `应为以下之一：${p.p1}`, en: (p) => `must be one of: ${p.p1}` },
  BELOW_MIN: { zh: (p) => `不能小于${p.p1}`, en: (p) => `must be at least ${p.p1}` },
  ABOVE_MAX: { zh: (p) => `不能大于${p.p1}`, en: (p) => `must be at most ${p.p1}` },
  NOT_ABOVE: { zh: (p) => `应大于${p.p1}`, en: (p) => `must be greater than ${p.p1}` },
  EXCEEDS: {
    zh: (p) => `不能大于“${p.p1}”（${p.p2}）`,
    en: (p) => `must not exceed “${p.p1}” (${p.p2})`,
  },
  UNKNOWN_SCHOOL: {
    zh: () => '学校标识码不在学校名录中（请先导入学校名录或核对标识码）',
    en: () =>
      'school code is not in the school registry (load the registry first or check the code)',
  },
  SCHOOL_NOT_OPEN: {
    zh: (p) => `该学校在此月份不在办学期内（${p.p1}）`,
    en: (p) => `the school does not exist in this month (${p.p1})`,
  },
  GRADE_NOT_IN_STAGE: {
    zh: (p) => `该年级不属于学校学段（${p.p1}）`,
    en: (p) => `grade does not belong to the school's stage (${p.p2})`,
  },
  TIME_REQUIRED: {
    zh: () => '开展天数大于0时必须填写最晚结束时间',
    en: () => 'latest end time is required when service days are above 0',
  },
  DUPLICATE: { zh: (p) => `与${p.p1}第${p.p2}行重复`, en: (p) => `duplicates ${p.p1} row ${p.p2}` },
  EXCEEDS_REGISTRY: {
    zh: (p) => `不能大于学校名录中的${p.p1}（${p.p2}）`,
    en: (p) => `must not exceed the registry's ${p.p1} (${p.p2})`,
  },
  BAD_ANSWER: {
    zh: () => '不是有效的选项（非常满意/满意/一般/不满意/非常不满意）',
    en: () => 'not a valid answer (非常满意/满意/一般/不满意/非常不满意)',
  },
  UNKNOWN_SCHOOL_NAME: {
    zh: () => '学校名称与学校名录不符（请填写名录中的全称或学校标识码）',
    en: () =>
      'school name not found in the registry (use the full registered name or the school code)',
  },
  // The review of school-months (issue 17): an approved unit is locked until unlocked.
  LOCKED: {
    zh: () => '该校该月数据已审核锁定，须先解锁',
    en: () => 'locked after review; unlock first',
  },
  // A school's own upload holds only its own rows.
  OTHER_SCHOOL: {
    zh: (p) => `文件中含其他学校的数据（学校标识码 ${p.p1}），已拒绝该行`,
    en: (p) => `the file holds another school's rows (school ${p.p1}); rejected`,
  },
};

export function reasonTexts(code: ReasonCode, p1: string | null, p2: string | null) {
  const entry = catalogue[code];
  const zh = entry.zh({ p1, p2 });
  const en = entry.en({ p1, p2 });
  return { zh, en, both: `${zh} / ${en}` };
}

/** Stand-ins for the parameters in reasonTemplates(): control characters no text contains. */
export const P1_MARK = '\u0001';
export const P2_MARK = '\u0002';

/**
 * Every reason's texts with P1_MARK and P2_MARK where its parameters go, for wording
 * rejects in SQL (a load may have millions): the same texts reasonTexts gives.
 */
export function reasonTemplates(): { code: ReasonCode; zh: string; en: string }[] {
  const marks = { p1: P1_MARK, p2: P2_MARK };
  return (Object.keys(catalogue) as ReasonCode[]).map((code) => ({
    code,
    zh: catalogue[code].zh(marks),
    en: catalogue[code].en(marks),
  }));
}

export function isReasonCode(code: string): code is ReasonCode {
  return Object.hasOwn(catalogue, code);
}
