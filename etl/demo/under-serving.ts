/**
 * Schools that serve their migrant or disabled children less well than their other pupils:
 * not by enough to break the policy (a gap of more than 10 points among 20 or more pupils,
 * which rule-breaks.ts plants on its own), but enough that the priority-group view shows a
 * negative gap. Real districts have them: a migrant family works late and cannot fetch the
 * child, a school has no aide for a disabled pupil.
 */
import type { Rng } from './random.ts';
import type { ParticipationRow } from './model.ts';
import type { SchoolPlan } from './school-plan.ts';
import type { PlannedBreak } from './rule-breaks.ts';

export type UnderServedGroup = 'migrant' | 'disabled';

/** Percentage points a group trails its school by, per under-served group. */
export type UnderServing = Partial<Record<UnderServedGroup, number>>;

/** Largest gap planted among 20 or more pupils: well inside the 10 points that raise a flag. */
const MAX_QUIET_GAP = 0.07;
/** The priority-gap rule's minimum group size (qinghe-policy.yaml min_group_enrolled). */
const FLAGGED_GROUP_SIZE = 20;

function pupils(p: SchoolPlan): number {
  return p.cohortBase * p.grades.length;
}

/**
 * About one school in six trails with its migrant children (where it has 40 or more) and
 * one in five with its disabled children (where it has a few); at least one of each among
 * `preferred` (the featured inspector's schools) when they have such pupils. Schools
 * planned to breach the priority-gap rule for a group are left to that rule.
 */
export function planUnderServing(
  plans: readonly SchoolPlan[],
  breaks: ReadonlyMap<string, readonly PlannedBreak[]>,
  preferred: ReadonlySet<string>,
  rng: Rng,
): Map<string, UnderServing> {
  const out = new Map<string, UnderServing>();
  const gapPlanned = (p: SchoolPlan): boolean =>
    (breaks.get(p.school.school_code) ?? []).some(
      (b) => b.rule === 'PRIORITY_GAP' || b.variant === 'forced' || b.variant === 'none',
    );
  const eligible: Record<UnderServedGroup, (p: SchoolPlan) => boolean> = {
    migrant: (p) => !gapPlanned(p) && pupils(p) * p.groupRates.migrant >= 40,
    disabled: (p) => !gapPlanned(p) && pupils(p) * p.groupRates.disabled >= 2,
  };
  const share: Record<UnderServedGroup, number> = { migrant: 1 / 6, disabled: 1 / 5 };
  const points: Record<UnderServedGroup, readonly [number, number]> = {
    migrant: [3, 6],
    disabled: [12, 30],
  };
  for (const group of ['migrant', 'disabled'] as const) {
    const candidates = plans.filter(eligible[group]);
    const chosen = new Set(
      candidates.filter(() => rng.chance(share[group])).map((p) => p.school.school_code),
    );
    const featured = candidates.find((p) => preferred.has(p.school.school_code));
    if (featured && ![...chosen].some((c) => preferred.has(c)))
      chosen.add(featured.school.school_code);
    for (const p of candidates) {
      const code = p.school.school_code;
      if (!chosen.has(code)) continue;
      const [lo, hi] = points[group];
      out.set(code, { ...out.get(code), [group]: rng.int(lo, hi) });
    }
  }
  return out;
}

/**
 * Lowers the group's participants in one school-month so the group's rate is `points` below
 * the school's (never more than MAX_QUIET_GAP among 20 or more pupils), taking pupils from
 * the grades that serve most of the group first. At least one pupil fewer is served, so the
 * gap shows however small the group.
 */
export function underServe(
  rows: ParticipationRow[],
  group: UnderServedGroup,
  points: number,
): void {
  const enrolledKey = `${group}_enrolled` as const;
  const servedKey = `${group}_participants` as const;
  const groupEnrolled = rows.reduce((n, r) => n + r[enrolledKey], 0);
  const enrolled = rows.reduce((n, r) => n + r.enrolled, 0);
  const participants = rows.reduce((n, r) => n + r.participants, 0);
  const served = rows.reduce((n, r) => n + r[servedKey], 0);
  if (groupEnrolled === 0 || enrolled === 0 || served === 0) return;
  const rate = participants / enrolled;
  let target = Math.floor(groupEnrolled * (rate - points / 100));
  if (groupEnrolled >= FLAGGED_GROUP_SIZE)
    target = Math.max(target, Math.ceil(groupEnrolled * (rate - MAX_QUIET_GAP)));
  target = Math.max(0, Math.min(target, served - 1));
  let cut = served - target;
  const order = rows
    .map((r, i) => [r, i] as const)
    .sort((a, b) => b[0][servedKey] - a[0][servedKey] || a[1] - b[1]);
  for (const [row] of order) {
    if (cut <= 0) break;
    const take = Math.min(cut, row[servedKey]);
    row[servedKey] -= take;
    cut -= take;
  }
}
