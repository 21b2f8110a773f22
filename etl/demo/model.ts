/**
 * The demo district as plain data. Field names of report rows are the contract keys of
 * /work/shared/report-formats.md, so the model can be compared one-to-one with what the
 * ETL loads from the files. Plain arrays and strings only: the model must serialise to
 * byte-identical JSON for a given seed.
 */
import type { PlantedDoubt } from './planted-doubts.ts';

export type Stage = '小学' | '初中' | '九年一贯制' | '完全中学';
export type Locality = '城区' | '镇区' | '乡村';
export type YesNo = '是' | '否';
export type Role = '家长' | '学生' | '教师';
/** street = 街道, seat = county-seat town (城关镇), town = 镇, xiang = 乡. */
export type TownshipKind = 'street' | 'seat' | 'town' | 'xiang';

export interface Township {
  name: string;
  kind: TownshipKind;
  /** Mountain townships are where the remote (偏远) schools are. */
  mountain: boolean;
}

export interface School {
  school_code: string;
  school_name: string;
  township: string;
  stage: Stage;
  locality: Locality;
  ownership: '公办' | '民办';
  remote: YesNo;
  teachers_total: number;
}

export interface Inspector {
  inspector_id: string;
  inspector_name: string;
}

/** One row per inspector–school pair; a version is all rows with one effective_month. */
export interface Assignment {
  effective_month: string;
  inspector_id: string;
  inspector_name: string;
  school_code: string;
}

export interface MonthlyReport {
  school_code: string;
  school_name: string;
  /** YYYY-MM */
  month: string;
  school_days: number;
  service_days: number;
  daily_minutes: number;
  /** HH:MM; null only when service_days is 0. */
  latest_end_time: string | null;
  homework_periods: number;
  written_homework_g12: YesNo;
  fee_per_period: number;
  fee_waived: number;
  waived_but_charged: number;
  fees_published: YesNo;
  teachers_serving: number;
  teacher_pay_per_period: number;
  external_staff: number;
  providers: number;
  providers_unapproved: number;
  largest_group: number;
  incidents: number;
  complaints: number;
}

export interface ParticipationRow {
  school_code: string;
  month: string;
  /** 1-9 */
  grade: number;
  enrolled: number;
  applicants: number;
  participants: number;
  five_day_participants: number;
  left_behind_enrolled: number;
  left_behind_participants: number;
  migrant_enrolled: number;
  migrant_participants: number;
  disabled_enrolled: number;
  disabled_participants: number;
  poor_enrolled: number;
  poor_participants: number;
}

export interface SurveyResponse {
  school_code: string;
  /** e.g. 2024秋季 */
  semester: string;
  /** ISO local time in China Standard Time, e.g. 2024-12-10T19:23:05+08:00. */
  submitted_at: string;
  seconds: number;
  source: '微信' | '手机提交' | '链接';
  ip: string;
  role: Role;
  /** Scores 5..1 (非常满意..非常不满意), one per item of the district survey. */
  scores: number[];
  /** Free-text suggestion; blank answers are empty strings. */
  comment: string;
}

export type RuleCode =
  | 'LATE_END'
  | 'SHORT_SERVICE'
  | 'ILLEGAL_FEES'
  | 'UNAPPROVED_PROVIDER'
  | 'EXCESS_HOMEWORK'
  | 'OVERSIZED_GROUP'
  | 'SAFETY_INCIDENT'
  | 'FORCED_PARTICIPATION'
  | 'PRIORITY_GAP'
  | 'MISSING_REPORT'
  | 'NOT_OFFERED';

/** Ground truth: what a correct flagger should find, one entry per school-month. */
export interface RuleBreak {
  school_code: string;
  month: string;
  rule: RuleCode;
  detail: string;
}

/** A priority group a school serves less well than its other pupils (not by enough to flag). */
export interface UnderServedSchool {
  school_code: string;
  group: 'migrant' | 'disabled';
  /** Planned percentage points below the school's rate. */
  points: number;
}

/** Where a flag ends up after the demo's casework: 整改 step by step. */
export type CaseOutcome =
  /** 待处理: nobody has acted yet. */
  | 'OPEN'
  /** 要求整改, deadline not passed on asOf. */
  | 'REQUESTED'
  /** 要求整改, deadline passed on asOf without a rectification. */
  | 'OVERDUE'
  /** 已整改, waiting to be closed. */
  | 'RECTIFIED'
  /** 销号 (CLOSED). */
  | 'CLOSED'
  /** 不成立 (DISMISSED). */
  | 'DISMISSED';

/** The demo's sign-ins that act in the casework (the demo's own three, and inspectors). */
export interface CaseAccount {
  username: string;
  /** null for the bureau's 教育局督导 account. */
  inspector_id: string | null;
  name: string;
}

export type ChecklistItem =
  | 'SERVICE_TIME'
  | 'CONTENT'
  | 'SAFETY'
  | 'FEE_PUBLICITY'
  | 'ATTENDANCE_RECORDS'
  | 'HANDOVER_RECORDS';

/** A 督学 visit recorded through the server's record-visit service. */
export interface PlannedVisit {
  /** Reference within the plan, e.g. V007. */
  ref: string;
  school_code: string;
  /** YYYY-MM-DD */
  date: string;
  kind: 'ROUTINE' | 'FOLLOW_UP' | 'UNANNOUNCED';
  /** Username of the visiting inspector. */
  by: string;
  /** When it was typed in: ISO instant, +08:00. */
  at: string;
  checklist: { item: ChecklistItem; result: 'OK' | 'PROBLEM'; note: string | null }[];
  findings: string;
  evidence: string | null;
  /** Inspection flags the findings raise. */
  flags: { code: string; detail: string }[];
}

export interface CaseStep {
  step: 'REQUEST_RECTIFICATION' | 'RECORD_RECTIFICATION' | 'CLOSE' | 'DISMISS';
  /** ISO instant, +08:00. */
  at: string;
  /** Username taking the step. */
  by: string;
  /** YYYY-MM-DD, for REQUEST_RECTIFICATION. */
  deadline: string | null;
  /** The request, report, note or reason. */
  text: string;
  /** A FOLLOW_UP visit's ref, for CLOSE. */
  visit: string | null;
}

/** One flag's casework: a report flag by (school, month, code), or a visit's finding. */
export interface FlagCase {
  school_code: string;
  month: string;
  code: string;
  source: 'report' | 'inspection';
  /** The raising visit's ref, for inspection flags. */
  visit: string | null;
  outcome: CaseOutcome;
  steps: CaseStep[];
}

export interface Casework {
  /** The demo's "today": every step is on or before it (ISO instant, +08:00). */
  asOf: string;
  /** The inspector the demo's 责任督学 sign-in stands for. */
  featuredInspector: string;
  accounts: CaseAccount[];
  visits: PlannedVisit[];
  cases: FlagCase[];
  /** 投诉与举报 received in the last months, each handled step by step (or still open). */
  complaints: PlannedComplaint[];
}

/** A complaint and how it was handled, played through the complaints service. */
export interface PlannedComplaint {
  school_code: string;
  source: 'HOTLINE_12345' | 'INSPECTOR_PHONE' | 'LETTER' | 'ONLINE';
  /** A flag catalogue code. */
  category: string;
  /** YYYY-MM-DD */
  received_on: string;
  allegation: string;
  complainant_name: string | null;
  /** Who recorded it: the bureau, or the school's 督学 for a call to their phone. */
  by: string;
  /** ISO instant, +08:00. */
  at: string;
  steps: ComplaintCaseStep[];
}

export interface ComplaintCaseStep {
  step: 'ASSIGN' | 'LINK_VISIT' | 'CLOSE';
  /** ISO instant, +08:00. */
  at: string;
  by: string;
  /** ASSIGN: the handler's username. */
  handler?: string;
  /** LINK_VISIT: the planned visit's ref. */
  visit?: string;
  /** CLOSE: the finding, and whether it bore the allegation out. */
  finding?: string;
  substantiated?: boolean;
}

export interface District {
  seed: number;
  county: string;
  fromMonth: string;
  toMonth: string;
  /** Service months only (no February, July, August). */
  months: string[];
  townships: Township[];
  schools: School[];
  inspectors: Inspector[];
  assignments: Assignment[];
  monthly: MonthlyReport[];
  participation: ParticipationRow[];
  surveyItems: string[];
  surveys: SurveyResponse[];
  ruleBreaks: RuleBreak[];
  underServed: UnderServedSchool[];
  /** Implausible reports planted for the data doubts to find (planted-doubts.ts). */
  plantedDoubts: PlantedDoubt[];
  casework: Casework;
}
