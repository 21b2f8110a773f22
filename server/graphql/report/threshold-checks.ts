/**
 * A school-month against a policy threshold, compared as the rules engine compares it
 * (etl/flags/rules/not-offered.ts, priority-gap.ts): in integers over the summed counts,
 * with the threshold as DECIMAL(18, 6) (millionths), so "exactly 10 points below" and
 * "exactly 95%" fall on the same side as in the flags, free of floating-point noise.
 */
import type { PriorityGroup, SchoolMonth } from '../__generated__/resolvers-types.ts';

const MICRO = 1_000_000;

function micros(x: number): bigint {
  return BigInt(Math.round(x * MICRO));
}

/** NOT_OFFERED.turned_away: serving, with applicants, and participants < applicants × floor. */
export function belowDemandFloor(s: SchoolMonth, floor: number): boolean {
  const { applicants, participants } = s;
  if (!s.offering || applicants === null || participants === null || applicants <= 0) return false;
  return BigInt(participants) * BigInt(MICRO) < BigInt(applicants) * micros(floor);
}

/**
 * PRIORITY_GAP.<group>: the group (at least `minGroup` enrolled) lags the school's overall
 * rate by more than `points` percentage points: 100·(P·ge − gp·E) > points·E·ge.
 */
export function gapBeyondLimit(
  s: SchoolMonth,
  group: PriorityGroup,
  points: number,
  minGroup: number,
): boolean {
  const g = s.priorityGroups.find((x) => x.group === group);
  const { enrolled, participants } = s;
  if (!g || g.enrolled === null || g.participants === null) return false;
  if (enrolled === null || participants === null || enrolled <= 0 || g.enrolled < minGroup)
    return false;
  const [E, P, ge, gp] = [enrolled, participants, g.enrolled, g.participants].map(BigInt) as [
    bigint,
    bigint,
    bigint,
    bigint,
  ];
  return 100n * BigInt(MICRO) * (P * ge - gp * E) > micros(points) * E * ge;
}
