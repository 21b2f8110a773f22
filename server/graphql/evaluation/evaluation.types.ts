/**
 * The seam of the evaluation: the measuring side (evaluation-measures.repository.ts) gives
 * each school's figures over a period as SchoolFacts; the scoring side (evaluation-scoring.ts)
 * turns them into points with a scheme (server/policy/evaluation-scheme.ts) and never
 * reads the warehouse. Publishing stores ScoredSchool rows as they are.
 */
import type { Locality, Stage } from '../../db/tables/schools.table.ts';
import type { MeasureKey } from '../../policy/evaluation-scheme.schema.ts';

/**
 * What can be measured of a school over a period (each key's definition is documented
 * there). Defined in the kernel next to the scheme that names them, since the kernel may
 * not import the server; re-exported here as part of the seam.
 */
export { MEASURE_KEYS, type MeasureKey } from '../../policy/evaluation-scheme.schema.ts';

export type ValueUnit = 'RATE' | 'SCORE' | 'COUNT';

/** One measured figure; `value` null when the school has no data for it in the period. */
export interface Measured {
  value: number | null;
  unit: ValueUnit;
  /** How many observations the value rests on (months, pupils, answers, visits, flags). */
  base: number;
  /** 中文, e.g. "参与 1,451 / 在校 2,328". */
  evidence: string;
}

/** A school's figures over a period, within the viewer's scope. */
export interface SchoolFacts {
  schoolCode: string;
  schoolName: string;
  township: string;
  stage: Stage;
  locality: Locality;
  measures: Record<MeasureKey, Measured>;
  /**
   * Violation flags raised in the period's months and not dismissed, by flag code
   * (server/policy/flag-catalogue.yaml), for deductions and 一票否决. A scheme may also name
   * a rule id (NOT_OFFERED.no_service): schemeFlagKeys(version) lists every key it reads,
   * and a rule id counts that rule's flags only.
   */
  flagCounts: Readonly<Record<string, number>>;
}

export type Grade = 'EXCELLENT' | 'GOOD' | 'PASS' | 'FAIL';

export interface ScoredIndicator {
  key: string;
  name: string;
  measure: MeasureKey;
  points: number;
  maxPoints: number;
  value: number | null;
  unit: ValueUnit;
  evidence: string | null;
  insufficientData: boolean;
}

export interface ScoredDeduction {
  key: string;
  name: string;
  points: number;
  evidence: string | null;
}

/** A school's evaluation before ranking (ranks depend on the scope asked for). */
export interface ScoredSchool {
  schoolCode: string;
  schoolName: string;
  township: string;
  stage: Stage;
  locality: Locality;
  score: number;
  grade: Grade;
  vetoed: boolean;
  vetoReason: string | null;
  incomplete: boolean;
  excellentCapped: boolean;
  /**
   * The measurable indicators carry less than the scheme's min_measured_share of the
   * maximum: the grade is at most the scheme's too_little_data_best_grade (数据不足，不评优良).
   */
  tooLittleData?: boolean;
  /** Points earned over the measurable indicators, and their maximum (before rescaling). */
  earnedPoints?: number;
  measuredMaxPoints?: number;
  /** Points taken off by deductions, after the caps. */
  deductedPoints?: number;
  indicators: ScoredIndicator[];
  deductions: ScoredDeduction[];
}

/** The scheme version an evaluation was scored with (server/policy/evaluation-scheme.ts). */
export interface SchemeInfo {
  version: string;
  name: string;
  source: string;
  /** First month (YYYY-MM) the version applies to. */
  effectiveFrom: string;
  maxScore: number;
}

/** A school's score and grade in the previous period of the same kind. */
export interface PreviousResult {
  score: number;
  grade: Grade;
}

/** Who published an evaluation, when, as which version. */
export interface Publication {
  version: number;
  /** ISO instant, Asia/Shanghai offset. */
  publishedAt: string;
  publishedBy: string;
  note: string | null;
}

/**
 * A period's evaluation of the whole district, scored district-wide (so the share cap for
 * 优秀 and peer medians do not depend on who asks), live or read from a publication. Views
 * narrow it to the viewer's scope and rank within that scope.
 */
export interface DistrictEvaluation {
  /** The period key, e.g. "2024-2025". */
  period: string;
  scheme: SchemeInfo;
  schools: ScoredSchool[];
  /** By school code; schools not evaluated in the previous period are absent. */
  previous: ReadonlyMap<string, PreviousResult>;
  /** Null for live figures. */
  publication: Publication | null;
}
