import type { Generated, Selectable } from 'kysely';
import type { ReviewAction, ReviewStatus } from '../vocabulary/review-statuses.ts';

/** Each school-month's review state; a school-month without a row is a DRAFT. */
export interface UnitReviewsTable {
  school_code: string;
  /** "YYYY-MM". */
  month: string;
  status: ReviewStatus;
  /** Why it was returned (退回), one reason per line; null otherwise. */
  reasons: string | null;
  updated_at: Generated<string | Date>;
  updated_by: number | null;
  updated_by_name: string | null;
}
export type UnitReview = Selectable<UnitReviewsTable>;

/** Every step of a school-month's review, and every refused replacement of a locked one. */
export interface UnitReviewEventsTable {
  event_id: Generated<number>;
  school_code: string;
  month: string;
  action: ReviewAction;
  from_status: ReviewStatus | null;
  to_status: ReviewStatus | null;
  /** The reviewer's reasons, the unlock's reason, or the refused load's file name. */
  note: string | null;
  batch_id: string | null;
  user_id: number | null;
  username: string | null;
  occurred_at: Generated<string | Date>;
}
