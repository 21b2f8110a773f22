/**
 * The policy of one month made flat: seasons, stage fall-backs and evening study
 * resolved, so the rules engine joins one row per month and never interprets YAML.
 */
import { addMonths, shanghaiInstant } from '../db/calendar.ts';
import type { Stage } from '../db/tables/schools.table.ts';
import { hhmmToMinutes } from './policy.schema.ts';
import { policyFor, type DistrictPolicy, type PolicyVersion } from './policy.ts';

export const STAGES: readonly Stage[] = ['primary', 'junior', 'nine_year', 'complete'];

export const STAGE_LABELS: Record<Stage, string> = {
  primary: '小学',
  junior: '初中',
  nine_year: '九年一贯制学校',
  complete: '完全中学',
};

export interface EndCap {
  /** Minutes after midnight. */
  minutes: number;
  /** e.g. "18:00（小学，春冬季）". */
  text: string;
}

export interface MonthRules {
  month: string;
  version: PolicyVersion;
  /** Whether service (and so a monthly report) is expected this month. */
  serviceMonth: boolean;
  latestEnd: Record<Stage, EndCap>;
  earliestEnd: EndCap | null;
  /** Share of school days that must have service (days_per_week / 5). */
  requiredDayShare: number;
  /** Effective daily maximum in minutes (the tighter of minutes and periods), or null. */
  maxDailyMinutes: number | null;
  /** Report due: day N of the next month, 23:59:59 Asia/Shanghai, as an ISO instant. */
  reportDueAt: string;
}

export { hhmmToMinutes } from './policy.schema.ts';

export function minutesToHhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Day N of the next month at 23:59:59 in Asia/Shanghai (UTC+8, no daylight saving). */
export function reportDueAt(month: string, deadlineDay: number): string {
  const day = `${addMonths(month, 1)}-${String(deadlineDay).padStart(2, '0')}`;
  return shanghaiInstant(day, '23:59:59').toISOString();
}

function endCaps(v: PolicyVersion, monthNo: number): Record<Stage, EndCap> {
  const season = v.end_time.seasons.find((s) => s.months.includes(monthNo));
  const pick = (stage: Stage): { time: string; season: string | null } => {
    const fromSeason = season?.latest[stage];
    if (fromSeason !== undefined) return { time: fromSeason, season: season?.name ?? null };
    const own = v.end_time.latest[stage];
    if (own !== undefined) return { time: own, season: null };
    // Mixed-stage schools report one end time; their junior pupils may stay longest.
    const junior = season?.latest.junior ?? (v.end_time.latest.junior as string);
    return { time: junior, season: season?.latest.junior !== undefined ? season.name : null };
  };
  const out = {} as Record<Stage, EndCap>;
  for (const stage of STAGES) {
    const { time, season: seasonName } = pick(stage);
    let minutes = hhmmToMinutes(time);
    let text = `${time}（${STAGE_LABELS[stage]}${seasonName ? `，${seasonName}` : ''}）`;
    const evening = v.end_time.evening_study;
    if (evening && stage !== 'primary' && hhmmToMinutes(evening.until) > minutes) {
      minutes = hhmmToMinutes(evening.until);
      text = `${evening.until}（${STAGE_LABELS[stage]}含晚自习）`;
    }
    out[stage] = { minutes, text };
  }
  return out;
}

export function monthRules(policy: DistrictPolicy, month: string): MonthRules {
  const version = policyFor(policy, month);
  const monthNo = Number(month.slice(5, 7));
  const s = version.service;
  const limits = [
    s.max_daily_minutes,
    s.max_daily_periods === null ? null : s.max_daily_periods * s.minutes_per_period,
  ].filter((x): x is number => x !== null);
  const earliest = version.end_time.earliest;
  return {
    month,
    version,
    serviceMonth: !s.no_service_months.includes(monthNo),
    latestEnd: endCaps(version, monthNo),
    earliestEnd:
      earliest === null
        ? null
        : { minutes: hhmmToMinutes(earliest), text: `${earliest}（下班时间）` },
    requiredDayShare: s.days_per_week / 5,
    maxDailyMinutes: limits.length > 0 ? Math.min(...limits) : null,
    reportDueAt: reportDueAt(month, version.reports.deadline_day),
  };
}
