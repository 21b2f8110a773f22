/**
 * One school-month's 学校月报 line: the school's habits kept within the month's policy
 * (service on every school day, at least the daily minimum, ending by the stage's latest
 * time, free or within the fee cap, groups within the maximum, …), then the planted break,
 * if any, changing only the one field its rule reads.
 */
import { between, clamp, type SchoolProfile } from './bench-district.ts';
import type { GradeRow } from './participation-rows.ts';
import { totals } from './participation-rows.ts';
import type { PlantedRule } from './planted-breaks.ts';
import { hhmm, type MonthLimits } from './policy-limits.ts';

export const MONTHLY_HEADER =
  '学校标识码,学校名称,填报月份,上学天数,开展天数,日均服务时长（分钟）,最晚结束时间,每日作业辅导课时,一二年级布置书面作业,收费标准（元/课时）,收费减免人数,减免对象仍收费人数,收费公示,参与教师数,教师课时补助（元/课时）,校外人员数,第三方机构数,其中未经审核机构数,最大班额,安全事故数,投诉数';

interface MonthlyReport {
  schoolDays: number;
  serviceDays: number;
  dailyMinutes: number;
  /** Minutes after midnight; null: no service, the cell stays empty. */
  end: number | null;
  homework: number;
  writtenG12: boolean;
  fee: number;
  feeWaived: number;
  waivedButCharged: number;
  published: boolean;
  teachersServing: number;
  teacherPay: number;
  externalStaff: number;
  providers: number;
  unapproved: number;
  largestGroup: number;
  incidents: number;
  complaints: number;
}

export function monthlyLine(
  p: SchoolProfile,
  month: string,
  m: MonthLimits,
  rule: PlantedRule | null,
  rows: readonly GradeRow[],
  schoolDays: number,
  random: () => number,
): string {
  const { participants, poorServed } = totals(rows);
  const fee = m.feeCapPeriod === null ? p.fee : Math.min(p.fee, m.feeCapPeriod);
  const r: MonthlyReport = {
    schoolDays,
    serviceDays: schoolDays,
    dailyMinutes: Math.max(p.dailyMinutes, m.minDailyMinutes),
    end: m.latestEnd[p.stage] - p.endSlack,
    homework: Math.min(1, m.homeworkMax),
    writtenG12: false,
    fee,
    // Poor families pay nothing (or half): they are counted as waived wherever a fee is charged.
    feeWaived: fee > 0 ? poorServed : 0,
    waivedButCharged: 0,
    published: true,
    teachersServing: clamp(
      Math.round(p.teachersTotal * (p.serveShare + (random() - 0.5) * 0.04)),
      1,
      p.teachersTotal,
    ),
    teacherPay: p.teacherPay,
    externalStaff: p.externalStaff,
    providers: m.thirdPartyAllowed ? p.providers : 0,
    unapproved: 0,
    largestGroup: Math.min(m.maxGroup, p.largestGroup, Math.max(participants, 1)),
    incidents: 0,
    complaints: random() < 0.03 ? 1 : 0,
  };
  if (rule !== null) plant(r, rule, p, m, poorServed, random);
  return [
    p.code,
    `第${p.index}学校`,
    month,
    r.schoolDays,
    r.serviceDays,
    r.dailyMinutes,
    r.end === null ? '' : hhmm(r.end),
    r.homework,
    r.writtenG12 ? '是' : '否',
    r.fee,
    r.feeWaived,
    r.waivedButCharged,
    r.published ? '是' : '否',
    r.teachersServing,
    r.teacherPay,
    r.externalStaff,
    r.providers,
    r.unapproved,
    r.largestGroup,
    r.incidents,
    r.complaints,
  ].join(',');
}

/** Changes what `rule` reads, just past its threshold; participation rules change nothing here. */
function plant(
  r: MonthlyReport,
  rule: PlantedRule,
  p: SchoolProfile,
  m: MonthLimits,
  poorServed: number,
  random: () => number,
): void {
  switch (rule) {
    case 'LATE_END.after_cap':
      r.end = Math.min(23 * 60 + 50, m.latestEnd[p.stage] + 10 * between(random, 1, 5));
      break;
    case 'SHORT_SERVICE.days': {
      // Fewer days than school days × days_per_week / 5 (the rule compares in integers).
      const required = Math.ceil((r.schoolDays * m.daysPerWeek) / 5);
      r.serviceDays = Math.max(1, required - between(random, 1, 4));
      break;
    }
    case 'SHORT_SERVICE.minutes':
      r.dailyMinutes = Math.max(30, m.minDailyMinutes - 5 * between(random, 2, 6));
      break;
    case 'NOT_OFFERED.no_service':
      Object.assign(r, {
        serviceDays: 0,
        dailyMinutes: 0,
        end: null,
        homework: 0,
        feeWaived: 0,
        teachersServing: 0,
        externalStaff: 0,
        providers: 0,
        largestGroup: 0,
      });
      break;
    case 'EXCESS_HOMEWORK.homework_periods':
      r.homework = Math.min(4, m.homeworkMax + (random() < 0.5 ? 0.5 : 1));
      break;
    case 'EXCESS_HOMEWORK.written_g12':
      r.writtenG12 = true;
      break;
    case 'ILLEGAL_FEES.per_period':
      r.fee = Number(((m.feeCapPeriod ?? 0) + 1 + random() * 2).toFixed(1));
      r.feeWaived = poorServed;
      break;
    case 'UNAPPROVED_PROVIDER.unapproved':
      r.providers = Math.max(1, r.providers);
      r.unapproved = 1;
      break;
    case 'OVERSIZED_GROUP.largest_group':
      r.largestGroup = m.maxGroup + between(random, 3, 17);
      break;
    case 'SAFETY_INCIDENT.incidents':
      r.incidents = 1;
      break;
    default:
      break;
  }
}
