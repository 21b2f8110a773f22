/**
 * `npm run bench -- national [--districts 200] [--check all|<n>] [--keep]`
 *
 * The national scale simulated: 200 districts × 12 months (~24 M participation rows,
 * national-data.ts) generated with DuckDB set-based SQL straight into the export's layout
 * (`<table>/district=<code>/month=<YYYY-MM>/data_0.parquet`, as `warehouse export` writes
 * it, one district at a time), then, in a process of its own, every portable aggregate
 * (server/db/export/aggregates/*.sql) run with DuckDB over the Parquet tree: time per
 * aggregate and the process's peak RSS at DuckDB's memory_limit (KEHOU_DUCKDB_MEMORY_MB,
 * default 512 MB). Then the check: for each district (all, or an evenly spread sample of
 * --check n), the same SQL files run over that district's tables built afresh from the
 * generator in a new DuckDB (not from the tree) must give exactly the national run's rows
 * of that district, and national.sql's month totals must equal the sums of those
 * per-district rows. Exit status 1 on any difference.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { DUCKDB_THREADS, memoryLimitFromEnv } from '../../server/db/duckdb-settings.ts';
import {
  AGGREGATES,
  aggregateSql,
  type AggregateName,
} from '../../server/db/export/national-reader.ts';
import { loadPolicy } from '../../server/policy/policy.ts';
import {
  districtCodes,
  MONTHLY_TABLES,
  nationalSelects,
  type NationalSelects,
} from './national-data.ts';

const PER_DISTRICT: readonly AggregateName[] = AGGREGATES.filter((a) => a !== 'national');

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mib = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`;

type Row = Record<string, unknown>;

function plain(row: Row): Row {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => [
      k,
      typeof v === 'bigint' ? Number(v) : v instanceof Date ? v.toISOString() : v,
    ]),
  );
}

async function read(conn: DuckDBConnection, sql: string): Promise<Row[]> {
  return (await conn.runAndReadAll(sql)).getRowObjectsJS().map((r) => plain(r as Row));
}

async function instance(): Promise<{ conn: DuckDBConnection; close: () => void }> {
  const db = await DuckDBInstance.create(':memory:', {
    memory_limit: memoryLimitFromEnv(),
    threads: String(DUCKDB_THREADS),
    autoinstall_known_extensions: 'false',
  });
  const conn = await db.connect();
  return {
    conn,
    close: () => {
      conn.closeSync();
      db.closeSync();
    },
  };
}

/** Writes one district's tables into the tree, as `warehouse export` lays them out. */
async function writeDistrict(
  conn: DuckDBConnection,
  tree: string,
  code: string,
  selects: NationalSelects,
): Promise<void> {
  // The grade rows once per district; the rollup reads them back as the ETL's rollup does.
  await conn.run(`CREATE OR REPLACE TEMP TABLE gen_participation AS ${selects.participation}`);
  for (const [table, select] of Object.entries(selects)) {
    const source =
      table === 'participation'
        ? 'SELECT * FROM gen_participation'
        : table === 'participation_monthly'
          ? select.replace(`(${selects.participation})`, 'gen_participation')
          : select;
    const folder = join(tree, table, `district=${code}`);
    mkdirSync(folder, { recursive: true });
    const rows = `SELECT * EXCLUDE (district) FROM (${source})`;
    if (MONTHLY_TABLES.has(table))
      await conn.run(
        `COPY (${rows}) TO '${folder}' (FORMAT parquet, PARTITION_BY (month), OVERWRITE_OR_IGNORE)`,
      );
    else await conn.run(`COPY (${rows}) TO '${join(folder, 'data_0.parquet')}' (FORMAT parquet)`);
  }
}

function treeSizes(tree: string): Map<string, { files: number; bytes: number }> {
  const out = new Map<string, { files: number; bytes: number }>();
  for (const table of readdirSync(tree).sort()) {
    const files = readdirSync(join(tree, table), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.parquet'));
    out.set(table, {
      files: files.length,
      bytes: files.reduce((n, f) => n + statSync(join(tree, table, f)).size, 0),
    });
  }
  return out;
}

/** Evenly spread sample of `n` of `codes` (all when n ≥ their number). */
function sample(codes: readonly string[], n: number): string[] {
  if (n >= codes.length) return [...codes];
  return Array.from({ length: n }, (_, i) => codes[Math.floor((i * codes.length) / n)] as string);
}

export async function benchNational(options: {
  districts: number;
  check: number | 'all';
  keep: boolean;
}): Promise<void> {
  const policy = loadPolicy();
  const codes = districtCodes(options.districts);
  const tree = mkdtempSync(join(tmpdir(), 'kehou-national-tree-'));
  console.log(
    `national: ${codes.length} districts × 12 months into ${tree} (memory_limit ${memoryLimitFromEnv()}, ${DUCKDB_THREADS} threads)`,
  );
  let failed = false;
  try {
    // 1. Generate straight into the export layout, one district at a time.
    const gen = await instance();
    const g0 = performance.now();
    try {
      for (const [i, code] of codes.entries()) {
        await writeDistrict(gen.conn, tree, code, nationalSelects([code], policy));
        if ((i + 1) % 20 === 0)
          console.log(
            `  generated ${i + 1}/${codes.length} districts (${seconds(performance.now() - g0)})`,
          );
      }
    } finally {
      gen.close();
    }
    const generateMs = performance.now() - g0;
    const sizes = treeSizes(tree);

    // 2. The aggregates over the tree, in their own process.
    const out = join(tree, '..', `${tree.split('/').pop()}-results.json`);
    const rssFile = join(tree, '..', `${tree.split('/').pop()}-rss.txt`);
    const r0 = performance.now();
    const child = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--import',
        join(import.meta.dirname, 'peak-rss.ts'),
        join(import.meta.dirname, 'national-run.ts'),
        tree,
        out,
      ],
      {
        stdio: ['ignore', 'inherit', 'inherit'],
        env: { ...process.env, KEHOU_BENCH_RSS_FILE: rssFile },
      },
    );
    const runMs = performance.now() - r0;
    if (child.status !== 0) throw new Error(`national-run.ts failed (${String(child.status)})`);
    const run = JSON.parse(readFileSync(out, 'utf8')) as {
      openMs: number;
      participationRows: number;
      settings: { memory_limit: string; threads: string };
      results: Record<string, { ms: number; rows: Row[] }>;
    };
    const peakRss = Number(readFileSync(rssFile, 'utf8'));
    rmSync(out, { force: true });
    rmSync(rssFile, { force: true });

    // 3. The check: per district, the same SQL over tables built afresh from the generator.
    const checked = sample(codes, options.check === 'all' ? codes.length : options.check);
    const c0 = performance.now();
    const mismatches: string[] = [];
    const sums = new Map<string, Record<string, number>>();
    for (const [i, code] of checked.entries()) {
      if (i > 0 && i % 20 === 0)
        console.log(
          `  checked ${i}/${checked.length} districts (${seconds(performance.now() - c0)})`,
        );
      const own = await instance();
      try {
        const selects = nationalSelects([code], policy);
        for (const [table, select] of Object.entries(selects))
          await own.conn.run(`CREATE TABLE ${table} AS ${select}`);
        for (const name of PER_DISTRICT) {
          const mine = await read(own.conn, aggregateSql(name));
          const national = (run.results[name]?.rows ?? []).filter((r) => r.district === code);
          if (JSON.stringify(mine) !== JSON.stringify(national))
            mismatches.push(
              `${code} ${name}: ${mine.length} rows here, ${national.length} in the national run`,
            );
          if (name === 'coverage' || name === 'participation')
            for (const row of mine) {
              const month = String(row.month);
              const s = sums.get(month) ?? {
                schools_in_scope: 0,
                schools_reporting: 0,
                schools_offering: 0,
                enrolled: 0,
                participants: 0,
              };
              const add = (k: string, v: unknown) => (s[k] = (s[k] ?? 0) + Number(v ?? 0));
              if (name === 'coverage') {
                add('schools_in_scope', row.schools_in_scope);
                if (row.service_month === true) {
                  add('schools_reporting', row.schools_reporting);
                  add('schools_offering', row.schools_offering);
                }
              } else {
                add('enrolled', row.enrolled);
                add('participants', row.participants);
              }
              sums.set(month, s);
            }
        }
      } finally {
        own.close();
      }
    }
    // national.sql against the sums of the checked districts (all of them: every month).
    if (checked.length === codes.length)
      for (const row of run.results.national?.rows ?? []) {
        const s = sums.get(String(row.month)) ?? {};
        const expected = {
          schools_in_scope: s.schools_in_scope,
          schools_reporting: s.schools_reporting,
          schools_offering: s.schools_offering,
          enrolled: s.enrolled,
          participants: s.participants,
          participation_rate: (s.participants ?? 0) / (s.enrolled ?? 0),
        };
        const actual = Object.fromEntries(Object.keys(expected).map((k) => [k, row[k]]));
        if (JSON.stringify(actual) !== JSON.stringify(expected))
          mismatches.push(
            `national ${String(row.month)}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`,
          );
      }
    const checkMs = performance.now() - c0;

    // 4. Report.
    const districtMonths = (run.results.participation?.rows ?? []).length;
    console.log(`\ngenerated and written in ${seconds(generateMs)}`);
    let files = 0;
    let bytes = 0;
    for (const [table, s] of sizes) {
      files += s.files;
      bytes += s.bytes;
      console.log(
        `  ${table.padEnd(24)} ${String(s.files).padStart(6)} files ${mib(s.bytes).padStart(12)}`,
      );
    }
    console.log(
      `  ${'total'.padEnd(24)} ${String(files).padStart(6)} files ${mib(bytes).padStart(12)}`,
    );
    const grade = run.results.participation?.rows.reduce((n, r) => n + Number(r.enrolled), 0) ?? 0;
    console.log(
      `\naggregates over the tree (memory_limit ${run.settings.memory_limit}, ${run.settings.threads} threads): process ${seconds(runMs)}, peak RSS ${peakRss} MiB`,
    );
    console.log(`  open reader (views)       ${seconds(run.openMs)}`);
    for (const [name, r] of Object.entries(run.results))
      console.log(
        `  ${name.padEnd(30)} ${seconds(r.ms).padStart(9)} ${String(r.rows.length).padStart(7)} rows`,
      );
    const total = Object.values(run.results).reduce((n, r) => n + r.ms, 0);
    console.log(`  ${'all aggregates'.padEnd(30)} ${seconds(total).padStart(9)}`);
    console.log(
      `  (${run.participationRows.toLocaleString('en-US')} participation rows, ${districtMonths} district-months, ${grade.toLocaleString('en-US')} pupils enrolled summed over months)`,
    );
    console.log(
      `\ncheck: ${checked.length} of ${codes.length} districts rebuilt and aggregated alone in ${seconds(checkMs)}: ${mismatches.length === 0 ? 'every figure equal' : `${mismatches.length} differences`}`,
    );
    for (const m of mismatches.slice(0, 20)) console.log(`  ${m}`);
    failed = mismatches.length > 0;
  } finally {
    if (options.keep) console.log(`tree kept at ${tree}`);
    else rmSync(tree, { recursive: true, force: true });
  }
  if (failed) process.exitCode = 1;
}
