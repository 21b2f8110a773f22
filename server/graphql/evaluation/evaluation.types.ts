/**
 * The seam of the evaluation: the measuring side (evaluation-measures.repository.ts) gives
 * each school's figures over a period as SchoolFacts; the scoring side (evaluation-scoring.ts)
 * turns them into points with a scheme (server/policy/evaluation-scheme.ts) and never
 * reads the warehouse. Publishing stores ScoredSchool rows as they are.
 */
import type { Locality, Stage } from '../../db/tables/schools.table.ts';

/**
 * What can be measured of a school over a period; a scheme's indicator names one of
 * these as its `measure`. Each is defined once, in the measuring SQL.
 *
 * - coverage: service months with a report showing service / service months of the period
 * - five_plus_two: reported service months meeting 5+2 / reported service months
 * - participation: participants / enrolled (sums over the period's service months)
 * - demand_met: participants / applicants
 * - priority_equity: the worst priority-group gap (group rate − overall rate), over groups
 *   with enough pupils (policy priority_gap.min_group_enrolled); 0 or positive is equitable
 * - satisfaction: parents' mean overall score 0..100 over answers submitted in the period
 * - timeliness: service months reported by the deadline / service months of the period
 * - data_quality: rejected rows of the school's units / (loaded + rejected rows) in the period
 * - rectification_on_time: flags whose rectification deadline fell in the period and were
 *   rectified by it / flags with such a deadline
 * - visit_findings: the period's visits without a finding (flag) / visits
 */
export const MEASURE_KEYS = [
  'coverage',
  'five_plus_two',
  'participation',
  'demand_met',
  'priority_equity',
  'satisfaction',
  'timeliness',
  'data_quality',
  'rectification_on_time',
  'visit_findings',
] as const;
export type MeasureKey = (typeof MEASURE_KEYS)[number];

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
   * (server/policy/flag-catalogue.yaml), for deductions and 一票否决.
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
