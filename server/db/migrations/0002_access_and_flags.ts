/**
 * Users, sessions and the audit log (the server's own writes), and the flags table the
 * rules engine fills. These small tables do carry keys: they are written one row at a
 * time through the server's single writer, never bulk loaded.
 */
import type { Migration } from '../migrate.ts';

export const accessAndFlags: Migration = {
  version: 2,
  name: 'users, sessions, audit log, flags',
  statements: [
    `CREATE SEQUENCE user_seq START 1`,
    `CREATE TABLE users (
      user_id INTEGER PRIMARY KEY DEFAULT nextval('user_seq'),
      username VARCHAR NOT NULL UNIQUE,
      display_name VARCHAR NOT NULL,
      role VARCHAR NOT NULL CHECK (role IN ('BUREAU_INSPECTOR', 'SUPERVISING_INSPECTOR', 'LEADERSHIP')),
      inspector_id VARCHAR,
      password_hash VARCHAR NOT NULL,
      disabled BOOLEAN NOT NULL DEFAULT false,
      failed_logins INTEGER NOT NULL DEFAULT 0,
      locked_until TIMESTAMPTZ,
      created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`,
    // Only the sha256 of a session token is stored: a copy of the warehouse cannot sign in.
    `CREATE TABLE sessions (
      token_hash VARCHAR NOT NULL,
      user_id INTEGER NOT NULL,
      created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      last_seen_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      expires_at TIMESTAMPTZ NOT NULL,
      ip VARCHAR,
      user_agent VARCHAR
    )`,
    `CREATE SEQUENCE audit_seq START 1`,
    `CREATE TABLE audit_log (
      audit_id BIGINT NOT NULL DEFAULT nextval('audit_seq'),
      occurred_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      user_id INTEGER,
      username VARCHAR,
      action VARCHAR NOT NULL,
      target VARCHAR,
      outcome VARCHAR NOT NULL CHECK (outcome IN ('ok', 'denied', 'failed')),
      detail VARCHAR,
      ip VARCHAR
    )`,
    `CREATE SEQUENCE flag_seq START 1`,
    `CREATE TABLE flags (
      flag_id BIGINT NOT NULL DEFAULT nextval('flag_seq'),
      school_code VARCHAR NOT NULL,
      month VARCHAR,
      code VARCHAR NOT NULL,
      status VARCHAR NOT NULL CHECK (status IN ('OPEN', 'RECTIFYING', 'RECTIFIED', 'CLOSED', 'DISMISSED')),
      detail VARCHAR NOT NULL,
      created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`,
  ],
};
