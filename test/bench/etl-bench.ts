/**
 * `npm run bench -- etl [--schools 10000] [--runs 3] [--stress]`
 *
 * The ETL as a user runs it against DuckDB alone on the same file, each a whole process
 * timed from spawn to exit, alternating, each in a fresh warehouse file:
 * - ETL: `etl load --json participation.csv` (etl/cli.ts) on a warehouse that already holds
 *   the registry (loaded once beforehand, untimed), flags and the missing-report sweep included;
 * - raw: `read_csv` of the same file into a plain table of a new database (raw-read-csv.ts).
 * Both start the same way (`node --import tsx`), so the ratio compares the ETL's work and
 * its module graph with DuckDB's own. Then the planted breaks against the flags raised.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { raisedFlags, tallyLines } from './flag-tally.ts';
import { generateBenchFiles } from './generate-bench-files.ts';

export interface EtlBenchArgs {
  schools: number;
  runs: number;
  stress: boolean;
}

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'etl/cli.ts');
const RAW = join(import.meta.dirname, 'raw-read-csv.ts');

interface Trial {
  ms: number;
  maxRssMiB: number;
  stdout: string;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Runs one script as its own process (warehouse `db`) and times it from spawn to exit. */
function timed(dir: string, db: string, script: string, args: string[]): Trial {
  const rssFile = join(dir, 'rss');
  rmSync(rssFile, { force: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KEHOU_DB: db,
    KEHOU_LOG_LEVEL: 'silent',
    KEHOU_BENCH_RSS_FILE: rssFile,
  };
  // The warehouses store the default policy, which the generator follows.
  delete env.KEHOU_POLICY;
  const started = performance.now();
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--import', join(import.meta.dirname, 'peak-rss.ts'), script, ...args],
    { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  const ms = performance.now() - started;
  // etl load exits 2 when units were rejected: the benchmark's files must load whole.
  if (run.status !== 0)
    throw new Error(
      `${script} ${args.join(' ')} exited ${String(run.status)}: ${run.stderr.slice(-2000)}${run.stdout.slice(0, 2000)}`,
    );
  return { ms, maxRssMiB: Number(readFileSync(rssFile, 'utf8')), stdout: run.stdout };
}

function removeDb(db: string): void {
  for (const f of [db, `${db}.wal`]) rmSync(f, { force: true });
  rmSync(db.replace(/\.duckdb$/u, '.work'), { recursive: true, force: true });
}

interface LoadJson {
  files: { rowsLoaded: number; rowsRejected: number; error?: string; flags?: { raised: number } }[];
}

export async function benchEtl(args: EtlBenchArgs): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kehou-bench-'));
  try {
    const t0 = performance.now();
    const files = await generateBenchFiles(dir, args.schools, args.stress);
    console.log(
      `generated ${files.rows.toLocaleString('en')} participation rows for ${args.schools.toLocaleString('en')} schools ` +
        `(${args.stress ? 'stress: every school-month breaks a rule' : 'realistic'}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    // The registry once, into a template each ETL trial starts from (a copy, so each is fresh).
    const template = join(dir, 'template.duckdb');
    timed(dir, template, CLI, ['load', '--json', files.registry]);

    const etl: Trial[] = [];
    const raw: Trial[] = [];
    let raised: Record<string, number> = {};
    let rows = 0;
    for (let i = 0; i < args.runs; i++) {
      const rawDb = join(dir, `raw-${i}.duckdb`);
      const rawTrial = timed(dir, rawDb, RAW, [rawDb, files.participation]);
      if (Number(rawTrial.stdout) !== files.rows)
        throw new Error(`raw read_csv loaded ${rawTrial.stdout.trim()} rows, not ${files.rows}`);
      raw.push(rawTrial);
      removeDb(rawDb);

      const etlDb = join(dir, `etl-${i}.duckdb`);
      copyFileSync(template, etlDb);
      if (existsSync(`${template}.wal`)) copyFileSync(`${template}.wal`, `${etlDb}.wal`);
      const trial = timed(dir, etlDb, CLI, ['load', '--json', files.participation]);
      etl.push(trial);
      const file = (JSON.parse(trial.stdout) as LoadJson).files[0];
      if (!file || file.error || file.rowsRejected > 0)
        throw new Error(`benchmark load failed: ${JSON.stringify(file).slice(0, 500)}`);
      rows = file.rowsLoaded;
      if (i === 0) raised = await flagsIn(etlDb);
      removeDb(etlDb);
      console.log(
        `run ${i + 1}: raw ${raw.at(-1)!.ms.toFixed(0)} ms, etl ${trial.ms.toFixed(0)} ms (${file.flags?.raised ?? 0} flags raised)`,
      );
    }

    const rawMs = median(raw.map((t) => t.ms));
    const etlMs = median(etl.map((t) => t.ms));
    const rate = (ms: number) => Math.round(rows / (ms / 1000)).toLocaleString('en');
    console.log('');
    console.log(`rows                          ${rows.toLocaleString('en')}`);
    console.log(
      `raw read_csv process (median) ${(rawMs / 1000).toFixed(2)} s   ${rate(rawMs)} rows/s   peak RSS ${Math.max(...raw.map((t) => t.maxRssMiB))} MiB`,
    );
    console.log(
      `etl load process (median)     ${(etlMs / 1000).toFixed(2)} s   ${rate(etlMs)} rows/s   peak RSS ${Math.max(...etl.map((t) => t.maxRssMiB))} MiB`,
    );
    console.log(
      `ratio ETL / raw               ${(etlMs / rawMs).toFixed(2)}   (whole processes, medians of ${args.runs}; target ≤ 2.0; peak RSS target ≤ 1024 MiB)`,
    );
    console.log('');
    console.log('planted breaks vs flags raised by the load (first run):');
    for (const line of tallyLines(files.planted, raised, files.schoolMonths))
      console.log(`  ${line}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Report flags per rule in a closed warehouse file. */
async function flagsIn(db: string): Promise<Record<string, number>> {
  const instance = await DuckDBInstance.create(db, { access_mode: 'READ_ONLY' });
  const conn = await instance.connect();
  try {
    return await raisedFlags(conn);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
