/**
 * The thresholds the generators keep to (or break on purpose), read from the DEFAULT
 * policy file the benchmark warehouses store (server/policy/district-policy.yaml, flattened
 * per month by monthRules exactly as the rules engine does), so the synthetic reports follow
 * whatever that file says instead of numbers copied here.
 */
import { monthRules } from '../../server/policy/month-rules.ts';
import { DEFAULT_POLICY_PATH, loadPolicy } from '../../server/policy/policy.ts';
import type { StageName } from './bench-district.ts';

export interface MonthLimits {
  month: string;
  /** Whether service (and a monthly report) is expected at all. */
  serviceMonth: boolean;
  /** Report due (ISO instant): a missing report is only flagged once this has passed. */
  reportDueAt: string;
  /** Latest end time of each registry stage, minutes after midnight. */
  latestEnd: Record<StageName, number>;
  daysPerWeek: number;
  minDailyMinutes: number;
  homeworkMax: number;
  writtenForbidden: boolean;
  maxGroup: number;
  /** Yuan per period; null: not capped. */
  feeCapPeriod: number | null;
  /** True when another fee cap (day, month, semester) could fire alongside per_period. */
  otherFeeCaps: boolean;
  thirdPartyAllowed: boolean;
  minDemandRate: number | null;
  maxGapPoints: number | null;
  minGroupEnrolled: number;
  /** Rule ids and catalogue codes the policy switches off. */
  disabled: ReadonlySet<string>;
}

/** The policy's path: the default file, never KEHOU_POLICY (the benches store the default). */
export const BENCH_POLICY_PATH = DEFAULT_POLICY_PATH;

export function defaultLimits(months: readonly string[]): Map<string, MonthLimits> {
  const policy = loadPolicy(BENCH_POLICY_PATH);
  const out = new Map<string, MonthLimits>();
  for (const month of months) {
    const r = monthRules(policy, month);
    const v = r.version;
    const caps = v.fees.caps;
    out.set(month, {
      month,
      serviceMonth: r.serviceMonth,
      reportDueAt: r.reportDueAt,
      latestEnd: {
        小学: r.latestEnd.primary.minutes,
        初中: r.latestEnd.junior.minutes,
        九年一贯制: r.latestEnd.nine_year.minutes,
      },
      daysPerWeek: v.service.days_per_week,
      minDailyMinutes: v.service.min_daily_minutes,
      homeworkMax: v.homework.max_periods_per_day,
      writtenForbidden: v.homework.written_forbidden_grades_1_2,
      maxGroup: v.groups.max_size,
      feeCapPeriod: caps.per_period,
      otherFeeCaps: caps.per_day !== null || caps.per_month !== null || caps.per_semester !== null,
      thirdPartyAllowed: v.providers.third_party_allowed,
      minDemandRate: v.participation.min_demand_met_rate,
      maxGapPoints: v.priority_gap.max_gap_points,
      minGroupEnrolled: v.priority_gap.min_group_enrolled,
      disabled: new Set(v.disabled_rules),
    });
  }
  return out;
}

/** 'HH:MM' of minutes after midnight. */
export function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
