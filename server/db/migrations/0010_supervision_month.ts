/**
 * The 责任督学's month (issue 16): complaints (投诉与举报) and their steps, evidence files
 * (photos and documents on visits, complaints and flags), 四不两直 draws with their seeds
 * and drawn schools, the in-app reminders inbox and its push deliveries, and the district's
 * push channels (钉钉 / 企业微信 group robots, e-mail).
 *
 * The visit plan's risk score is computed from these and the facts, never stored.
 */
import type { Migration } from '../migrate.ts';
import { COMPLAINT_SOURCES, COMPLAINT_STATUSES } from '../tables/complaints.table.ts';
import { EVIDENCE_OWNER_KINDS } from '../tables/evidence-files.table.ts';
import { PUSH_CHANNEL_KINDS } from '../tables/notifications.table.ts';

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

export const supervisionMonth: Migration = {
  version: 10,
  name: 'complaints, evidence files, unannounced-visit draws, reminders',
  statements: [
    `CREATE SEQUENCE complaint_seq START 1`,
    `CREATE TABLE complaints (
      complaint_id BIGINT NOT NULL DEFAULT nextval('complaint_seq') PRIMARY KEY,
      school_code VARCHAR NOT NULL,
      source VARCHAR NOT NULL CHECK (source IN (${list(COMPLAINT_SOURCES)})),
      flag_code VARCHAR NOT NULL,
      received_on DATE NOT NULL,
      month VARCHAR NOT NULL,
      allegation VARCHAR NOT NULL,
      complainant_name VARCHAR,
      complainant_contact VARCHAR,
      status VARCHAR NOT NULL CHECK (status IN (${list(COMPLAINT_STATUSES)})),
      handler_user_id INTEGER,
      deadline DATE NOT NULL,
      flag_id BIGINT,
      visit_id BIGINT,
      finding VARCHAR,
      substantiated BOOLEAN,
      created_by_user_id INTEGER NOT NULL,
      created_by VARCHAR NOT NULL,
      created_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
      updated_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
      closed_at TIMESTAMPTZ
    )`,
    `CREATE SEQUENCE complaint_event_seq START 1`,
    `CREATE TABLE complaint_events (
      event_id BIGINT NOT NULL DEFAULT nextval('complaint_event_seq') PRIMARY KEY,
      complaint_id BIGINT NOT NULL,
      action VARCHAR NOT NULL,
      from_status VARCHAR,
      to_status VARCHAR NOT NULL,
      user_id INTEGER,
      username VARCHAR NOT NULL,
      user_name VARCHAR NOT NULL,
      note VARCHAR,
      occurred_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
    )`,
    `CREATE SEQUENCE evidence_file_seq START 1`,
    `CREATE TABLE evidence_files (
      file_id BIGINT NOT NULL DEFAULT nextval('evidence_file_seq') PRIMARY KEY,
      owner_kind VARCHAR NOT NULL CHECK (owner_kind IN (${list(EVIDENCE_OWNER_KINDS)})),
      owner_id BIGINT NOT NULL,
      school_code VARCHAR NOT NULL,
      month VARCHAR NOT NULL,
      file_name VARCHAR NOT NULL,
      mime VARCHAR NOT NULL,
      bytes BIGINT NOT NULL,
      sha256 VARCHAR NOT NULL,
      thumb_sha256 VARCHAR,
      width INTEGER,
      height INTEGER,
      stripped VARCHAR,
      caption VARCHAR,
      uploaded_by_user_id INTEGER NOT NULL,
      uploaded_by VARCHAR NOT NULL,
      uploaded_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
      deleted_at TIMESTAMPTZ
    )`,
    `CREATE SEQUENCE visit_draw_seq START 1`,
    `CREATE TABLE visit_draws (
      draw_id BIGINT NOT NULL DEFAULT nextval('visit_draw_seq') PRIMARY KEY,
      seed VARCHAR NOT NULL,
      from_date DATE NOT NULL,
      to_date DATE NOT NULL,
      sample_size INTEGER NOT NULL,
      recent_days INTEGER NOT NULL,
      include_recent BOOLEAN NOT NULL,
      scope_json VARCHAR,
      policy_version VARCHAR,
      drawn_by_user_id INTEGER NOT NULL,
      drawn_by VARCHAR NOT NULL,
      drawn_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
      note VARCHAR
    )`,
    `CREATE TABLE visit_draw_schools (
      draw_id BIGINT NOT NULL,
      school_code VARCHAR NOT NULL,
      township VARCHAR NOT NULL,
      risk_band VARCHAR NOT NULL,
      risk_score DOUBLE NOT NULL,
      position INTEGER NOT NULL,
      visit_date DATE NOT NULL,
      visit_id BIGINT,
      PRIMARY KEY (draw_id, school_code)
    )`,
    `CREATE SEQUENCE notification_seq START 1`,
    `CREATE TABLE notifications (
      notification_id BIGINT NOT NULL DEFAULT nextval('notification_seq') PRIMARY KEY,
      user_id INTEGER NOT NULL,
      kind VARCHAR NOT NULL,
      dedupe_key VARCHAR NOT NULL,
      school_code VARCHAR,
      month VARCHAR,
      title VARCHAR NOT NULL,
      body VARCHAR NOT NULL,
      link VARCHAR,
      created_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
      read_at TIMESTAMPTZ,
      UNIQUE (user_id, dedupe_key)
    )`,
    `CREATE SEQUENCE push_channel_seq START 1`,
    `CREATE TABLE push_channels (
      channel_id BIGINT NOT NULL DEFAULT nextval('push_channel_seq') PRIMARY KEY,
      kind VARCHAR NOT NULL CHECK (kind IN (${list(PUSH_CHANNEL_KINDS)})),
      name VARCHAR NOT NULL UNIQUE,
      target VARCHAR NOT NULL,
      secret VARCHAR,
      kinds_json VARCHAR,
      enabled BOOLEAN NOT NULL DEFAULT true,
      created_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
      updated_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
    )`,
    `CREATE SEQUENCE push_delivery_seq START 1`,
    `CREATE TABLE push_deliveries (
      delivery_id BIGINT NOT NULL DEFAULT nextval('push_delivery_seq') PRIMARY KEY,
      channel_id BIGINT NOT NULL,
      dedupe_key VARCHAR NOT NULL,
      status VARCHAR NOT NULL CHECK (status IN ('PENDING', 'SENT', 'FAILED')),
      attempts INTEGER NOT NULL DEFAULT 0,
      last_error VARCHAR,
      payload_json VARCHAR NOT NULL,
      created_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
      sent_at TIMESTAMPTZ,
      UNIQUE (channel_id, dedupe_key)
    )`,
  ],
};
