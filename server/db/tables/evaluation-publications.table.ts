import type { Selectable } from 'kysely';
import type { Locality, Stage } from './schools.table.ts';

/** The grades a result may hold (server/graphql/evaluation/evaluation.types.ts, Grade). */
export const GRADES = ['EXCELLENT', 'GOOD', 'PASS', 'FAIL'] as const;
export type StoredGrade = (typeof GRADES)[number];

/** One published version of a period's evaluation; (period, version) is the key. */
export interface EvaluationPublicationsTable {
  /** Period key, e.g. "2024-2025" (server/db/calendar.ts). */
  period: string;
  /** 1, 2, … per period; a new version never replaces an older one. */
  version: number;
  /** Random UUID: names the publication's (immutable) content, e.g. for a reader's cache. */
  publication_id: string;
  scheme_version: string;
  scheme_name: string;
  scheme_source: string;
  /** YYYY-MM. */
  scheme_effective_from: string;
  scheme_max_score: number;
  published_at: string | Date;
  published_by_user_id: number;
  published_by_username: string;
  /** Display name at publishing. */
  published_by_name: string;
  note: string | null;
  school_count: number;
}
export type EvaluationPublicationRow = Selectable<EvaluationPublicationsTable>;

/** A school's result in a publication; (period, version, school_code) is the key. */
export interface EvaluationResultsTable {
  period: string;
  version: number;
  /** Position in the published evaluation (0-based), so it reads back in its order. */
  ordinal: number;
  school_code: string;
  school_name: string;
  township: string;
  stage: Stage;
  locality: Locality;
  score: number;
  grade: StoredGrade;
  vetoed: boolean;
  veto_reason: string | null;
  incomplete: boolean;
  excellent_capped: boolean;
  /** JSON object of the scored school's other members (e.g. tooLittleData, earnedPoints). */
  extras: string;
  /** JSON text of ScoredIndicator[], as the scoring gave it. */
  indicators: string;
  /** JSON text of ScoredDeduction[]. */
  deductions: string;
  previous_score: number | null;
  previous_grade: StoredGrade | null;
}
export type EvaluationResultRow = Selectable<EvaluationResultsTable>;
