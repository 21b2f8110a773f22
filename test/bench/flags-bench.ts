/**
 * `npx tsx test/bench/flags-bench.ts [--school-months 1000000] [--runs 3] [--profile]`
 *
 * The rules engine at volume, against raw DuckDB in the same run. In a fresh temp warehouse
 * file it synthesises `schoolMonths` school-months (schools × 10 months, 2025-09 … 2026-06)
 * with set-based SQL — not the ETL — each breaking exactly one rule (four rules in turn:
 * a late end, too much homework, an oversized group, an incident), as ten monthly files
 * (batches) of a load, then times, each in its own transaction as a load does:
 *  1. judgeBatches of the ten raising one flag per school-month, with its RAISED event;
 *  2. raw DuckDB inserting as many flag-like and event-like rows (INSERT … SELECT from
 *     range() into tables created with the flags' and flag_events' own DDL);
 *  3. judging the same batch again (nothing changed: no flag, no event);
 *  4. ten corrected files fixing every report: every flag AUTO_RESOLVED.
 * Each run is a fresh warehouse, judging and raw insert alternating which goes first; prints
 * each run, then the medians, flags per second, the judging/raw ratio and the process's peak
 * RSS after each step (DuckDB's memory_limit is openWarehouse's, server/db/duckdb-settings.ts).
 * `--profile` prints every statement the engine ran that took 50 ms or more.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { DuckDBConnection } from '@duckdb/node-api';
import { inTransaction, judgeBatches, type LoadedBatch } from '../../etl/flags/evaluate.ts';
import { addFlagCounts, noFlagChanges } from '../../etl/flags/flag-counts.ts';
import { dropJudgeTables } from '../../etl/flags/judge.ts';
import { openWarehouse } from '../../server/db/connect.ts';
import { readStoredPolicyOn } from '../../server/policy/policy-store.ts';

const MONTHS = [
  '2025-09',
  '2025-10',
  '2025-11',
  '2025-12',
  '2026-01',
  '2026-02',
  '2026-03',
  '2026-04',
  '2026-05',
  '2026-06',
];

/** The synthesised reports come in this many monthly files (batches), judged together. */
const FILES = 10;
const FIRST_BATCH = 10;

/** Peak RSS of this process so far, in MiB. */
const peakMiB = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

async function one(conn: DuckDBConnection, sql: string): Promise<Record<string, unknown>> {
  const reader = await conn.runAndReadAll(sql);
  return reader.getRowObjectsJS()[0] ?? {};
}

/** `conn` whose run/runAndReadAll print statements taking ≥ 50 ms. */
function profiled(conn: DuckDBConnection): DuckDBConnection {
  return new Proxy(conn, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      const method = value as (...a: unknown[]) => unknown;
      if (prop !== 'run' && prop !== 'runAndReadAll') return method.bind(target);
      return async (...args: unknown[]) => {
        const t0 = performance.now();
        const result = await (method.apply(target, args) as Promise<unknown>);
        const ms = performance.now() - t0;
        if (ms >= 50) {
          const sql = String(args[0]).replace(/\s+/g, ' ').slice(0, 110);
          console.log(`    ${ms.toFixed(0).padStart(6)} ms  ${sql}`);
        }
        return result;
      };
    },
  });
}

/**
 * Schools (all primary) and their monthly reports, every value on the allowed side except
 * one per school: school i breaks rule i % 4 in every month.
 */
async function synthesise(conn: DuckDBConnection, schools: number): Promise<void> {
  const code = `'32' || lpad(CAST(i AS VARCHAR), 8, '0')`;
  await conn.run(`INSERT INTO schools (school_code, school_name, township, stage, locality,
      ownership, remote, teachers_total, valid_from, valid_to, merged_into, batch_id, source_sheet, source_row)
    SELECT ${code}, '第' || i || '小学', '镇' || (i % 40), 'primary', 'urban', 'public', false, 30,
      NULL, NULL, NULL, 1, 'Sheet1', i + 2
    FROM range(${schools}) t(i)`);
  const months = MONTHS.map((m) => `'${m}'`).join(', ');
  await conn.run(`INSERT INTO monthly_reports
    SELECT ${code}, m.month, '第' || i || '小学', 20, 20,
      120, CASE WHEN i % 4 = 0 THEN '18:30' ELSE '17:30' END,
      CASE WHEN i % 4 = 1 THEN 1.5 ELSE 1 END, false, 0, 0, 0, true, 20, 60, 2, 1, 0,
      CASE WHEN i % 4 = 2 THEN 50 ELSE 40 END, CASE WHEN i % 4 = 3 THEN 1 ELSE 0 END, 0,
      ${FIRST_BATCH} + (i % ${FILES})::INTEGER, 'Sheet1', (i // ${FILES} * 10 + m.n)::INTEGER + 2
    FROM range(${schools}) t(i)
    CROSS JOIN (SELECT unnest([${months}]) AS month, generate_subscripts([${months}], 1) AS n) m`);
}

/** Corrected files: every report rewritten with the problem fixed, under batches 10 later. */
async function correctAll(conn: DuckDBConnection): Promise<void> {
  await conn.run(`UPDATE monthly_reports SET homework_periods = 1, latest_end_time = '17:30',
    largest_group = 40, incidents = 0, batch_id = batch_id + ${FILES}`);
}

/** The load's monthly files: `FILES` batches from `first`, school i in file i % FILES. */
function files(first: number, name: string): LoadedBatch[] {
  return Array.from({ length: FILES }, (_, k) => ({
    batchId: first + k,
    kind: 'monthly' as const,
    fileName: `${name}-${k + 1}.xlsx`,
  }));
}

interface Timed {
  ms: number;
  raised: number;
  resolved: number;
  updated: number;
  reopened: number;
}

async function judge(
  conn: DuckDBConnection,
  batches: LoadedBatch[],
  options: Parameters<typeof judgeBatches>[2],
): Promise<Timed> {
  const t0 = performance.now();
  const counts = await inTransaction(conn, false, () => judgeBatches(conn, batches, options));
  const ms = performance.now() - t0;
  await dropJudgeTables(conn);
  return { ms, ...[...counts.values()].reduce(addFlagCounts, noFlagChanges()) };
}

/** The DDL of `table` under another name (same columns, defaults and checks). */
async function sameShape(conn: DuckDBConnection, table: string, as: string): Promise<string> {
  const row = await one(conn, `SELECT sql FROM duckdb_tables() WHERE table_name = '${table}'`);
  return String(row.sql).replace(/CREATE TABLE \S+\(/, `CREATE TABLE ${as}(`);
}

/** Raw DuckDB: n flag-like rows and n event-like rows, INSERT … SELECT from range(). */
async function rawInsert(conn: DuckDBConnection, n: number): Promise<number> {
  await conn.run(await sameShape(conn, 'flags', 'raw_flags'));
  await conn.run(await sameShape(conn, 'flag_events', 'raw_flag_events'));
  const t0 = performance.now();
  await inTransaction(conn, false, async () => {
    await conn.run(`INSERT INTO raw_flags (flag_id, school_code, month, code, rule, source, status,
        detail, policy_version, threshold, observed, evidence_batch_id, raised_by)
      SELECT 10000000 + i, '32' || lpad(CAST(i // 10 AS VARCHAR), 8, '0'), '2025-' || lpad(CAST(i % 10 + 1 AS VARCHAR), 2, '0'),
        'LATE_END', 'LATE_END.after_cap', 'report', 'OPEN',
        '最晚结束时间 18:' || lpad(CAST(i % 60 AS VARCHAR), 2, '0') || '，超过规定 18:00（小学）',
        '2021.1', '18:00（小学）', '18:' || lpad(CAST(i % 60 AS VARCHAR), 2, '0'),
        ${FIRST_BATCH} + i % ${FILES}, 'system'
      FROM range(${n}) t(i)`);
    await conn.run(`INSERT INTO raw_flag_events (event_id, flag_id, action, from_status, to_status,
        user_id, username, user_name, note, batch_id)
      SELECT 10000000 + i, 10000000 + i, 'RAISED', NULL, 'OPEN', NULL, 'system', '系统',
        '系统根据导入的报告发现（批次 ' || (${FIRST_BATCH} + i % ${FILES}) || '，文件 月报-'
          || (i % ${FILES} + 1) || '.xlsx）', ${FIRST_BATCH} + i % ${FILES}
      FROM range(${n}) t(i)`);
  });
  const ms = performance.now() - t0;
  await conn.run(`DROP TABLE raw_flags`);
  await conn.run(`DROP TABLE raw_flag_events`);
  return ms;
}

interface RunResult {
  judgeMs: number;
  rawMs: number;
  againMs: number;
  resolveMs: number;
  /** Peak RSS (MiB) of the process after the judging, the raw insert, the re-judge, the resolve. */
  peaks: { judge: number; raw: number; again: number; resolve: number };
}

/**
 * One run in a fresh warehouse: synthesise, judge and raw-insert (in `order`), judge again,
 * correct and resolve; checks every count on the way.
 */
async function benchRun(
  schools: number,
  order: 'judge first' | 'raw first',
  profile: boolean,
): Promise<RunResult> {
  const n = schools * MONTHS.length;
  const dir = mkdtempSync(join(tmpdir(), 'kehou-flags-bench-'));
  const warehouse = await openWarehouse(join(dir, 'bench.duckdb'));
  const raw = await warehouse.connect();
  const conn = profile ? profiled(raw) : raw;
  try {
    const { policy } = await readStoredPolicyOn(raw, { storeDefault: false });
    const options = { policy, now: new Date('2026-07-20T00:00:00+08:00') };
    const t0 = performance.now();
    await synthesise(raw, schools);
    await raw.run('CHECKPOINT');
    console.log(
      `  synthesised ${schools.toLocaleString('en')} schools, ${n.toLocaleString('en')} monthly reports in ${seconds(performance.now() - t0)}`,
    );

    const raiseAll = async (): Promise<[number, number]> => {
      const first = await judge(conn, files(FIRST_BATCH, '月报'), options);
      const peak = peakMiB();
      const row = await one(
        raw,
        `SELECT (SELECT count(*) FROM flags) AS flags, (SELECT max(flag_id) FROM flags) AS max_id,
          (SELECT count(*) FROM flag_events) AS events`,
      );
      const [flags, maxId, events] = [row.flags, row.max_id, row.events].map(Number);
      if (first.raised !== n || flags !== n || events !== n || maxId !== n)
        throw new Error(
          `expected ${n} flags raised, got ${JSON.stringify({ first, flags, events, maxId })}`,
        );
      await raw.run('CHECKPOINT');
      return [first.ms, peak];
    };
    const rawAll = async (): Promise<[number, number]> => {
      const ms = await rawInsert(raw, n);
      const peak = peakMiB();
      await raw.run('CHECKPOINT');
      return [ms, peak];
    };
    let judged: [number, number];
    let inserted: [number, number];
    if (order === 'judge first') {
      judged = await raiseAll();
      inserted = await rawAll();
    } else {
      inserted = await rawAll();
      judged = await raiseAll();
    }

    const again = await judge(conn, files(FIRST_BATCH, '月报'), options);
    if (again.raised + again.updated + again.resolved + again.reopened !== 0)
      throw new Error(`a second judging changed flags: ${JSON.stringify(again)}`);
    const againPeak = peakMiB();

    await correctAll(raw);
    await raw.run('CHECKPOINT');
    const resolved = await judge(conn, files(FIRST_BATCH + FILES, '月报-更正'), options);
    const resolvePeak = peakMiB();
    const after = await one(
      raw,
      `SELECT (SELECT count(*) FROM flags WHERE status <> 'CLOSED') AS open,
        (SELECT count(*) FROM flag_events) AS events`,
    );
    if (resolved.resolved !== n || Number(after.open) !== 0 || Number(after.events) !== 2 * n)
      throw new Error(`after resolving: ${JSON.stringify({ resolved, ...after })}`);

    return {
      judgeMs: judged[0],
      rawMs: inserted[0],
      againMs: again.ms,
      resolveMs: resolved.ms,
      peaks: { judge: judged[1], raw: inserted[1], again: againPeak, resolve: resolvePeak },
    };
  } finally {
    raw.closeSync();
    await warehouse.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** One run in its own process, so its peak RSS is its own: the child prints its RunResult. */
function childRun(schools: number, order: string, profile: boolean): RunResult {
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      import.meta.filename,
      '--one-run',
      '--schools',
      String(schools),
      '--order',
      order,
      ...(profile ? ['--profile'] : []),
    ],
    {
      cwd: join(import.meta.dirname, '..', '..'),
      env: { ...process.env, KEHOU_LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    },
  );
  const lines = run.stdout.trimEnd().split('\n');
  if (run.status !== 0)
    throw new Error(`a benchmark run failed: ${run.stderr.slice(-2000)}${run.stdout.slice(-2000)}`);
  for (const l of lines.slice(0, -1)) console.log(l);
  return JSON.parse(lines.at(-1)!) as RunResult;
}

/**
 * `runs` runs (default 3), each in a fresh process and warehouse, the judging and the raw
 * insert in alternating order (this machine's load varies by the second); prints each run
 * and the medians.
 */
export async function benchFlags(
  opts: { schoolMonths?: number; runs?: number; profile?: boolean } = {},
): Promise<void> {
  const schools = Math.max(1, Math.round((opts.schoolMonths ?? 1_000_000) / MONTHS.length));
  const n = schools * MONTHS.length;
  const runs = Math.max(1, opts.runs ?? 3);
  const results: RunResult[] = [];
  for (let run = 0; run < runs; run++) {
    const order = run % 2 === 0 ? 'judge-first' : 'raw-first';
    console.log(`run ${run + 1} of ${runs} (${order})`);
    const r = childRun(schools, order, opts.profile ?? false);
    results.push(r);
    console.log(
      `  judge ${seconds(r.judgeMs)}, raw ${seconds(r.rawMs)} (ratio ${(r.judgeMs / r.rawMs).toFixed(2)}), again ${seconds(r.againMs)}, resolve ${seconds(r.resolveMs)}, peak RSS ${r.peaks.resolve} MiB`,
    );
  }
  const med = (f: (r: RunResult) => number) => median(results.map(f));
  const peak = (f: (r: RunResult) => number) => Math.max(...results.map(f));
  const rate = (ms: number) => `${Math.round(n / (ms / 1000)).toLocaleString('en')} /s`;
  const line = (label: string, ms: number, rss: number, perSecond = true) =>
    console.log(
      `${label.padEnd(34)}${seconds(ms).padStart(9)}${perSecond ? `   ${rate(ms).padStart(11)}` : ''.padStart(14)}   peak RSS ${rss} MiB`,
    );
  console.log('');
  console.log(
    `school-months / flags: ${n.toLocaleString('en')}; medians of ${runs} run(s); peak RSS: the highest run's, so far in that run`,
  );
  line(
    'judge: raise all + their events',
    med((r) => r.judgeMs),
    peak((r) => r.peaks.judge),
  );
  line(
    'raw INSERT flags + events',
    med((r) => r.rawMs),
    peak((r) => r.peaks.raw),
  );
  console.log(
    `${'ratio judge / raw'.padEnd(34)}${med((r) => r.judgeMs / r.rawMs)
      .toFixed(2)
      .padStart(9)}`,
  );
  line(
    'judge again, nothing changed',
    med((r) => r.againMs),
    peak((r) => r.peaks.again),
    false,
  );
  line(
    'judge corrected files: resolve all',
    med((r) => r.resolveMs),
    peak((r) => r.peaks.resolve),
  );
}

if (process.argv[1] === import.meta.filename) {
  const { values } = parseArgs({
    options: {
      'school-months': { type: 'string', default: '1000000' },
      runs: { type: 'string', default: '3' },
      profile: { type: 'boolean', default: false },
      // One run in this process (the parent's child): prints its RunResult as JSON last.
      'one-run': { type: 'boolean', default: false },
      schools: { type: 'string' },
      order: { type: 'string', default: 'judge-first' },
    },
  });
  if (values['one-run']) {
    const order = values.order === 'raw-first' ? 'raw first' : 'judge first';
    const result = await benchRun(Number(values.schools), order, values.profile);
    console.log(JSON.stringify(result));
  } else {
    await benchFlags({
      schoolMonths: Number(values['school-months']),
      runs: Number(values.runs),
      profile: values.profile,
    });
  }
}
