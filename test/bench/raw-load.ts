/**
 * The API benchmark's load reference: DuckDB alone reading the same CSV files into plain
 * tables (`read_csv` with the column types spelled out; the questionnaire exports, whose
 * columns are the questions, as text), then CHECKPOINT, in a new database file with the
 * warehouse's settings. No validation, no flags, no rollups: the floor any load sits on.
 */
import { rmSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { DUCKDB_THREADS, memoryLimitFromEnv } from '../../server/db/duckdb-settings.ts';
import { PARTICIPATION_COLUMNS } from './raw-read-csv.ts';

const REGISTRY = `{'school_code': 'VARCHAR', 'school_name': 'VARCHAR', 'township': 'VARCHAR', 'stage': 'VARCHAR',
  'locality': 'VARCHAR', 'ownership': 'VARCHAR', 'remote': 'VARCHAR', 'teachers_total': 'INTEGER'}`;
const ASSIGNMENTS = `{'inspector_id': 'VARCHAR', 'inspector_name': 'VARCHAR', 'school_code': 'VARCHAR', 'effective_month': 'VARCHAR'}`;
const MONTHLY = `{'school_code': 'VARCHAR', 'school_name': 'VARCHAR', 'month': 'VARCHAR', 'school_days': 'INTEGER',
  'service_days': 'INTEGER', 'daily_minutes': 'INTEGER', 'latest_end_time': 'VARCHAR', 'homework_periods': 'DECIMAL(4,1)',
  'written_homework_g12': 'VARCHAR', 'fee_per_period': 'DECIMAL(10,2)', 'fee_waived': 'INTEGER', 'waived_but_charged': 'INTEGER',
  'fees_published': 'VARCHAR', 'teachers_serving': 'INTEGER', 'teacher_pay_per_period': 'DECIMAL(10,2)', 'external_staff': 'INTEGER',
  'providers': 'INTEGER', 'providers_unapproved': 'INTEGER', 'largest_group': 'INTEGER', 'incidents': 'INTEGER', 'complaints': 'INTEGER'}`;

export interface RawLoadFiles {
  registry: string;
  assignments: string;
  monthly: string;
  participation: string;
  surveys: readonly string[];
}

/** Milliseconds from the first read_csv to the end of the CHECKPOINT; the database is removed. */
export async function rawLoad(dbPath: string, f: RawLoadFiles): Promise<number> {
  const instance = await DuckDBInstance.create(dbPath, {
    memory_limit: memoryLimitFromEnv(),
    threads: String(DUCKDB_THREADS),
  });
  const conn = await instance.connect();
  const quote = (p: string) => `'${p.replaceAll("'", "''")}'`;
  const table = (name: string, path: string, columns: string) =>
    `CREATE TABLE ${name} AS SELECT * FROM read_csv(${quote(path)}, header = true, columns = ${columns})`;
  try {
    const started = performance.now();
    await conn.run(table('schools', f.registry, REGISTRY));
    await conn.run(table('assignments', f.assignments, ASSIGNMENTS));
    await conn.run(table('monthly_reports', f.monthly, MONTHLY));
    await conn.run(table('participation', f.participation, PARTICIPATION_COLUMNS));
    await conn.run(
      `CREATE TABLE survey_responses AS SELECT * FROM read_csv([${f.surveys.map(quote).join(', ')}],
        header = true, all_varchar = true, union_by_name = true)`,
    );
    await conn.run('CHECKPOINT');
    return performance.now() - started;
  } finally {
    conn.closeSync();
    instance.closeSync();
    for (const p of [dbPath, `${dbPath}.wal`]) rmSync(p, { force: true });
  }
}
