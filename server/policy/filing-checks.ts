/**
 * Each semester filing checked against the policy in force at the semester's start, every
 * deviation named in Chinese and English. Pure: the service, the semester judge (flags)
 * and the tests share it, so a deviation the form shows is the one a flag is raised on.
 */
import { addDays, addMonths, isAutumnSemester, parsePeriod, type Period } from '../db/calendar.ts';
import type { Stage } from '../db/tables/schools.table.ts';
import { PRIORITY_GROUPS } from '../db/vocabulary/priority-groups.ts';
import { monthRules, minutesToHhmm } from './month-rules.ts';
import { policyFor, type DistrictPolicy, type PolicyVersion } from './policy.ts';
import { hhmmToMinutes } from './policy.schema.ts';
import type {
  AgreementFields,
  FeesFields,
  FilingFields,
  PayFields,
  PlanFields,
  SurveyFields,
} from './filing-payloads.ts';

export interface Deviation {
  /** A short id within the kind, e.g. "days_per_week". */
  check: string;
  /** "中文 / English". */
  message: string;
}

/** A semester as the filings see it: its months, first school day and policy version. */
export interface FilingSemester {
  period: Period;
  /** "YYYY-MM-DD": the first school day (policy filings.semester_start). */
  startDate: string;
  /** The day after the last calendar day of the semester's last month. */
  endDate: string;
  version: PolicyVersion;
}

/** The semester "2025-2026-1" under `policy`, or null when the text names no semester. */
export function filingSemester(policy: DistrictPolicy, key: string): FilingSemester | null {
  const period = parsePeriod(key);
  if (period === null || period.kind !== 'SEMESTER') return null;
  const first = period.months[0] as string;
  const last = period.months[period.months.length - 1] as string;
  const version = policyFor(policy, first);
  const start = isAutumnSemester(first)
    ? version.filings.semester_start.autumn
    : version.filings.semester_start.spring;
  const end = `${addMonths(last, 1)}-01`;
  return { period, startDate: `${first.slice(0, 4)}-${start}`, endDate: end, version };
}

/** The last day (inclusive, 23:59:59 Asia/Shanghai) a kind with `days` is due. */
export function dueDate(semester: FilingSemester, days: number): string {
  return addDays(semester.startDate, days);
}

const yuan = (n: number): string => `${Math.round(n * 100) / 100} 元`;
const ratio = (n: number, d: number): number | null => (d > 0 ? n / d : null);

function checkPlan(f: PlanFields, s: FilingSemester, stage: Stage): Deviation[] {
  const v = s.version;
  const out: Deviation[] = [];
  if (f.daysPerWeek < v.service.days_per_week)
    out.push({
      check: 'days_per_week',
      message: `每周服务 ${f.daysPerWeek} 天，少于规定的 ${v.service.days_per_week} 天 / ${f.daysPerWeek} service days a week, fewer than the required ${v.service.days_per_week}`,
    });
  const minutes = hhmmToMinutes(f.endTime) - hhmmToMinutes(f.startTime);
  if (minutes <= 0)
    out.push({
      check: 'times',
      message: `结束时间 ${f.endTime} 不晚于开始时间 ${f.startTime} / end ${f.endTime} is not after start ${f.startTime}`,
    });
  else if (minutes < v.service.min_daily_minutes)
    out.push({
      check: 'daily_minutes',
      message: `每日服务 ${minutes} 分钟，少于规定的 ${v.service.min_daily_minutes} 分钟 / ${minutes} minutes a day, less than the required ${v.service.min_daily_minutes}`,
    });
  // The semester's first month's caps: a seasonal (winter) cap is judged by the monthly reports.
  const rules = monthRules(
    { district: '', versions: [v], sha256: '' },
    s.period.months[0] as string,
  );
  if (rules.maxDailyMinutes !== null && minutes > rules.maxDailyMinutes)
    out.push({
      check: 'max_daily_minutes',
      message: `每日服务 ${minutes} 分钟，超过上限 ${rules.maxDailyMinutes} 分钟 / ${minutes} minutes a day, over the ${rules.maxDailyMinutes}-minute cap`,
    });
  const cap = rules.latestEnd[stage];
  if (hhmmToMinutes(f.endTime) > cap.minutes)
    out.push({
      check: 'latest_end',
      message: `结束时间 ${f.endTime} 晚于规定的 ${cap.text} / ends at ${f.endTime}, after the cap ${minutesToHhmm(cap.minutes)}`,
    });
  if (rules.earliestEnd !== null && hhmmToMinutes(f.endTime) < rules.earliestEnd.minutes)
    out.push({
      check: 'earliest_end',
      message: `结束时间 ${f.endTime} 早于当地下班时间 ${minutesToHhmm(rules.earliestEnd.minutes)} / ends at ${f.endTime}, before working hours end`,
    });
  const homework = f.contentMix
    .filter((c) => c.kind === 'HOMEWORK')
    .reduce((sum, c) => sum + c.periodsPerWeek, 0);
  const homeworkCap = v.homework.max_periods_per_day * f.daysPerWeek;
  if (homework > homeworkCap)
    out.push({
      check: 'homework',
      message: `作业辅导每周 ${homework} 课时，超过每天 ${v.homework.max_periods_per_day} 课时（每周 ${homeworkCap} 课时） / ${homework} homework periods a week, over ${homeworkCap}`,
    });
  if (f.contentMix.every((c) => c.kind === 'HOMEWORK' || c.periodsPerWeek === 0))
    out.push({
      check: 'content_mix',
      message:
        '服务内容只有作业辅导，缺少阅读、体育、艺术等活动 / the plan offers homework supervision only',
    });
  if (f.thirdPartyProviders > 0 && !v.providers.third_party_allowed)
    out.push({
      check: 'third_party',
      message: `引入第三方机构 ${f.thirdPartyProviders} 家，本区不允许第三方机构进校 / ${f.thirdPartyProviders} third-party providers; the district does not allow them`,
    });
  const feeCap = v.fees.caps.per_period;
  if (feeCap !== null && f.feePerPeriod > feeCap)
    out.push({
      check: 'fee_per_period',
      message:
        feeCap === 0
          ? `每课时收费 ${yuan(f.feePerPeriod)}，本区课后服务免费 / charges ${yuan(f.feePerPeriod)} a period; the service is free here`
          : `每课时收费 ${yuan(f.feePerPeriod)}，超过上限 ${yuan(feeCap)} / charges ${yuan(f.feePerPeriod)} a period, over the cap ${yuan(feeCap)}`,
    });
  if (f.priorityArrangements.length === 0)
    out.push({
      check: 'priority',
      message: `未写明优先保障群体（${PRIORITY_GROUPS.map((g) => g.zh).join('、')}）的安排 / no arrangements for priority groups`,
    });
  return out;
}

function checkSurvey(f: SurveyFields, s: FilingSemester, enrolled: number | null): Deviation[] {
  const out: Deviation[] = [];
  if (f.date < s.startDate || f.date >= s.endDate)
    out.push({
      check: 'date',
      message: `征询日期 ${f.date} 不在本学期（${s.startDate} 起）内 / survey date ${f.date} is outside the semester`,
    });
  const demand = f.demandByGrade.reduce((sum, g) => sum + g.demand, 0);
  if (demand > f.respondents)
    out.push({
      check: 'demand',
      message: `各年级需求合计 ${demand} 人，多于答卷 ${f.respondents} 份 / demand ${demand} exceeds ${f.respondents} respondents`,
    });
  if (enrolled !== null && f.respondents > enrolled)
    out.push({
      check: 'respondents',
      message: `答卷 ${f.respondents} 份，多于在校生 ${enrolled} 人 / ${f.respondents} respondents exceed ${enrolled} enrolled`,
    });
  return out;
}

function checkAgreement(f: AgreementFields): Deviation[] {
  if (f.signed >= f.studentsServed) return [];
  return [
    {
      check: 'signed',
      message: `签订服务协议 ${f.signed} 份，少于服务学生 ${f.studentsServed} 人 / ${f.signed} agreements signed for ${f.studentsServed} pupils served`,
    },
  ];
}

function checkFees(f: FeesFields, s: FilingSemester): Deviation[] {
  const out: Deviation[] = [];
  const rules = s.version.filings;
  if (!f.charged) return out;
  if (rules.fees_published_before_first_fee) {
    if (f.publishedDate === null)
      out.push({ check: 'unpublished', message: '收费未公示 / fees not published' });
    else if (f.firstFeeDate !== null && f.publishedDate > f.firstFeeDate)
      out.push({
        check: 'unpublished',
        message: `收费公示于 ${f.publishedDate}，晚于首次收费 ${f.firstFeeDate} / published ${f.publishedDate}, after the first fee on ${f.firstFeeDate}`,
      });
    if (f.publishedDate !== null && (f.publishedWhere ?? '') === '')
      out.push({
        check: 'published_where',
        message: '未写明公示位置 / where the fees were published is missing',
      });
  }
  if (rules.refunds_required && f.refundPerAbsentDay === null)
    out.push({
      check: 'no_refunds',
      message: '未备案按缺勤天数退费办法 / no refund by days of absence filed',
    });
  return out;
}

function checkPay(f: PayFields, s: FilingSemester): Deviation[] {
  const out: Deviation[] = [];
  const r = s.version.filings;
  const perPeriod = ratio(f.teacherPay, f.periods);
  if (
    r.max_teacher_pay_per_period !== null &&
    perPeriod !== null &&
    perPeriod > r.max_teacher_pay_per_period
  )
    out.push({
      check: 'filed_pay',
      message: `教师课时补助每课时 ${yuan(perPeriod)}，超过上限 ${yuan(r.max_teacher_pay_per_period)} / teacher pay ${yuan(perPeriod)} a period, over the cap`,
    });
  const perTeacher = ratio(f.performancePay, f.teachers);
  if (
    r.max_performance_pay_per_teacher !== null &&
    perTeacher !== null &&
    perTeacher > r.max_performance_pay_per_teacher
  )
    out.push({
      check: 'filed_performance',
      message: `人均绩效 ${yuan(perTeacher)}，超过上限 ${yuan(r.max_performance_pay_per_teacher)} / performance pay ${yuan(perTeacher)} a teacher, over the cap`,
    });
  const perStudent = ratio(f.subsidy, f.studentsServed);
  if (
    r.max_subsidy_per_student !== null &&
    perStudent !== null &&
    perStudent > r.max_subsidy_per_student
  )
    out.push({
      check: 'filed_subsidy',
      message: `生均补助 ${yuan(perStudent)}，超过上限 ${yuan(r.max_subsidy_per_student)} / subsidy ${yuan(perStudent)} a pupil, over the cap`,
    });
  return out;
}

/** What a filing needs beyond its fields: the school's stage and enrolment (or null). */
export interface FilingContext {
  stage: Stage;
  enrolled: number | null;
}

/** Every deviation of one filing from the policy in force at its semester's start. */
export function filingDeviations(
  filing: FilingFields,
  semester: FilingSemester,
  context: FilingContext,
): Deviation[] {
  switch (filing.kind) {
    case 'PLAN':
      return checkPlan(filing.fields, semester, context.stage);
    case 'SURVEY':
      return checkSurvey(filing.fields, semester, context.enrolled);
    case 'AGREEMENT':
      return checkAgreement(filing.fields);
    case 'FEES':
      return checkFees(filing.fields, semester);
    case 'PAY':
      return checkPay(filing.fields, semester);
  }
}

/** 需求征询 coverage: respondents / enrolled, null without an enrolment. */
export function surveyCoverage(respondents: number, enrolled: number | null): number | null {
  return enrolled === null ? null : ratio(respondents, enrolled);
}
