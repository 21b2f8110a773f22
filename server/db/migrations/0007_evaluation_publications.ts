/**
 * Published evaluations (考核结果发布): a publication per period and version, with the
 * scheme version it was scored with and who published it, and one result row per school
 * holding the scored figures as they were at publishing (indicators and deductions as
 * JSON text, exactly as the scoring gave them) and the previous period's score and grade;
 * `extras` keeps the optional members of a scored school (evaluation.types.ts) that have no
 * column, so a member the seam gains later is published too; `ordinal` keeps the schools in the order they were published in; `publication_id` (a
 * random UUID) names a publication's content for readers that keep it in memory.
 *
 * Append-only: a correction is a new version, never an update. The keys refuse a second
 * row for a (period, version) or a (period, version, school); nothing in the server
 * updates or deletes these tables. Unlike the loaded tables (0001_initial.ts) they carry
 * keys: a publication is written once, in one statement per table, never replaced.
 */
import type { Migration } from '../migrate.ts';
import { GRADES } from '../tables/evaluation-publications.table.ts';

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

export const evaluationPublications: Migration = {
  version: 7,
  name: 'published evaluations and their school results',
  statements: [
    `CREATE TABLE evaluation_publications (
      period VARCHAR NOT NULL,
      version INTEGER NOT NULL CHECK (version >= 1),
      publication_id VARCHAR NOT NULL,
      scheme_version VARCHAR NOT NULL,
      scheme_name VARCHAR NOT NULL,
      scheme_source VARCHAR NOT NULL,
      scheme_effective_from VARCHAR NOT NULL,
      scheme_max_score DOUBLE NOT NULL,
      published_at TIMESTAMPTZ NOT NULL,
      published_by_user_id INTEGER NOT NULL,
      published_by_username VARCHAR NOT NULL,
      published_by_name VARCHAR NOT NULL,
      note VARCHAR,
      school_count INTEGER NOT NULL,
      PRIMARY KEY (period, version)
    )`,
    `CREATE TABLE evaluation_results (
      period VARCHAR NOT NULL,
      version INTEGER NOT NULL,
      ordinal INTEGER NOT NULL,
      school_code VARCHAR NOT NULL,
      school_name VARCHAR NOT NULL,
      township VARCHAR NOT NULL,
      stage VARCHAR NOT NULL CHECK (stage IN ('primary', 'junior', 'nine_year', 'complete')),
      locality VARCHAR NOT NULL CHECK (locality IN ('urban', 'town', 'rural')),
      score DOUBLE NOT NULL,
      grade VARCHAR NOT NULL CHECK (grade IN (${list(GRADES)})),
      vetoed BOOLEAN NOT NULL,
      veto_reason VARCHAR,
      incomplete BOOLEAN NOT NULL,
      excellent_capped BOOLEAN NOT NULL,
      extras JSON NOT NULL,
      indicators JSON NOT NULL,
      deductions JSON NOT NULL,
      previous_score DOUBLE,
      previous_grade VARCHAR CHECK (previous_grade IN (${list(GRADES)})),
      PRIMARY KEY (period, version, school_code)
    )`,
  ],
};
