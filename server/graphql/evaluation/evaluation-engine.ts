/**
 * How the evaluation service reaches the scoring side (helper eval-scoring's
 * evaluation-scoring.ts and server/policy/evaluation-scheme.ts): the scheme version of a
 * period, every version, and the scoring of measured schools. The service never reads the
 * scheme file itself.
 */
import type { Period } from '../../db/calendar.ts';
import type { SchemeInfo, SchoolFacts, ScoredSchool } from './evaluation.types.ts';

export interface EvaluationEngine {
  /** The scheme version the period is scored with. */
  schemeFor(period: Period): SchemeInfo;
  /** Every scheme version, oldest first. */
  schemes(): SchemeInfo[];
  /** The district's schools scored for the period (district-wide: the 优秀 cap is the district's). */
  score(period: Period, facts: readonly SchoolFacts[]): ScoredSchool[];
}

let current: EvaluationEngine | null = null;

/** The engine in use. */
export function evaluationEngine(): EvaluationEngine {
  if (current === null)
    throw new Error('评价方案尚未加载 / no evaluation scheme engine is installed');
  return current;
}

/** Installs an engine (the server's default, or a test's scheme); returns the previous one. */
export function useEvaluationEngine(engine: EvaluationEngine | null): EvaluationEngine | null {
  const before = current;
  current = engine;
  return before;
}
