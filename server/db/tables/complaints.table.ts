import type { Generated, Selectable } from 'kysely';

/** Where a complaint came in (labels: server/db/vocabulary/complaint-vocabulary.ts). */
export const COMPLAINT_SOURCES = ['HOTLINE_12345', 'INSPECTOR_PHONE', 'LETTER', 'ONLINE'] as const;
export type ComplaintSource = (typeof COMPLAINT_SOURCES)[number];
/** A complaint's handling states, in order. */
export const COMPLAINT_STATUSES = ['RECEIVED', 'INVESTIGATING', 'CLOSED'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];
export type ComplaintAction =
  'RECEIVED' | 'ASSIGNED' | 'FLAG_RAISED' | 'VISIT_LINKED' | 'CLOSED' | 'REOPENED' | 'NOTE';

/**
 * A complaint or report (投诉与举报) about a school (migration 0010). `flag_code` is its
 * category, a code of the flag catalogue. The complainant's name and contact are read by
 * the bureau and the handler only, never shown on the school's side.
 */
export interface ComplaintsTable {
  complaint_id: Generated<number>;
  school_code: string;
  source: ComplaintSource;
  flag_code: string;
  received_on: string | Date;
  /** "YYYY-MM" of received_on: the month the complaint counts in. */
  month: string;
  allegation: string;
  complainant_name: string | null;
  complainant_contact: string | null;
  status: ComplaintStatus;
  /** The 责任督学 (or bureau inspector) handling it. */
  handler_user_id: number | null;
  /** Handling deadline (办理时限), Asia/Shanghai date. */
  deadline: string | Date;
  /** The flag the complaint raised, if any. */
  flag_id: number | null;
  /** The visit that checked it, if any. */
  visit_id: number | null;
  /** The finding it was closed with. */
  finding: string | null;
  /** Whether the finding bore the allegation out (属实); null until closed. */
  substantiated: boolean | null;
  created_by_user_id: number;
  created_by: string;
  created_at: Generated<string | Date>;
  updated_at: Generated<string | Date>;
  closed_at: string | Date | null;
}
export type Complaint = Selectable<ComplaintsTable>;

export interface ComplaintEventsTable {
  event_id: Generated<number>;
  complaint_id: number;
  action: ComplaintAction;
  from_status: ComplaintStatus | null;
  to_status: ComplaintStatus;
  user_id: number | null;
  username: string;
  user_name: string;
  note: string | null;
  occurred_at: Generated<string | Date>;
}
