/**
 * The one table of 多方印证 (triangulation): for each thing a monthly report can say is
 * fine, which complaint categories and inspection flags (flag catalogue codes), which visit
 * checklist items and which survey items (by question text) speak against it. The service
 * judges every rule against every source with the same code; a new rule is a new row.
 */
import type { ChecklistItem } from '../../db/tables/visits.table.ts';
import type { Stage } from '../../db/tables/schools.table.ts';
import type { MonthRules } from '../../policy/month-rules.ts';
import { hhmmToMinutes } from '../../policy/policy.schema.ts';

/** What a report row holds for the rules (null: not reported). */
export interface ReportFacts {
  stage: Stage;
  fee_per_period: number | null;
  fees_published: boolean | null;
  school_days: number | null;
  service_days: number | null;
  daily_minutes: number | null;
  latest_end_time: string | null;
  homework_periods: number | null;
  written_homework_g12: boolean | null;
  incidents: number | null;
}

/** A sentence in both languages. */
export interface Words {
  zh: string;
  en: string;
}

export interface TriangulationRule {
  id: string;
  /** What the report says when it calls this fine, or null when it does not. */
  reportSays(report: ReportFacts, rules: MonthRules): Words | null;
  /** Complaint categories and inspection flag codes that say otherwise. */
  flagCodes: readonly string[];
  /** Visit checklist items whose PROBLEM says otherwise. */
  checklistItems: readonly ChecklistItem[];
  /** Survey items (by question text) whose dissatisfaction says otherwise. */
  surveyItem: RegExp | null;
}

/**
 * The checklist items' labels, for sentences the server writes. The visit form keeps the
 * same labels (web/src/components/flag-labels.ts) for its radio buttons.
 */
export const CHECKLIST_LABELS: Record<ChecklistItem, Words> = {
  SERVICE_TIME: { zh: '服务时间', en: 'service time' },
  CONTENT: { zh: '服务内容', en: 'content' },
  SAFETY: { zh: '安全管理', en: 'safety' },
  FEE_PUBLICITY: { zh: '收费公示', en: 'fee publicity' },
  ATTENDANCE_RECORDS: { zh: '考勤记录', en: 'attendance records' },
  HANDOVER_RECORDS: { zh: '交接记录', en: 'handover records' },
};

/** The sources set against the report, with the names the page shows. */
export const SOURCE_LABELS = {
  COMPLAINT: '投诉与举报',
  VISIT: '督导走访',
  SURVEY: '满意度问卷',
} as const;

export const TRIANGULATION_RULES: readonly TriangulationRule[] = [
  {
    id: 'FEES_FREE',
    reportSays: (r) =>
      r.fee_per_period === 0
        ? { zh: '月报填报收费标准 0 元/课时（免费）', en: 'the report says the service is free' }
        : null,
    flagCodes: ['ILLEGAL_FEES'],
    checklistItems: [],
    surveyItem: /收费|费用|缴费|交费/u,
  },
  {
    id: 'FEES_PUBLISHED',
    reportSays: (r) =>
      r.fees_published === true
        ? { zh: '月报填报已收费公示', en: 'the report says fees were published' }
        : null,
    flagCodes: [],
    checklistItems: ['FEE_PUBLICITY'],
    surveyItem: null,
  },
  {
    id: 'END_TIME',
    reportSays: (r, rules) => {
      if (r.latest_end_time === null) return null;
      const cap = rules.latestEnd[r.stage];
      return hhmmToMinutes(r.latest_end_time) <= cap.minutes
        ? {
            zh: `月报填报最晚结束时间 ${r.latest_end_time}，未超过规定的 ${cap.text}`,
            en: `the report says the service ends by ${r.latest_end_time}, within the cap`,
          }
        : null;
    },
    flagCodes: ['LATE_END'],
    checklistItems: ['SERVICE_TIME'],
    surveyItem: /结束时间|放学时间|离校时间|接送时间/u,
  },
  {
    id: 'SERVICE_AMOUNT',
    reportSays: (r, rules) => {
      if (r.service_days === null || r.school_days === null || r.daily_minutes === null)
        return null;
      const min = rules.version.service.min_daily_minutes;
      return r.service_days > 0 &&
        r.service_days >= r.school_days * rules.requiredDayShare &&
        r.daily_minutes >= min
        ? {
            zh: `月报填报开展 ${r.service_days} 天（上学 ${r.school_days} 天）、每天 ${r.daily_minutes} 分钟，达到规定`,
            en: `the report says ${r.service_days} of ${r.school_days} days at ${r.daily_minutes} minutes a day, as required`,
          }
        : null;
    },
    flagCodes: ['SHORT_SERVICE', 'NOT_OFFERED'],
    checklistItems: [],
    surveyItem: null,
  },
  {
    id: 'HOMEWORK',
    reportSays: (r, rules) =>
      r.homework_periods !== null &&
      r.homework_periods <= rules.version.homework.max_periods_per_day &&
      r.written_homework_g12 !== true
        ? {
            zh: `月报填报每日作业辅导 ${r.homework_periods} 课时，未超过规定`,
            en: `the report says ${r.homework_periods} homework period(s) a day, within the limit`,
          }
        : null,
    flagCodes: ['EXCESS_HOMEWORK', 'COLLECTIVE_TEACHING'],
    checklistItems: ['CONTENT'],
    surveyItem: /作业/u,
  },
  {
    id: 'SAFETY',
    reportSays: (r) =>
      r.incidents === 0
        ? { zh: '月报填报安全事故 0 起', en: 'the report says there were no incidents' }
        : null,
    flagCodes: ['SAFETY_INCIDENT'],
    checklistItems: ['SAFETY'],
    surveyItem: /安全/u,
  },
];
