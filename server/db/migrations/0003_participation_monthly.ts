/**
 * A per-school monthly rollup of participation, kept by the ETL in the same transaction
 * as the grade rows it sums. At city scale (10,000 schools × 24 months × 7 grades) the
 * API's school pages and trends read 240,000 rollup rows instead of 1.7 million.
 */
import type { Migration } from '../migrate.ts';

export const ROLLUP_SELECT = `SELECT school_code, month, count(*)::INTEGER AS grades,
    sum(enrolled)::BIGINT AS enrolled, sum(applicants)::BIGINT AS applicants,
    sum(participants)::BIGINT AS participants,
    sum(left_behind_enrolled)::BIGINT AS left_behind_enrolled,
    sum(left_behind_participants)::BIGINT AS left_behind_participants,
    sum(migrant_enrolled)::BIGINT AS migrant_enrolled,
    sum(migrant_participants)::BIGINT AS migrant_participants,
    sum(disabled_enrolled)::BIGINT AS disabled_enrolled,
    sum(disabled_participants)::BIGINT AS disabled_participants,
    sum(poor_enrolled)::BIGINT AS poor_enrolled,
    sum(poor_participants)::BIGINT AS poor_participants,
    sum(five_day_participants)::BIGINT AS five_day_participants,
    sum(participants) FILTER (WHERE five_day_participants IS NOT NULL)::BIGINT AS five_day_base
  FROM participation`;

export const participationMonthly: Migration = {
  version: 3,
  name: 'participation_monthly rollup',
  statements: [
    `CREATE TABLE participation_monthly (
      school_code VARCHAR NOT NULL, month VARCHAR NOT NULL, grades INTEGER NOT NULL,
      enrolled BIGINT NOT NULL, applicants BIGINT NOT NULL, participants BIGINT NOT NULL,
      left_behind_enrolled BIGINT NOT NULL, left_behind_participants BIGINT NOT NULL,
      migrant_enrolled BIGINT NOT NULL, migrant_participants BIGINT NOT NULL,
      disabled_enrolled BIGINT NOT NULL, disabled_participants BIGINT NOT NULL,
      poor_enrolled BIGINT NOT NULL, poor_participants BIGINT NOT NULL,
      five_day_participants BIGINT, five_day_base BIGINT
    )`,
    `INSERT INTO participation_monthly ${ROLLUP_SELECT} GROUP BY school_code, month`,
  ],
};
