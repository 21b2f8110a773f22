/**
 * The thresholds a month's report judges by, from the policy version in force for the
 * month (never literals), with the rules engine's own switches: a threshold set to null,
 * or a rule the version lists in disabled_rules (by id or by code), is not judged, so a
 * finding never contradicts the flags.
 */
import { monthRules } from '../../policy/month-rules.ts';
import type { DistrictPolicy, PolicyVersion } from '../../policy/policy.ts';
import type { PriorityGroup } from '../__generated__/resolvers-types.ts';
import { shanghaiDate } from '../../db/calendar.ts';

export interface ReportRules {
  /** Policy version in force for the month. */
  version: string;
  /** Demand-met floor (NOT_OFFERED.turned_away), 0..1; null when not judged. */
  demandFloor: number | null;
  /** PRIORITY_GAP: percentage points a group may lag its school; null when not judged. */
  gapPoints: number | null;
  /** Groups smaller than this (enrolled) are not judged. */
  minGroupEnrolled: number;
  /** Groups whose PRIORITY_GAP rule applies this month. */
  gapGroups: readonly PriorityGroup[];
  /** The report deadline (MISSING_REPORT.missing); null when no report is due this month. */
  reportDue: { date: string; passed: boolean } | null;
}

const GAP_RULES: readonly (readonly [PriorityGroup, string])[] = [
  ['LEFT_BEHIND', 'PRIORITY_GAP.left_behind'],
  ['MIGRANT', 'PRIORITY_GAP.migrant'],
  ['DISABLED', 'PRIORITY_GAP.disabled'],
  ['POOR', 'PRIORITY_GAP.poor'],
];

function applies(version: PolicyVersion, rule: string): boolean {
  const off = version.disabled_rules;
  return !off.includes(rule) && !off.includes(rule.slice(0, rule.indexOf('.')));
}

/** `now`: the request's clock; the deadline has passed when it is before `now`. */
export function reportRules(policy: DistrictPolicy, month: string, now: Date): ReportRules {
  const rules = monthRules(policy, month);
  const v = rules.version;
  const due = Date.parse(rules.reportDueAt);
  return {
    version: v.version,
    demandFloor: applies(v, 'NOT_OFFERED.turned_away') ? v.participation.min_demand_met_rate : null,
    gapPoints: v.priority_gap.max_gap_points,
    minGroupEnrolled: v.priority_gap.min_group_enrolled,
    gapGroups: GAP_RULES.filter(([, rule]) => applies(v, rule)).map(([group]) => group),
    reportDue:
      rules.serviceMonth && applies(v, 'MISSING_REPORT.missing')
        ? { date: shanghaiDate(due), passed: due < now.getTime() }
        : null,
  };
}
