/**
 * Findings about the month's figures: coverage, participation, demand met, priority groups
 * and parents' satisfaction. Each threshold check repeats the rules engine's comparison
 * exactly (threshold-checks.ts), so the schools a finding counts are the schools the
 * flags name.
 */
import type { ReportFinding, SchoolMonth } from '../__generated__/resolvers-types.ts';
import {
  coverageSentence,
  demandBelowFloorSentence,
  parentSatisfactionSentence,
  participationSentence,
  priorityGapSentence,
} from './finding-text.ts';
import { byCode, finding, type FindingInput } from './finding-input.ts';
import { belowDemandFloor, gapBeyondLimit } from './threshold-checks.ts';

/**
 * COVERAGE: schools offering / schools that reported (the overview's rate); WARNING when a
 * school reported no service or sent no report. Nothing in a month without service.
 */
export function coverage(input: FindingInput): ReportFinding[] {
  const { overview: o, scope } = input;
  if (o.schoolsInScope === 0 || o.serviceMonth === false) return [];
  const notOffering = input.schools.filter((s) => s.reported && !s.offering).sort(byCode);
  const notReported = input.schools.filter((s) => !s.reported).sort(byCode);
  const s = coverageSentence(
    scope,
    { inScope: o.schoolsInScope, reporting: o.schoolsReporting, offering: o.schoolsOffering },
    notOffering.map((x) => x.school.name),
    notReported.map((x) => x.school.name),
    input.words,
  );
  const named = [...notOffering, ...notReported];
  return [finding('COVERAGE', named.length > 0 ? 'WARNING' : 'INFO', s, named)];
}

/** PARTICIPATION with its month-on-month change; WARNING when it fell. */
export function participation(input: FindingInput): ReportFinding[] {
  const { participants, enrolled } = input.overview;
  if (enrolled === 0) return [];
  const s = participationSentence(participants, enrolled, input.participationChange, input.words);
  return [finding('PARTICIPATION', s.fell ? 'WARNING' : 'INFO', s)];
}

/** DEMAND_MET.BELOW_FLOOR: schools under the policy's floor (NOT_OFFERED.turned_away), lowest first. */
export function demandMet(input: FindingInput): ReportFinding[] {
  const floor = input.rules.demandFloor;
  if (floor === null) return [];
  const below = input.schools
    .filter((s) => belowDemandFloor(s, floor))
    .sort((a, b) => (a.demandMetRate ?? 0) - (b.demandMetRate ?? 0) || byCode(a, b));
  if (below.length === 0) return [];
  return [
    finding(
      'DEMAND_MET.BELOW_FLOOR',
      'WARNING',
      demandBelowFloorSentence(below.length, floor),
      below,
    ),
  ];
}

/**
 * PRIORITY_GAP.<group>: schools whose group rate is more than the policy's points below
 * the school's own overall rate, among groups of at least min_group_enrolled pupils. This
 * is the flags' definition (etl/flags/rules/priority-gap.ts) and domain.md §3's ("priority
 * means their participation rate should not lag the school's"); comparing a school's group
 * with the whole scope's rate instead would blame small schools for their district.
 */
export function priorityGaps(input: FindingInput): ReportFinding[] {
  const { gapPoints, minGroupEnrolled, gapGroups } = input.rules;
  if (gapPoints === null) return [];
  return gapGroups.flatMap((group) => {
    const gapOf = (s: SchoolMonth) => s.priorityGroups.find((g) => g.group === group);
    const lagging = input.schools
      .filter((s) => gapBeyondLimit(s, group, gapPoints, minGroupEnrolled))
      .sort((a, b) => (gapOf(a)?.gap ?? 0) - (gapOf(b)?.gap ?? 0) || byCode(a, b));
    if (lagging.length === 0) return [];
    const s = priorityGapSentence(group, lagging.length, gapPoints);
    return [finding(`PRIORITY_GAP.${group}`, 'WARNING', s, lagging)];
  });
}

/** SATISFACTION.PARENT: the parents' overall score and its change; WARNING when it fell. */
export function satisfaction(input: FindingInput): ReportFinding[] {
  const parent = input.overview.satisfaction.find((s) => s.respondent === 'parent');
  if (!parent || parent.score === null) return [];
  const s = parentSatisfactionSentence(
    parent.score,
    parent.responses,
    input.parentScoreChange,
    input.words,
  );
  return [finding('SATISFACTION.PARENT', s.fell ? 'WARNING' : 'INFO', s)];
}
