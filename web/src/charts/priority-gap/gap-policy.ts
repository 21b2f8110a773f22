/**
 * The PRIORITY_GAP threshold of the district policy in force for a month, read from the
 * API's `policyVersions` (never a literal), and the tone a gap shows in tables and cards.
 * Only what the policy states is used: with no threshold there is no "alert" tone.
 */
import type { PriorityGroup } from '../../api/__generated__/schema-types.ts';

export interface PolicyVersionRow {
  version: string;
  /** "YYYY-MM" */
  effectiveFrom: string;
  /** Every parameter of the version as JSON (inheritance resolved). */
  parameters: string;
}

export interface GapPolicy {
  version: string;
  /** A group more than this many percentage points below is under-served; null: not judged. */
  maxGapPoints: number | null;
  /** Groups with fewer enrolled students are not judged. */
  minGroupEnrolled: number;
  /** Rules (ids or codes) the version switches off. */
  disabledRules: readonly string[];
}

/** The group's PRIORITY_GAP rule id: the enum value in lower case (PRIORITY_GAP.left_behind). */
const ruleOf = (group: PriorityGroup): string => `PRIORITY_GAP.${group.toLowerCase()}`;

/** Whether the version judges the group's gap at all (neither its rule nor the code is off). */
export function judgesGroup(policy: GapPolicy, group: PriorityGroup): boolean {
  const off = policy.disabledRules;
  return !off.includes('PRIORITY_GAP') && !off.includes(ruleOf(group));
}

interface GapParameters {
  priority_gap?: { max_gap_points?: number | null; min_group_enrolled?: number };
  disabled_rules?: string[];
}

/** The version in force for `month` (the latest effective on or before it); null if none. */
export function gapPolicyFor(
  versions: readonly PolicyVersionRow[],
  month: string,
): GapPolicy | null {
  const inForce = versions
    .filter((v) => v.effectiveFrom <= month)
    .sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom))
    .at(-1);
  if (!inForce) return null;
  let parameters: GapParameters;
  try {
    parameters = JSON.parse(inForce.parameters) as GapParameters;
  } catch {
    return null;
  }
  const gap = parameters.priority_gap;
  if (!gap || typeof gap.min_group_enrolled !== 'number') return null;
  return {
    version: inForce.version,
    maxGapPoints: typeof gap.max_gap_points === 'number' ? gap.max_gap_points : null,
    minGroupEnrolled: gap.min_group_enrolled,
    disabledRules: parameters.disabled_rules ?? [],
  };
}

export type GapTone = 'alert' | 'warning' | 'good' | 'none';

/**
 * alert: more than the policy's points below and the group large enough to be judged;
 * warning: below the overall rate; good: at or above it; none: no gap.
 */
export function gapTone(
  gap: number | null | undefined,
  enrolled: number | null | undefined,
  group: PriorityGroup,
  policy: GapPolicy | null,
): GapTone {
  if (gap === null || gap === undefined) return 'none';
  if (gap >= 0) return 'good';
  const judged =
    policy !== null &&
    policy.maxGapPoints !== null &&
    judgesGroup(policy, group) &&
    (enrolled ?? 0) >= policy.minGroupEnrolled;
  // 1e-9 absorbs floating-point noise: exactly the threshold is not beyond it.
  if (judged && -gap * 100 > policy.maxGapPoints! + 1e-9) return 'alert';
  return 'warning';
}

/** The policy sentence shown under the gap definition; null when the policy sets none. */
export function gapPolicyText(policy: GapPolicy | null): string | null {
  if (!policy || policy.maxGapPoints === null || policy.disabledRules.includes('PRIORITY_GAP'))
    return null;
  return (
    `本区政策（${policy.version}版）：学校某优先群体参与率低于全校参与率超过 ` +
    `${policy.maxGapPoints} 个百分点、且该群体学生不少于 ${policy.minGroupEnrolled} 人时，` +
    `产生“优先群体保障不足”违规预警。`
  );
}
