import type { Generated, Selectable } from 'kysely';

/** A doubt's states (labels: server/db/vocabulary, added with the doubts view). */
export const DOUBT_STATUSES = ['OPEN', 'VERIFIED', 'CORRECTION_REQUESTED', 'CLEARED'] as const;
export type DoubtStatus = (typeof DOUBT_STATUSES)[number];
export type DoubtAction =
  'RAISED' | 'EVIDENCE_UPDATED' | 'VERIFIED' | 'CORRECTION_REQUESTED' | 'CLEARED' | 'REOPENED';

/** An implausible figure of a school-month (migration 0009). */
export interface DataDoubtsTable {
  doubt_id: Generated<number>;
  school_code: string;
  month: string;
  /** Check id, e.g. PEER_OUTLIER.participation_rate (catalogue: etl/doubts/). */
  rule: string;
  /** The measure doubted, e.g. participants, participation_rate. */
  measure: string;
  value: number | null;
  /** What the value was judged against (previous month, peer median, enrolment …). */
  reference: number | null;
  /** By how much: ratio, robust z or difference, as the rule defines. */
  deviation: number | null;
  /** One Chinese sentence: what and by how much. */
  detail: string;
  detail_en: string;
  status: DoubtStatus;
  evidence_batch_id: number | null;
  policy_version: string | null;
  review_note: string | null;
  reviewed_by: string | null;
  reviewed_at: string | Date | null;
  created_at: Generated<string | Date>;
  updated_at: Generated<string | Date>;
}
export type DataDoubt = Selectable<DataDoubtsTable>;

export interface DataDoubtEventsTable {
  event_id: Generated<number>;
  doubt_id: number;
  action: DoubtAction;
  from_status: DoubtStatus | null;
  to_status: DoubtStatus;
  user_id: number | null;
  username: string | null;
  note: string | null;
  batch_id: number | null;
  occurred_at: Generated<string | Date>;
}
