/**
 * Flags grow into the rectification loop: what rule and policy version judged them, the
 * threshold and the observed value, the evidencing batch or visit, and the rectification
 * fields; flag_events keeps every step as history. Visits (督导检查) with their
 * checklist, and the policy files the warehouse has been judged by.
 *
 * The flags table was never written before this migration (no rules engine yet), so it
 * is rebuilt rather than altered; any rows are carried over.
 */
import type { Migration } from '../migrate.ts';

export const FLAG_STATUSES = ['OPEN', 'RECTIFYING', 'RECTIFIED', 'CLOSED', 'DISMISSED'] as const;
export const FLAG_ACTIONS = [
  'RAISED',
  'EVIDENCE_UPDATED',
  'RECTIFICATION_REQUESTED',
  'RECTIFIED',
  'CLOSED',
  'DISMISSED',
  'AUTO_RESOLVED',
  'REOPENED',
] as const;
export const VISIT_KINDS = ['ROUTINE', 'FOLLOW_UP', 'UNANNOUNCED'] as const;
export const CHECKLIST_ITEMS = [
  'SERVICE_TIME',
  'CONTENT',
  'SAFETY',
  'FEE_PUBLICITY',
  'ATTENDANCE_RECORDS',
  'HANDOVER_RECORDS',
] as const;
export const CHECK_RESULTS = ['OK', 'PROBLEM', 'NOT_CHECKED'] as const;

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

export const flagsVisitsPolicy: Migration = {
  version: 4,
  name: 'flag rules and history, visits, policy files',
  statements: [
    `CREATE TABLE flags_v4 (
      flag_id BIGINT NOT NULL DEFAULT nextval('flag_seq'),
      school_code VARCHAR NOT NULL,
      month VARCHAR,
      code VARCHAR NOT NULL,
      rule VARCHAR NOT NULL,
      source VARCHAR NOT NULL CHECK (source IN ('report', 'inspection')),
      status VARCHAR NOT NULL CHECK (status IN (${list(FLAG_STATUSES)})),
      detail VARCHAR NOT NULL,
      policy_version VARCHAR,
      threshold VARCHAR,
      observed VARCHAR,
      evidence_batch_id INTEGER,
      visit_id BIGINT,
      raised_by VARCHAR NOT NULL,
      rectify_deadline DATE,
      rectify_request VARCHAR,
      rectify_report VARCHAR,
      resolution VARCHAR CHECK (resolution IN ('auto', 'closed', 'dismissed')),
      created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`,
    `INSERT INTO flags_v4 (flag_id, school_code, month, code, rule, source, status, detail,
        raised_by, created_at, updated_at)
      SELECT flag_id, school_code, month, code, code, 'report', status, detail, 'system',
        created_at, updated_at FROM flags`,
    `DROP TABLE flags`,
    `ALTER TABLE flags_v4 RENAME TO flags`,
    `CREATE SEQUENCE flag_event_seq START 1`,
    `CREATE TABLE flag_events (
      event_id BIGINT NOT NULL DEFAULT nextval('flag_event_seq'),
      flag_id BIGINT NOT NULL,
      action VARCHAR NOT NULL CHECK (action IN (${list(FLAG_ACTIONS)})),
      from_status VARCHAR,
      to_status VARCHAR NOT NULL,
      user_id INTEGER,
      username VARCHAR NOT NULL,
      user_name VARCHAR NOT NULL,
      occurred_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      note VARCHAR,
      deadline DATE,
      batch_id INTEGER,
      visit_id BIGINT
    )`,
    `CREATE SEQUENCE visit_seq START 1`,
    `CREATE TABLE visits (
      visit_id BIGINT NOT NULL DEFAULT nextval('visit_seq'),
      school_code VARCHAR NOT NULL,
      visit_date DATE NOT NULL,
      kind VARCHAR NOT NULL CHECK (kind IN (${list(VISIT_KINDS)})),
      user_id INTEGER NOT NULL,
      username VARCHAR NOT NULL,
      user_name VARCHAR NOT NULL,
      inspector_id VARCHAR,
      findings VARCHAR NOT NULL,
      evidence VARCHAR,
      created_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`,
    `CREATE TABLE visit_checks (
      visit_id BIGINT NOT NULL,
      item VARCHAR NOT NULL CHECK (item IN (${list(CHECKLIST_ITEMS)})),
      result VARCHAR NOT NULL CHECK (result IN (${list(CHECK_RESULTS)})),
      note VARCHAR
    )`,
    `CREATE SEQUENCE policy_file_seq START 1`,
    `CREATE TABLE policy_files (
      policy_id INTEGER NOT NULL DEFAULT nextval('policy_file_seq'),
      district VARCHAR NOT NULL,
      file_name VARCHAR NOT NULL,
      sha256 VARCHAR NOT NULL,
      content VARCHAR NOT NULL,
      versions VARCHAR NOT NULL,
      loaded_by VARCHAR NOT NULL,
      loaded_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`,
  ],
};
