/**
 * A doubt's rule and measure as users read them. The labels live in the doubt catalogue
 * (the checks' one home); until a rule is in it, its id is shown rather than a guess.
 */
export function doubtRuleLabel(rule: string): string {
  return rule;
}

export function doubtMeasureLabel(measure: string): string {
  return measure;
}
