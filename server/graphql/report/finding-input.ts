/**
 * What the report's findings are written from (the month's figures, already in scope, and
 * the policy's thresholds), and the one way a finding is made from a sentence.
 */
import type {
  FindingSeverity,
  ReportFinding,
  SchoolMonth,
} from '../__generated__/resolvers-types.ts';
import type { OverviewCore } from '../overview/overview.types.ts';
import type { ScopeLabel, Sentence } from './finding-text.ts';
import type { PeriodWords } from './report-format.ts';
import type { ReportRules } from './report-rules.ts';

export interface FindingInput {
  scope: ScopeLabel;
  /** How the sentences name the report's period (本月, or a semester's or year's label). */
  words?: PeriodWords;
  overview: OverviewCore;
  /** Month-on-month change of the participation rate (fraction); null without a previous month. */
  participationChange: number | null;
  /** Month-on-month change of the parents' score (points). */
  parentScoreChange: number | null;
  /** Every school in scope in the month, with its figures. */
  schools: readonly SchoolMonth[];
  rules: ReportRules;
  /** Flags with Flag.month = the month the user sees, counted by code. */
  newFlags: readonly { code: string; count: number }[];
  /** Schools with overdue rectifications, worst first. */
  overdue: readonly { schoolCode: string; flags: number }[];
  /** Of Overview.openFlags, those open longer than the policy's days, and the oldest's date. */
  flagAges: { longOpen: number; longOpenDays: number; oldestSince: string | null };
  /** Complaints received in the period per school and category (投诉与举报); counts only. */
  complaints?: readonly { schoolCode: string; category: string; count: number }[];
}

/** Most schools one finding names. */
export const MAX_NAMED = 20;

export function finding(
  code: string,
  severity: FindingSeverity,
  s: Sentence,
  schools: readonly SchoolMonth[] = [],
): ReportFinding {
  const named = schools.slice(0, MAX_NAMED).map((x) => x.school);
  return { code, severity, text: s.zh, textEn: s.en, schools: named };
}

export const byCode = (a: SchoolMonth, b: SchoolMonth) =>
  a.school.code.localeCompare(b.school.code);
