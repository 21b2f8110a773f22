/**
 * The ETL benchmark's reference process: what DuckDB alone does with the participation
 * file, `read_csv` with its column types spelled out into a plain table of a new database
 * file, then CHECKPOINT, with the warehouse's settings (server/db/duckdb-settings.ts).
 *   raw-read-csv.ts <database> <participation.csv>
 * Prints the rows loaded.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { DUCKDB_THREADS, memoryLimitFromEnv } from '../../server/db/duckdb-settings.ts';

export const PARTICIPATION_COLUMNS = `{'school_code': 'VARCHAR', 'month': 'VARCHAR', 'grade': 'TINYINT', 'enrolled': 'INTEGER',
  'applicants': 'INTEGER', 'participants': 'INTEGER', 'left_behind_enrolled': 'INTEGER', 'left_behind_participants': 'INTEGER',
  'migrant_enrolled': 'INTEGER', 'migrant_participants': 'INTEGER', 'disabled_enrolled': 'INTEGER', 'disabled_participants': 'INTEGER',
  'poor_enrolled': 'INTEGER', 'poor_participants': 'INTEGER', 'five_day_participants': 'INTEGER'}`;

async function main(dbPath: string, csv: string): Promise<void> {
  const instance = await DuckDBInstance.create(dbPath, {
    memory_limit: memoryLimitFromEnv(),
    threads: String(DUCKDB_THREADS),
  });
  const conn = await instance.connect();
  await conn.run(
    `CREATE TABLE participation AS SELECT * FROM read_csv('${csv}', header = true, columns = ${PARTICIPATION_COLUMNS})`,
  );
  await conn.run('CHECKPOINT');
  // CREATE TABLE AS reports no row count; the table's count is metadata, not another scan.
  const rows = (
    await conn.runAndReadAll('SELECT count(*)::INTEGER AS n FROM participation')
  ).getRowObjectsJS()[0]!.n;
  conn.closeSync();
  instance.closeSync();
  process.stdout.write(`${Number(rows)}\n`);
}

// Run as a script (the benchmark's child process), not when imported for its columns.
if (process.argv[1] === import.meta.filename) {
  const [dbPath, csv] = process.argv.slice(2);
  await main(dbPath!, csv!);
}
