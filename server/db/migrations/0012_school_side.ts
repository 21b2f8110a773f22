/**
 * The school side (issue 17): two more roles and the review of each school-month.
 *
 * - users gains school_code (a 学校填报员's one school) and township (a 学区审核员's
 *   township), and its role CHECK admits SCHOOL_REPORTER and TOWNSHIP_REVIEWER. The table
 *   is rebuilt, not altered, for the WAL-replay reason 0005 gives.
 * - unit_reviews holds each school-month's place in 草稿 → 已提交 → 已审核 (locked) / 退回;
 *   a school-month without a row is a draft. unit_review_events keeps every step (and every
 *   refused replacement of a locked unit) with who, when and why.
 */
import type { Migration } from '../migrate.ts';

export const schoolSide: Migration = {
  version: 12,
  name: 'school reporters, township reviewers and the review of school-months',
  statements: [
    `CREATE TABLE users_v12 (
      user_id INTEGER PRIMARY KEY DEFAULT nextval('user_seq'),
      username VARCHAR NOT NULL UNIQUE,
      display_name VARCHAR NOT NULL,
      role VARCHAR NOT NULL CHECK (role IN ('BUREAU_INSPECTOR', 'SUPERVISING_INSPECTOR',
        'LEADERSHIP', 'SCHOOL_REPORTER', 'TOWNSHIP_REVIEWER')),
      inspector_id VARCHAR,
      school_code VARCHAR,
      township VARCHAR,
      password_hash VARCHAR NOT NULL,
      disabled BOOLEAN NOT NULL DEFAULT false,
      created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`,
    `INSERT INTO users_v12 (user_id, username, display_name, role, inspector_id, password_hash,
        disabled, created_at, updated_at)
      SELECT user_id, username, display_name, role, inspector_id, password_hash,
        disabled, created_at, updated_at FROM users`,
    `DROP TABLE users`,
    `ALTER TABLE users_v12 RENAME TO users`,
    `CREATE TABLE unit_reviews (
      school_code VARCHAR NOT NULL,
      month VARCHAR NOT NULL,
      status VARCHAR NOT NULL CHECK (status IN ('DRAFT', 'SUBMITTED', 'APPROVED', 'RETURNED')),
      reasons VARCHAR,
      updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      updated_by INTEGER,
      updated_by_name VARCHAR,
      PRIMARY KEY (school_code, month)
    )`,
    `CREATE SEQUENCE unit_review_event_seq START 1`,
    `CREATE TABLE unit_review_events (
      event_id BIGINT PRIMARY KEY DEFAULT nextval('unit_review_event_seq'),
      school_code VARCHAR NOT NULL,
      month VARCHAR NOT NULL,
      action VARCHAR NOT NULL CHECK (action IN ('SUBMIT', 'APPROVE', 'RETURN', 'UNLOCK', 'LOCKED_LOAD_REFUSED')),
      from_status VARCHAR,
      to_status VARCHAR,
      note VARCHAR,
      batch_id VARCHAR,
      user_id INTEGER,
      username VARCHAR,
      occurred_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`,
  ],
};
