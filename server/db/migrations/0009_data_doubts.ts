/**
 * Data doubts (数据疑点): implausible figures of a school-month, apart from violations.
 *
 * A doubt is keyed by (school_code, month, rule): the checks (etl/doubts/) raise a rule at
 * most once per school-month and update its evidence when a later load still finds it. An
 * inspector reviews it: VERIFIED (核实无误: the figure is true, the doubt stays closed even if
 * the check still finds it) or CORRECTION_REQUESTED (要求更正); a later load in which the
 * check no longer holds makes it CLEARED. Every step is a row of data_doubt_events.
 */
import type { Migration } from '../migrate.ts';
import { DOUBT_STATUSES } from '../tables/data-doubts.table.ts';

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

export const dataDoubts: Migration = {
  version: 9,
  name: 'data doubts and their review steps',
  statements: [
    `CREATE SEQUENCE doubt_seq START 1`,
    `CREATE TABLE data_doubts (
      doubt_id BIGINT NOT NULL DEFAULT nextval('doubt_seq') PRIMARY KEY,
      school_code VARCHAR NOT NULL,
      month VARCHAR NOT NULL,
      rule VARCHAR NOT NULL,
      measure VARCHAR NOT NULL,
      value DOUBLE,
      reference DOUBLE,
      deviation DOUBLE,
      detail VARCHAR NOT NULL,
      detail_en VARCHAR NOT NULL,
      status VARCHAR NOT NULL CHECK (status IN (${list(DOUBT_STATUSES)})),
      evidence_batch_id INTEGER,
      policy_version VARCHAR,
      review_note VARCHAR,
      reviewed_by VARCHAR,
      reviewed_at TIMESTAMPTZ,
      created_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
      updated_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
      UNIQUE (school_code, month, rule)
    )`,
    `CREATE SEQUENCE doubt_event_seq START 1`,
    `CREATE TABLE data_doubt_events (
      event_id BIGINT NOT NULL DEFAULT nextval('doubt_event_seq') PRIMARY KEY,
      doubt_id BIGINT NOT NULL,
      action VARCHAR NOT NULL,
      from_status VARCHAR,
      to_status VARCHAR NOT NULL,
      user_id INTEGER,
      username VARCHAR,
      note VARCHAR,
      batch_id INTEGER,
      occurred_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
    )`,
  ],
};
