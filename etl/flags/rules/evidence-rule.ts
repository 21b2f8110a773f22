/**
 * A report rule as data: its rule id, the condition on a flag_base row (one judged
 * school-month with its report, rollup, grade summary, school and month rules) that is
 * evidence of it, and the SQL texts of the flag it raises. All rules are evaluated in one
 * pass over flag_base (evidence.ts), so adding a rule adds expressions, not a query.
 */
/** The loaded tables a rule reads: a batch of another kind cannot change its evidence. */
export type RuleInput = 'monthly' | 'participation' | 'registry';

export interface RuleContext {
  /** The judging clock as an ISO instant (deadlines before it have passed). */
  nowIso: string;
  /** The first month any monthly report was received (null: none yet). */
  firstReportMonth: string | null;
}

export interface EvidenceRule {
  /** `<CODE>.<rule>`, as in flag-catalogue.yaml. */
  rule: string;
  /** What it reads; a load judges only the rules that read its kind. */
  reads: readonly RuleInput[];
  /** Condition over flag_base columns; NULL (a missing report or rollup) is not evidence. */
  when(ctx: RuleContext): string;
  /** Short Chinese text of what was observed, e.g. '18:40'. */
  observed: string;
  /** Short Chinese text of the threshold judged against, e.g. '18:00（小学）'. */
  threshold: string;
  /** One Chinese sentence. */
  detail: string;
  /** The batch whose rows evidence it: report_batch, part_batch or NULL. */
  batch: string;
  /**
   * Columns only the texts need, joined to flag_base (as b) when the rule has evidence:
   * `select` names them, `join` is a LEFT JOIN bringing them.
   */
  extra?: { select: string; join: string };
}

export function codeOf(rule: string): string {
  return rule.slice(0, rule.indexOf('.'));
}
