/**
 * One timed trial in its own process, so peak memory is this path's alone:
 *   etl-trial.ts etl <warehouse> <registry.csv> <participation.csv>
 *   etl-trial.ts raw <warehouse> <participation.csv>
 * Prints one JSON line: { ms, rows, maxRssMiB }.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { openWarehouse } from '../../server/db/connect.ts';
import { loadPaths } from '../../etl/index.ts';

const [mode, dbPath, ...files] = process.argv.slice(2);

const RAW_COLUMNS = `{'school_code': 'VARCHAR', 'month': 'VARCHAR', 'grade': 'TINYINT', 'enrolled': 'INTEGER',
  'applicants': 'INTEGER', 'participants': 'INTEGER', 'left_behind_enrolled': 'INTEGER', 'left_behind_participants': 'INTEGER',
  'migrant_enrolled': 'INTEGER', 'migrant_participants': 'INTEGER', 'disabled_enrolled': 'INTEGER', 'disabled_participants': 'INTEGER',
  'poor_enrolled': 'INTEGER', 'poor_participants': 'INTEGER', 'five_day_participants': 'INTEGER'}`;

async function raw(): Promise<{ ms: number; rows: number }> {
  const instance = await DuckDBInstance.create(dbPath!, { memory_limit: '1GB', threads: '2' });
  const conn = await instance.connect();
  const started = performance.now();
  const result = await conn.run(
    `CREATE TABLE participation AS SELECT * FROM read_csv('${files[0]}', header = true, columns = ${RAW_COLUMNS})`,
  );
  await conn.run('CHECKPOINT');
  const ms = performance.now() - started;
  const rows = Number(result.rowsChanged);
  conn.closeSync();
  instance.closeSync();
  return { ms, rows };
}

async function etl(): Promise<{ ms: number; rows: number }> {
  const warehouse = await openWarehouse(dbPath!);
  await loadPaths(warehouse, [files[0]!]);
  const started = performance.now();
  const summary = await loadPaths(warehouse, [files[1]!]);
  const conn = await warehouse.connect();
  await conn.run('CHECKPOINT');
  conn.closeSync();
  const ms = performance.now() - started;
  const file = summary.files[0];
  if (!file || file.error || file.rowsRejected > 0)
    throw new Error(`benchmark load failed: ${JSON.stringify(file).slice(0, 500)}`);
  await warehouse.close();
  return { ms, rows: file.rowsLoaded };
}

const out = mode === 'raw' ? await raw() : await etl();
process.stdout.write(
  `${JSON.stringify({ ...out, maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`,
);
