/**
 * Which school-months of a benchmark district break a rule, and which one. Realistic runs
 * break about 3 % of school-months, one rule each, spread over the rule types with the
 * demo district's weights (a late end or an over-cap fee is common, a school with no service
 * at all is rare); `--stress` makes every school-month break exactly one rule, drawn evenly
 * over the rules, so the flags path runs at full volume.
 *
 * Only rules a report can break on its own under the policy are planted: each planted
 * school-month should raise exactly that one flag (rule id), and the benches print planted
 * against raised. Not plantable under the default policy: EXCESS_DURATION (no maximum),
 * SHORT_SERVICE.early_end (no floor), ILLEGAL_ALLOWANCES (no pay cap), the day, month and
 * semester fee caps (none), UNAPPROVED_PROVIDER.not_allowed (providers allowed), and
 * ILLEGAL_FEES.waived_charged / .unpublished (service is free: a fee that breaks them
 * already breaks per_period, so they never come alone).
 */
import { groupEnrolled, rng, type PriorityGroup, type SchoolProfile } from './bench-district.ts';
import type { MonthLimits } from './policy-limits.ts';

/** Rules a monthly report breaks (the participation file alone cannot). */
const MONTHLY_RULES = [
  'LATE_END.after_cap',
  'SHORT_SERVICE.days',
  'SHORT_SERVICE.minutes',
  'NOT_OFFERED.no_service',
  'EXCESS_HOMEWORK.homework_periods',
  'EXCESS_HOMEWORK.written_g12',
  'ILLEGAL_FEES.per_period',
  'UNAPPROVED_PROVIDER.unapproved',
  'OVERSIZED_GROUP.largest_group',
  'SAFETY_INCIDENT.incidents',
  // A school-month with no report at all (neither file): the sweep after the load flags it.
  'MISSING_REPORT.missing',
  // Participation rows break it, but it is judged only where a report shows service.
  'NOT_OFFERED.turned_away',
] as const;

/** Rules the participation rows break by themselves. */
const PARTICIPATION_RULES = [
  'FORCED_PARTICIPATION.over_applicants',
  'PRIORITY_GAP.left_behind',
  'PRIORITY_GAP.migrant',
  'PRIORITY_GAP.disabled',
  'PRIORITY_GAP.poor',
] as const;

export const PLANTABLE_RULES = [...MONTHLY_RULES, ...PARTICIPATION_RULES] as const;
export type PlantedRule = (typeof PLANTABLE_RULES)[number];

/** The demo district's weights per catalogue code, shared evenly by the code's rule ids. */
const CODE_WEIGHT: Record<string, number> = {
  LATE_END: 1,
  SHORT_SERVICE: 1.2,
  ILLEGAL_FEES: 1.2,
  UNAPPROVED_PROVIDER: 0.8,
  EXCESS_HOMEWORK: 1,
  OVERSIZED_GROUP: 0.8,
  SAFETY_INCIDENT: 0.6,
  FORCED_PARTICIPATION: 0.6,
  PRIORITY_GAP: 0.8,
  MISSING_REPORT: 0.3,
  NOT_OFFERED: 0.15,
};

const codeOf = (rule: string): string => rule.slice(0, rule.indexOf('.'));

/** Share of school-months that break a rule in a realistic run. */
export const REALISTIC_SHARE = 0.03;

export interface PlanOptions {
  schools: readonly SchoolProfile[];
  /** The months reports are generated for. */
  months: readonly MonthLimits[];
  /** 'participation': only the participation file is generated (the ETL benchmark). */
  files: 'participation' | 'all';
  stress: boolean;
  seed: number;
  /** The load's clock: a missing report is flagged only after its deadline. */
  now: Date;
}

export interface BreakPlan {
  /** The rule school `school` (index into schools) breaks in month `month` (index), or null. */
  at(school: number, month: number): PlantedRule | null;
  /** Planted school-months per rule id. */
  counts: Record<string, number>;
  /** School-months the plan covers. */
  schoolMonths: number;
}

/** Whether the rule can be broken alone by this school in this month under the policy. */
function eligible(rule: PlantedRule, p: SchoolProfile, m: MonthLimits, now: Date): boolean {
  if (!m.serviceMonth || m.disabled.has(rule) || m.disabled.has(codeOf(rule))) return false;
  switch (rule) {
    case 'SHORT_SERVICE.days':
      return m.daysPerWeek > 0;
    case 'SHORT_SERVICE.minutes':
      return m.minDailyMinutes > 30;
    case 'EXCESS_HOMEWORK.homework_periods':
      return m.homeworkMax <= 3;
    case 'EXCESS_HOMEWORK.written_g12':
      return m.writtenForbidden && p.stage !== '初中';
    case 'ILLEGAL_FEES.per_period':
      return m.feeCapPeriod !== null && !m.otherFeeCaps;
    case 'UNAPPROVED_PROVIDER.unapproved':
      return m.thirdPartyAllowed;
    case 'MISSING_REPORT.missing':
      return Date.parse(m.reportDueAt) < now.getTime();
    case 'NOT_OFFERED.turned_away':
      return m.minDemandRate !== null && m.minDemandRate > 0.3;
    case 'PRIORITY_GAP.left_behind':
    case 'PRIORITY_GAP.migrant':
    case 'PRIORITY_GAP.disabled':
    case 'PRIORITY_GAP.poor': {
      const group = rule.slice('PRIORITY_GAP.'.length) as PriorityGroup;
      // Groups below the minimum are not judged; the margin keeps the planted one judged.
      return m.maxGapPoints !== null && groupEnrolled(p, group) >= m.minGroupEnrolled + 5;
    }
    default:
      return true;
  }
}

export function planBreaks(o: PlanOptions): BreakPlan {
  const rules: readonly PlantedRule[] = o.files === 'all' ? PLANTABLE_RULES : PARTICIPATION_RULES;
  const perCode = new Map<string, number>();
  for (const r of rules) perCode.set(codeOf(r), (perCode.get(codeOf(r)) ?? 0) + 1);
  const weight = (r: PlantedRule): number =>
    o.stress ? 1 : CODE_WEIGHT[codeOf(r)]! / perCode.get(codeOf(r))!;

  const random = rng(o.seed);
  // 0: no break; k: rules[k - 1]. One byte per school-month (10,000 × 18 = 180 KB).
  const cells = new Uint8Array(o.schools.length * o.months.length);
  const counts: Record<string, number> = {};
  for (const [mi, m] of o.months.entries()) {
    for (const [si, p] of o.schools.entries()) {
      if (!o.stress && random() >= REALISTIC_SHARE) continue;
      const candidates = rules.filter((r) => eligible(r, p, m, o.now));
      const total = candidates.reduce((s, r) => s + weight(r), 0);
      let pick = random() * total;
      const rule = candidates.find((r) => (pick -= weight(r)) < 0) ?? candidates.at(-1);
      if (rule === undefined) continue;
      cells[mi * o.schools.length + si] = rules.indexOf(rule) + 1;
      counts[rule] = (counts[rule] ?? 0) + 1;
    }
  }
  return {
    at: (school, month) => {
      const k = cells[month * o.schools.length + school]!;
      return k === 0 ? null : rules[k - 1]!;
    },
    counts,
    schoolMonths: cells.length,
  };
}
