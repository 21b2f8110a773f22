import type { Generated, Selectable } from 'kysely';

import type { FlagStatus } from '../flag-statuses.ts';

export type { FlagStatus };
export type FlagSource = 'report' | 'inspection';
/** How a finished flag ended: evidence gone from a corrected report, or a person's step. */
export type FlagResolution = 'auto' | 'closed' | 'dismissed';
export type FlagAction =
  | 'RAISED'
  | 'EVIDENCE_UPDATED'
  | 'RECTIFICATION_REQUESTED'
  | 'RECTIFIED'
  | 'CLOSED'
  | 'DISMISSED'
  | 'AUTO_RESOLVED'
  | 'REOPENED';

/**
 * A violation flag on a school and month. Report flags are keyed by (school_code, month,
 * rule): the rules engine never raises the same rule twice for a school-month.
 */
export interface FlagsTable {
  flag_id: Generated<number>;
  school_code: string;
  month: string | null;
  /** Catalogue code, e.g. ILLEGAL_FEES. */
  code: string;
  /** Rule id, e.g. ILLEGAL_FEES.per_period; `<CODE>.inspection` for visit findings. */
  rule: string;
  source: FlagSource;
  status: FlagStatus;
  /** One Chinese sentence: observed value against threshold. */
  detail: string;
  policy_version: string | null;
  /** e.g. "18:00（小学）". */
  threshold: string | null;
  /** e.g. "18:40". */
  observed: string | null;
  evidence_batch_id: number | null;
  visit_id: number | null;
  /** Username of who raised it; 'system' for the rules engine. */
  raised_by: string;
  rectify_deadline: string | Date | null;
  rectify_request: string | null;
  rectify_report: string | null;
  resolution: FlagResolution | null;
  created_at: Generated<string | Date>;
  updated_at: Generated<string | Date>;
}
export type Flag = Selectable<FlagsTable>;

/** Every step of a flag's life, newest last; system steps have no user_id. */
export interface FlagEventsTable {
  event_id: Generated<number>;
  flag_id: number;
  action: FlagAction;
  from_status: FlagStatus | null;
  to_status: FlagStatus;
  user_id: number | null;
  username: string;
  user_name: string;
  occurred_at: Generated<string | Date>;
  note: string | null;
  deadline: string | Date | null;
  batch_id: number | null;
  visit_id: number | null;
}
export type FlagEvent = Selectable<FlagEventsTable>;
