import type { Generated, Selectable } from 'kysely';

/** What a school files each semester (migration 0013). */
export const FILING_KINDS = ['PLAN', 'SURVEY', 'AGREEMENT', 'FEES', 'PAY'] as const;
export type FilingKind = (typeof FILING_KINDS)[number];

/** 已备案 (awaiting the bureau), 已受理, 已退回 (file again). */
export const FILING_STATUSES = ['FILED', 'ACCEPTED', 'RETURNED'] as const;
export type FilingStatus = (typeof FILING_STATUSES)[number];

export type FilingAction = 'FILE' | 'ACCEPT' | 'RETURN';

export interface SemesterFilingsTable {
  filing_id: Generated<number>;
  school_code: string;
  /** A semester period key: "2025-2026-1" (September–January) or "2025-2026-2". */
  semester: string;
  kind: FilingKind;
  /** The kind's structured fields as JSON text (server/graphql/filings/filing-payloads.ts). */
  payload: string;
  status: FilingStatus;
  filed_at: string | Date;
  filed_by: number | null;
  filed_by_name: string;
  review_note: string | null;
  reviewed_at: string | Date | null;
  reviewed_by_name: string | null;
}
export type SemesterFiling = Selectable<SemesterFilingsTable>;

export interface SemesterFilingEventsTable {
  event_id: Generated<number>;
  filing_id: number;
  action: FilingAction;
  note: string | null;
  user_id: number | null;
  username: string;
  occurred_at: string | Date;
}
