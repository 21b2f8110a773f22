/**
 * The warehouse as the ETL loads it. Every loaded row carries batch_id, source_sheet and
 * source_row so any figure can be traced to the file, sheet and Excel row it came from.
 *
 * Loaded tables deliberately have no PRIMARY KEY/UNIQUE: DuckDB's ART indexes make bulk
 * loads several times slower and a delete + re-insert of the same key in one transaction
 * can trip its constraint checks. Uniqueness is the loader's job (a unit replaces its
 * previous version) and is asserted by tests.
 */
import type { Migration } from '../migrate.ts';

const provenance = `batch_id INTEGER NOT NULL, source_sheet VARCHAR, source_row INTEGER`;

export const initialWarehouse: Migration = {
  version: 1,
  name: 'initial warehouse',
  statements: [
    `CREATE SEQUENCE load_batch_seq START 1`,
    `CREATE TABLE load_batches (
      batch_id INTEGER NOT NULL,
      file_name VARCHAR NOT NULL,
      file_path VARCHAR NOT NULL,
      sha256 VARCHAR NOT NULL,
      kind VARCHAR NOT NULL,
      sheets VARCHAR,
      status VARCHAR NOT NULL CHECK (status IN ('loaded', 'unchanged')),
      loaded_by VARCHAR NOT NULL,
      loaded_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      rows_read INTEGER NOT NULL,
      rows_skipped INTEGER NOT NULL,
      rows_loaded INTEGER NOT NULL,
      rows_rejected INTEGER NOT NULL,
      units_loaded INTEGER NOT NULL,
      units_rejected INTEGER NOT NULL
    )`,
    `CREATE TABLE load_rejects (
      batch_id INTEGER NOT NULL,
      sheet VARCHAR,
      row_number INTEGER,
      column_name VARCHAR,
      value VARCHAR,
      reason_code VARCHAR NOT NULL,
      reason_zh VARCHAR NOT NULL,
      reason_en VARCHAR NOT NULL
    )`,
    `CREATE TABLE schools (
      school_code VARCHAR NOT NULL,
      school_name VARCHAR NOT NULL,
      township VARCHAR NOT NULL,
      stage VARCHAR NOT NULL CHECK (stage IN ('primary', 'junior', 'nine_year', 'complete')),
      locality VARCHAR NOT NULL CHECK (locality IN ('urban', 'town', 'rural')),
      ownership VARCHAR NOT NULL CHECK (ownership IN ('public', 'private')),
      remote BOOLEAN NOT NULL,
      teachers_total INTEGER NOT NULL,
      valid_from DATE,
      valid_to DATE,
      merged_into VARCHAR,
      ${provenance}
    )`,
    `CREATE TABLE inspectors (
      inspector_id VARCHAR NOT NULL,
      inspector_name VARCHAR NOT NULL,
      batch_id INTEGER NOT NULL
    )`,
    `CREATE TABLE inspector_assignments (
      inspector_id VARCHAR NOT NULL,
      school_code VARCHAR NOT NULL,
      effective_month VARCHAR NOT NULL,
      ${provenance}
    )`,
    // A school's assignment set holds from its effective month until the school's next set.
    `CREATE VIEW inspector_assignment_periods AS
      WITH sets AS (SELECT DISTINCT school_code, effective_month FROM inspector_assignments),
      spans AS (
        SELECT school_code, effective_month AS valid_from,
               lead(effective_month) OVER (PARTITION BY school_code ORDER BY effective_month) AS valid_until
        FROM sets)
      SELECT a.inspector_id, a.school_code, s.valid_from, s.valid_until
      FROM inspector_assignments a JOIN spans s
        ON a.school_code = s.school_code AND a.effective_month = s.valid_from`,
    `CREATE TABLE monthly_reports (
      school_code VARCHAR NOT NULL,
      month VARCHAR NOT NULL,
      school_name_reported VARCHAR,
      school_days INTEGER NOT NULL,
      service_days INTEGER NOT NULL,
      daily_minutes INTEGER NOT NULL,
      latest_end_time VARCHAR,
      homework_periods DOUBLE NOT NULL,
      written_homework_g12 BOOLEAN NOT NULL,
      fee_per_period DECIMAL(10, 2) NOT NULL,
      fee_waived INTEGER NOT NULL,
      waived_but_charged INTEGER NOT NULL,
      fees_published BOOLEAN NOT NULL,
      teachers_serving INTEGER NOT NULL,
      teacher_pay_per_period DECIMAL(10, 2) NOT NULL,
      external_staff INTEGER NOT NULL,
      providers INTEGER NOT NULL,
      providers_unapproved INTEGER NOT NULL,
      largest_group INTEGER NOT NULL,
      incidents INTEGER NOT NULL,
      complaints INTEGER NOT NULL,
      ${provenance}
    )`,
    `CREATE TABLE participation (
      school_code VARCHAR NOT NULL,
      month VARCHAR NOT NULL,
      grade TINYINT NOT NULL,
      enrolled INTEGER NOT NULL,
      applicants INTEGER NOT NULL,
      participants INTEGER NOT NULL,
      left_behind_enrolled INTEGER NOT NULL,
      left_behind_participants INTEGER NOT NULL,
      migrant_enrolled INTEGER NOT NULL,
      migrant_participants INTEGER NOT NULL,
      disabled_enrolled INTEGER NOT NULL,
      disabled_participants INTEGER NOT NULL,
      poor_enrolled INTEGER NOT NULL,
      poor_participants INTEGER NOT NULL,
      five_day_participants INTEGER,
      ${provenance}
    )`,
    `CREATE TABLE survey_items (
      batch_id INTEGER NOT NULL,
      item_no INTEGER NOT NULL,
      item_text VARCHAR NOT NULL,
      is_overall BOOLEAN NOT NULL
    )`,
    `CREATE TABLE survey_responses (
      batch_id INTEGER NOT NULL,
      response_no INTEGER NOT NULL,
      school_code VARCHAR NOT NULL,
      respondent VARCHAR NOT NULL CHECK (respondent IN ('parent', 'student', 'teacher')),
      submitted_at TIMESTAMP,
      month VARCHAR,
      source_sheet VARCHAR,
      source_row INTEGER
    )`,
    `CREATE TABLE survey_answers (
      batch_id INTEGER NOT NULL,
      response_no INTEGER NOT NULL,
      item_no INTEGER NOT NULL,
      score TINYINT NOT NULL CHECK (score BETWEEN 1 AND 5)
    )`,
  ],
};
