import type { Generated, Selectable } from 'kysely';

/**
 * A 四不两直 draw (migration 0010): a seeded, stratified random sample of schools for
 * unannounced visits between from_date and to_date. Replaying `seed` over the same
 * candidates gives the same schools. The drawn list is the bureau's alone until each
 * school's visit_date.
 */
export interface VisitDrawsTable {
  draw_id: Generated<number>;
  seed: string;
  from_date: string | Date;
  to_date: string | Date;
  sample_size: number;
  /** Schools visited within this many days before from_date are left out… */
  recent_days: number;
  /** …unless this is true. */
  include_recent: boolean;
  /** The ScopeInput narrowing the candidates (townships, stages…), as JSON; null: district. */
  scope_json: string | null;
  policy_version: string | null;
  drawn_by_user_id: number;
  drawn_by: string;
  drawn_at: Generated<string | Date>;
  note: string | null;
}
export type VisitDraw = Selectable<VisitDrawsTable>;

export interface VisitDrawSchoolsTable {
  draw_id: number;
  school_code: string;
  /** The stratum: township × risk band. */
  township: string;
  risk_band: 'HIGH' | 'MEDIUM' | 'LOW';
  risk_score: number;
  /** Order of drawing within the draw, from 1. */
  position: number;
  /** The day of the unannounced visit: before it only the bureau sees the school drawn. */
  visit_date: string | Date;
  /** The visit recorded for it, once made. */
  visit_id: number | null;
}

/**
 * A school the draw's scope held (migration 0012): eligible ones are what the seed was
 * replayed over; ineligible ones were visited within recent_days before from_date.
 */
export interface VisitDrawCandidatesTable {
  draw_id: number;
  school_code: string;
  township: string;
  risk_band: 'HIGH' | 'MEDIUM' | 'LOW';
  risk_score: number;
  last_visit_date: string | Date | null;
  eligible: boolean;
}
