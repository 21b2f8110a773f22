import type { Generated, Selectable } from 'kysely';

export type VisitKind = 'ROUTINE' | 'FOLLOW_UP' | 'UNANNOUNCED';
export type ChecklistItem =
  | 'SERVICE_TIME'
  | 'CONTENT'
  | 'SAFETY'
  | 'FEE_PUBLICITY'
  | 'ATTENDANCE_RECORDS'
  | 'HANDOVER_RECORDS';
export type CheckResult = 'OK' | 'PROBLEM' | 'NOT_CHECKED';

/** A supervision visit (督导检查) to a school; UNANNOUNCED is 四不两直. */
export interface VisitsTable {
  visit_id: Generated<number>;
  school_code: string;
  visit_date: string | Date;
  kind: VisitKind;
  user_id: number;
  username: string;
  user_name: string;
  /** 督学编号 of the visiting supervising inspector, when linked. */
  inspector_id: string | null;
  findings: string;
  /** Evidence notes: photos taken, records seen, people interviewed. */
  evidence: string | null;
  created_at: Generated<string | Date>;
}
export type Visit = Selectable<VisitsTable>;

export interface VisitChecksTable {
  visit_id: number;
  item: ChecklistItem;
  result: CheckResult;
  note: string | null;
}
