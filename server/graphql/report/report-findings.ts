/**
 * Which findings a month's report states, about which schools, and how severe: a pure
 * function of the month's figures and the policy's thresholds (report-rules.ts).
 */
import type { FindingSeverity, ReportFinding } from '../__generated__/resolvers-types.ts';
import { complaints, missingReports, newFlags, openFlags, overdue } from './compliance-findings.ts';
import {
  coverage,
  demandMet,
  participation,
  priorityGaps,
  satisfaction,
} from './figure-findings.ts';
import { finding, type FindingInput } from './finding-input.ts';
import { noDataSentence } from './finding-text.ts';

export type { FindingInput } from './finding-input.ts';

const SEVERITY_RANK: Record<FindingSeverity, number> = { ALERT: 0, WARNING: 1, INFO: 2 };

/** The month has figures: a report, participation counts or a flag of its own. */
function hasData(input: FindingInput): boolean {
  return (
    input.schools.some((s) => s.reported || s.enrolled !== null) ||
    input.newFlags.some((f) => f.count > 0)
  );
}

/**
 * The month's findings, alerts first, then warnings, then information; within a
 * severity in a fixed order of kinds. A finding with nothing to say is left out (no
 * school below the floor: no sentence); a month without any figures gets DATA.NONE alone.
 */
export function buildFindings(input: FindingInput): ReportFinding[] {
  if (!hasData(input)) return [finding('DATA.NONE', 'INFO', noDataSentence(input.words))];
  const all = [
    ...coverage(input),
    ...participation(input),
    ...demandMet(input),
    ...priorityGaps(input),
    ...satisfaction(input),
    ...newFlags(input),
    ...openFlags(input),
    ...overdue(input),
    ...missingReports(input),
    ...complaints(input),
  ];
  return all
    .map((f, i) => ({ f, i }))
    .sort((a, b) => SEVERITY_RANK[a.f.severity] - SEVERITY_RANK[b.f.severity] || a.i - b.i)
    .map(({ f }) => f);
}
