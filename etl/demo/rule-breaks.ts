/**
 * Which schools break which rules, and when. About one school in eight misbehaves,
 * each in its own way and only for a few months, because that is what inspectors
 * actually find: a school that ran late for a month, a town that charged too much for a
 * semester, not a district where everything is red.
 */
import type { Rng } from './random.ts';
import type { RuleCode } from './model.ts';
import type { SchoolPlan } from './school-plan.ts';

export type Variant =
  | 'late'
  | 'short_days'
  | 'short_minutes'
  | 'fee_over_cap'
  | 'charged_waived'
  | 'unpublished'
  | 'unapproved'
  | 'homework_periods'
  | 'written_g12'
  | 'oversized'
  | 'incident'
  | 'forced'
  | 'gap_migrant'
  | 'gap_left_behind'
  | 'missing'
  | 'none';

export interface PlannedBreak {
  rule: RuleCode;
  variant: Variant;
  months: ReadonlySet<string>;
}

/** Kinds in the order they are first handed out, so every kind shows up at ~150 schools. */
const COVERAGE: readonly RuleCode[] = [
  'LATE_END',
  'SHORT_SERVICE',
  'ILLEGAL_FEES',
  'UNAPPROVED_PROVIDER',
  'EXCESS_HOMEWORK',
  'MISSING_REPORT',
  'OVERSIZED_GROUP',
  'PRIORITY_GAP',
  'FORCED_PARTICIPATION',
  'SAFETY_INCIDENT',
  'NOT_OFFERED',
  'MISSING_REPORT',
  'ILLEGAL_FEES',
  'SHORT_SERVICE',
  'ILLEGAL_FEES',
  'EXCESS_HOMEWORK',
  'PRIORITY_GAP',
];

/** Each rule's variants in the order they are handed out, so repeats show another face. */
const VARIANT_CYCLE: Record<RuleCode, readonly Variant[]> = {
  LATE_END: ['late'],
  SHORT_SERVICE: ['short_days', 'short_minutes'],
  ILLEGAL_FEES: ['fee_over_cap', 'charged_waived', 'unpublished'],
  UNAPPROVED_PROVIDER: ['unapproved'],
  EXCESS_HOMEWORK: ['written_g12', 'homework_periods'],
  OVERSIZED_GROUP: ['oversized'],
  SAFETY_INCIDENT: ['incident'],
  FORCED_PARTICIPATION: ['forced'],
  PRIORITY_GAP: ['gap_migrant', 'gap_left_behind'],
  MISSING_REPORT: ['missing'],
  NOT_OFFERED: ['none'],
};

const WEIGHTS: readonly (readonly [RuleCode, number])[] = [
  ['LATE_END', 1],
  ['SHORT_SERVICE', 1.2],
  ['ILLEGAL_FEES', 1.2],
  ['UNAPPROVED_PROVIDER', 0.8],
  ['EXCESS_HOMEWORK', 1],
  ['OVERSIZED_GROUP', 0.8],
  ['SAFETY_INCIDENT', 0.6],
  ['FORCED_PARTICIPATION', 0.6],
  ['PRIORITY_GAP', 0.8],
  ['MISSING_REPORT', 0.3],
  ['NOT_OFFERED', 0.15],
];

const SINGLE_MONTH: ReadonlySet<RuleCode> = new Set([
  'MISSING_REPORT',
  'NOT_OFFERED',
  'SAFETY_INCIDENT',
]);

function pupils(p: SchoolPlan): number {
  return p.cohortBase * p.grades.length;
}

/** The variants of `rule` that make sense at this school (no 18:40 rule for a junior school). */
function variantsFor(rule: RuleCode, p: SchoolPlan): Variant[] {
  const s = p.school;
  switch (rule) {
    case 'LATE_END':
      return s.stage === '小学' ? ['late'] : [];
    case 'SHORT_SERVICE':
      return ['short_days', 'short_minutes'];
    case 'ILLEGAL_FEES':
      return p.fee > 0 && pupils(p) * p.groupRates.poor >= 8
        ? ['charged_waived', 'unpublished', 'fee_over_cap']
        : ['fee_over_cap'];
    case 'UNAPPROVED_PROVIDER':
      return ['unapproved'];
    case 'EXCESS_HOMEWORK':
      return p.grades.includes(1) ? ['written_g12', 'homework_periods'] : ['homework_periods'];
    case 'OVERSIZED_GROUP':
      return pupils(p) >= 300 ? ['oversized'] : [];
    case 'SAFETY_INCIDENT':
      return ['incident'];
    case 'FORCED_PARTICIPATION':
      return p.cohortBase >= 20 ? ['forced'] : [];
    case 'PRIORITY_GAP': {
      const out: Variant[] = [];
      if (pupils(p) * p.groupRates.migrant >= 25) out.push('gap_migrant');
      if (pupils(p) * p.groupRates.left_behind >= 25) out.push('gap_left_behind');
      return out;
    }
    case 'MISSING_REPORT':
      return ['missing'];
    case 'NOT_OFFERED':
      return ['none'];
  }
}

function window(rule: RuleCode, months: readonly string[], rng: Rng): Set<string> {
  // The newest month's one missing report is planted on its own (newestMonthMissing).
  if (rule === 'MISSING_REPORT') months = months.slice(0, -1);
  const len = SINGLE_MONTH.has(rule)
    ? 1
    : Math.min(
        months.length,
        rng.weighted([
          [1, 0.3],
          [2, 0.25],
          [3, 0.2],
          [4, 0.15],
          [5, 0.1],
        ]),
      );
  const start = rng.int(0, months.length - len);
  return new Set(months.slice(start, start + len));
}

export function planRuleBreaks(
  plans: readonly SchoolPlan[],
  months: readonly string[],
  rng: Rng,
): Map<string, PlannedBreak[]> {
  const out = new Map<string, PlannedBreak[]>();
  if (months.length === 0 || plans.length === 0) return out;
  const target = Math.max(1, Math.round(plans.length * rng.float(0.11, 0.14)));
  const order = rng.shuffle(plans);
  const taken = new Set<string>();
  const handedOut = new Map<RuleCode, number>();
  const assign = (rule: RuleCode, candidates: readonly SchoolPlan[], onlyNew: boolean): boolean => {
    if (rule === 'MISSING_REPORT' && months.length < 2) return false;
    const cycle = VARIANT_CYCLE[rule];
    const n = handedOut.get(rule) ?? 0;
    const wanted = cycle[n % cycle.length];
    const free = candidates.filter((p) => {
      const list = out.get(p.school.school_code) ?? [];
      return (
        onlyNew !== taken.has(p.school.school_code) &&
        !list.some((b) => b.rule === rule || SINGLE_MONTH.has(b.rule))
      );
    });
    // The school that can show the wanted variant first; otherwise any that can break the rule.
    const p =
      free.find((c) => wanted !== undefined && variantsFor(rule, c).includes(wanted)) ??
      free.find((c) => variantsFor(rule, c).length > 0);
    if (!p) return false;
    const variants = variantsFor(rule, p);
    const variant =
      wanted !== undefined && variants.includes(wanted) ? wanted : (variants[0] as Variant);
    const code = p.school.school_code;
    out.set(code, [...(out.get(code) ?? []), { rule, variant, months: window(rule, months, rng) }]);
    taken.add(code);
    handedOut.set(rule, n + 1);
    return true;
  };

  for (let i = 0; taken.size < target && i < target * 4; i++) {
    const rule = COVERAGE[i] ?? rng.weighted(WEIGHTS);
    assign(rule, order, true);
  }
  // A third of the offenders break a second rule too (a school that runs late often
  // also overcharges); they stay the same schools, so the share does not grow.
  for (const p of order.filter((p) => taken.has(p.school.school_code))) {
    if (!rng.chance(0.3)) continue;
    const rule = rng.weighted(
      WEIGHTS.filter(([r]) => !SINGLE_MONTH.has(r) || r === 'SAFETY_INCIDENT'),
    );
    assign(rule, [p], false);
  }
  return out;
}

/**
 * Exactly one school misses the newest month's report, as in any district at any time: one
 * of `preferred` (the featured inspector's schools) when it can, else any. The school is one
 * that already misbehaves and has no other single-month break, so the share of offenders
 * stays the same. Returns its code, or null when there is no month or school.
 */
export function newestMonthMissing(
  breaks: Map<string, PlannedBreak[]>,
  plans: readonly SchoolPlan[],
  preferred: ReadonlySet<string>,
  months: readonly string[],
): string | null {
  const newest = months[months.length - 1];
  if (newest === undefined || plans.length === 0) return null;
  const fits = (p: SchoolPlan): boolean =>
    !(breaks.get(p.school.school_code) ?? []).some((b) => SINGLE_MONTH.has(b.rule));
  const offenders = plans.filter((p) => breaks.has(p.school.school_code) && fits(p));
  const chosen =
    offenders.find((p) => preferred.has(p.school.school_code)) ??
    plans.find((p) => preferred.has(p.school.school_code) && fits(p)) ??
    offenders[0] ??
    plans.find(fits);
  if (!chosen) return null;
  const code = chosen.school.school_code;
  breaks.set(code, [
    ...(breaks.get(code) ?? []),
    { rule: 'MISSING_REPORT', variant: 'missing', months: new Set([newest]) },
  ]);
  return code;
}
