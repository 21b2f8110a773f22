/**
 * Semester filings (学期备案, issue 17): what each school files with the bureau every
 * semester — 一校一案 (its plan), 需求征询 (demand surveys), service agreements, fee
 * publicity and refunds, teacher pay and subsidies. One row per filing, its structured
 * fields as JSON text validated by server/policy/filing-payloads.ts (a kind's
 * fields differ and a district adds fields faster than a migration would). A school may
 * file a kind again: the latest filing of a kind is the one in force, the older ones stay
 * as history. The bureau's review (受理 / 退回) is kept on the row; every step in
 * semester_filing_events.
 */
import type { Migration } from '../migrate.ts';

export const semesterFilings: Migration = {
  version: 13,
  name: 'semester filings (一校一案, 需求征询, agreements, fees, pay)',
  statements: [
    `CREATE SEQUENCE filing_seq START 1`,
    `CREATE TABLE semester_filings (
      filing_id INTEGER PRIMARY KEY DEFAULT nextval('filing_seq'),
      school_code VARCHAR NOT NULL,
      semester VARCHAR NOT NULL,
      kind VARCHAR NOT NULL CHECK (kind IN ('PLAN', 'SURVEY', 'AGREEMENT', 'FEES', 'PAY')),
      payload VARCHAR NOT NULL,
      status VARCHAR NOT NULL CHECK (status IN ('FILED', 'ACCEPTED', 'RETURNED')),
      filed_at TIMESTAMPTZ NOT NULL,
      filed_by INTEGER,
      filed_by_name VARCHAR NOT NULL,
      review_note VARCHAR,
      reviewed_at TIMESTAMPTZ,
      reviewed_by_name VARCHAR
    )`,
    `CREATE INDEX semester_filings_school ON semester_filings (semester, school_code)`,
    `CREATE SEQUENCE filing_event_seq START 1`,
    `CREATE TABLE semester_filing_events (
      event_id BIGINT PRIMARY KEY DEFAULT nextval('filing_event_seq'),
      filing_id INTEGER NOT NULL,
      action VARCHAR NOT NULL CHECK (action IN ('FILE', 'ACCEPT', 'RETURN')),
      note VARCHAR,
      user_id INTEGER,
      username VARCHAR NOT NULL,
      occurred_at TIMESTAMPTZ NOT NULL
    )`,
  ],
};
