/**
 * 学期备案 in the browser: the semester keys the page offers, the kinds' order and labels as
 * the grid shows them, and the readable lines of a filing's structured fields (the server
 * stores them as JSON text, the fields of the kind's input type).
 */
import type { FilingKind, FilingStatus } from '../api/__generated__/graphql.ts';
import {
  currentMonth,
  parsePeriod,
  periodOf,
  previousPeriod,
} from '../../../server/db/calendar.ts';

export const FILING_KINDS: FilingKind[] = ['PLAN', 'SURVEY', 'AGREEMENT', 'FEES', 'PAY'];

export const FILING_KIND_LABEL: Record<FilingKind, string> = {
  PLAN: '一校一案',
  SURVEY: '需求征询',
  AGREEMENT: '服务协议',
  FEES: '收费公示与退费',
  PAY: '教师补助与补贴',
};

export const FILING_BADGE: Record<FilingStatus, string> = {
  FILED: 'badge-warning',
  ACCEPTED: 'badge-good',
  RETURNED: 'badge-alert',
};

export const CONTENT_KINDS = [
  'HOMEWORK',
  'READING',
  'SPORTS',
  'ARTS',
  'SCIENCE',
  'CLUBS',
  'LABOUR',
  'OTHER',
] as const;
export type ContentKind = (typeof CONTENT_KINDS)[number];
export const CONTENT_LABEL: Record<ContentKind, string> = {
  HOMEWORK: '作业辅导',
  READING: '阅读',
  SPORTS: '体育',
  ARTS: '艺术',
  SCIENCE: '科普',
  CLUBS: '社团',
  LABOUR: '劳动',
  OTHER: '其他',
};

/** The semester a day falls in (in Asia/Shanghai, wherever the browser is), by the calendar. */
export function semesterOf(day: Date): string {
  return periodOf(currentMonth(day), 'SEMESTER').key;
}

/** The semester before `key`. */
export function previousSemester(key: string): string {
  const period = parsePeriod(key);
  return period === null ? key : previousPeriod(period).key;
}

/** "2025-2026-1" → "2025-2026学年第一学期". */
export function semesterText(key: string): string {
  return parsePeriod(key)?.label ?? key;
}

const yuan = (v: unknown): string => (typeof v === 'number' ? `${v} 元` : '—');
const text = (v: unknown): string => (v === null || v === undefined || v === '' ? '—' : String(v));

/** A filing's fields as label / value lines, in the order of the kind's form. */
export function fieldLines(kind: FilingKind, json: string): [string, string][] {
  let f: Record<string, unknown>;
  try {
    f = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return [['内容', json]];
  }
  switch (kind) {
    case 'PLAN': {
      const mix = (f['contentMix'] as { kind: ContentKind; periodsPerWeek: number }[] | undefined)
        ?.filter((c) => c.periodsPerWeek > 0)
        .map((c) => `${CONTENT_LABEL[c.kind] ?? c.kind} ${c.periodsPerWeek}`)
        .join('、');
      return [
        ['方案文件', text(f['document'])],
        ['每周服务天数', text(f['daysPerWeek'])],
        ['服务时间', `${text(f['startTime'])}–${text(f['endTime'])}`],
        ['每周课时（按内容）', mix || '—'],
        ['校内教师', text(f['teachers'])],
        ['校外人员', text(f['externalStaff'])],
        ['第三方机构', text(f['thirdPartyProviders'])],
        ['每课时收费', yuan(f['feePerPeriod'])],
        ['优先保障安排', text(f['priorityArrangements'])],
      ];
    }
    case 'SURVEY': {
      const grades = (f['demandByGrade'] as { grade: number; demand: number }[] | undefined)
        ?.map((g) => `${g.grade}年级 ${g.demand} 人`)
        .join('、');
      return [
        ['征询日期', text(f['date'])],
        ['答卷份数', text(f['respondents'])],
        ['各年级需求', grades || '—'],
      ];
    }
    case 'AGREEMENT':
      return [
        ['已签协议', text(f['signed'])],
        ['服务学生', text(f['studentsServed'])],
      ];
    case 'FEES':
      return [
        ['是否收费', f['charged'] ? '收费' : '不收费'],
        ['首次收费日期', text(f['firstFeeDate'])],
        ['公示日期', text(f['publishedDate'])],
        ['公示位置', text(f['publishedWhere'])],
        ['缺勤每天退费', yuan(f['refundPerAbsentDay'])],
      ];
    case 'PAY':
      return [
        ['课时数', text(f['periods'])],
        ['课时补助合计', yuan(f['teacherPay'])],
        ['参与教师', text(f['teachers'])],
        ['绩效合计', yuan(f['performancePay'])],
        ['服务学生', text(f['studentsServed'])],
        ['财政补助合计', yuan(f['subsidy'])],
      ];
  }
}
