import type { Period } from '../../db/calendar.ts';
import type { FlagView } from '../flags/flag-row.ts';
import type { ScopeRequest } from '../scope/scope.ts';
import type { ReportFacts } from './report-facts.ts';

/**
 * A monthly report as its resolvers see it: the one scope request every part uses (the
 * same as `overview(month, scope)` builds), and the month's facts, each loaded once on
 * first use and shared by the fields that need it.
 */
export interface MonthlyReportParent {
  /** The period's last month (the month itself for a monthly report). */
  month: string;
  /** The period the report is about: a month, a semester or a school year. */
  period: Period;
  request: ScopeRequest;
  /** The viewer and clock the report's flag lists are judged by, as in `flags`. */
  view: FlagView;
  facts: ReportFacts;
}
