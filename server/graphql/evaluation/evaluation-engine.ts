/**
 * How the evaluation service reaches the scoring side (helper eval-scoring's
 * evaluation-scoring.ts and server/policy/evaluation-scheme.ts): the scheme version of a
 * period, every version, and the scoring of measured schools. The service never reads the
 * scheme file itself.
 */
import type { Period } from '../../db/calendar.ts';
import {
  loadEvaluationScheme,
  schemeFor,
  type EvaluationScheme,
} from '../../policy/evaluation-scheme.ts';
import { schemeInfo, scoreSchools } from './evaluation-scoring.ts';
import type { SchemeInfo, SchoolFacts, ScoredSchool } from './evaluation.types.ts';

export interface EvaluationEngine {
  /** The scheme version the period is scored with. */
  schemeFor(period: Period): SchemeInfo;
  /** Every scheme version, oldest first. */
  schemes(): SchemeInfo[];
  /** The district's schools scored for the period (district-wide: the 优秀 cap is the district's). */
  score(period: Period, facts: readonly SchoolFacts[]): ScoredSchool[];
}

/** An engine scoring with `scheme` (each period with the version in force in its first month). */
export function schemeEngine(scheme: EvaluationScheme): EvaluationEngine {
  return {
    schemeFor: (period) => schemeInfo(schemeFor(scheme, period.months)),
    schemes: () => scheme.versions.map(schemeInfo),
    score: (period, facts) => scoreSchools(schemeFor(scheme, period.months), facts),
  };
}

let current: EvaluationEngine | null = null;

/**
 * The engine in use: the one installed, else the scheme file the server evaluates with
 * (KEHOU_EVALUATION_SCHEME or the default), read once.
 */
export function evaluationEngine(): EvaluationEngine {
  current ??= schemeEngine(loadEvaluationScheme());
  return current;
}

/** Installs an engine (a test's scheme; null: the default again); returns the previous one. */
export function useEvaluationEngine(engine: EvaluationEngine | null): EvaluationEngine | null {
  const before = current;
  current = engine;
  return before;
}
