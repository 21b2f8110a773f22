/**
 * `npm run bench -- api [--schools 10000] [--runs 200] [--budget 40] [--warmup 10] [--stress] [--fresh] [--explain]`
 *
 * 1. Load: the generated district (reports following the default policy, ~3 % of
 *    school-months planted to break one rule, or every one with --stress) through the real
 *    ETL, against DuckDB alone reading the same files into plain tables, in the same run
 *    (api-warehouse.ts; cached until the generators, policy or ETL change), and the planted
 *    breaks against the flags the load raised.
 * 2. Queries: the dashboard's questions through the real HTTP app (sign-in cookie, POST
 *    /graphql) on a copy of that warehouse, timed against hand-written SQL computing the same
 *    aggregates on the same DuckDB instance (raw-sql.ts), request by request alternately.
 *    Each question runs `runs` times or until its `budget` seconds are spent (at least
 *    MIN_RUNS), so the whole benchmark stays within 10 minutes on a slow or busy machine.
 */
import { once } from 'node:events';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { Kysely, type LogEvent } from 'kysely';
import { DuckDbDialect } from 'kysely-duckdb';
import { pino } from 'pino';
import { DEFAULT_AUTH_CONFIG, type AuthConfig } from '../../server/auth/auth-config.ts';
import { hashPassword } from '../../server/auth/password.ts';
import { openWarehouse, type Warehouse } from '../../server/db/connect.ts';
import { DUCKDB_THREADS, memoryLimitFromEnv } from '../../server/db/duckdb-settings.ts';
import type { Database } from '../../server/db/database.ts';
import type { Role } from '../../server/db/tables/users.table.ts';
import { WarehouseWriter } from '../../server/db/writer.ts';
import { semesterStart } from '../../server/graphql/scope/months.ts';
import { insertUser } from '../../server/graphql/users/users.repository.ts';
import { createApp } from '../../server/http/app.ts';
import { parsePeriod, previousPeriod, type Period } from '../../server/db/calendar.ts';
import { monthRules } from '../../server/policy/month-rules.ts';
import { loadPolicy } from '../../server/policy/policy.ts';
import { checkEvaluation, checkOverview, checkPage, checkTrend } from './api-checks.ts';
import { cachedWarehouse, type BuildInfo } from './api-warehouse.ts';
import { tallyLines } from './flag-tally.ts';
import { API_BENCH_MONTHS, inspectorId } from './generate-api-bench-files.ts';
import { RAW_PAGE, RAW_TREND, rawEvaluation, rawOverview } from './raw-sql.ts';
import { localServerConfig } from '../helpers/local-server.ts';

export interface ApiBenchArgs {
  schools: number;
  runs: number;
  /** Seconds one question may take (its runs stop early, after MIN_RUNS, when it is spent). */
  budget: number;
  warmup: number;
  /** Every school-month breaks exactly one rule. */
  stress: boolean;
  /** Rebuild the cached warehouse. */
  fresh: boolean;
  /** Print EXPLAIN ANALYZE of every SQL statement the API runs per question. */
  explain: boolean;
  /** Run only the questions whose name contains this (e.g. "evaluation"). */
  only?: string | undefined;
}

const PASSWORD = 'bench-password-1234';
const RESPONDENTS = 4000;
const LAST = API_BENCH_MONTHS.at(-1)!;
const FIRST = API_BENCH_MONTHS[0]!;
/** Fewest timed runs of a question whatever the budget: p95 is then the 2nd slowest of 40. */
const MIN_RUNS = 40;

// ---------------------------------------------------------------- statements the API runs

interface Statement {
  label: string;
  sql: string;
  parameters: readonly unknown[];
  ms: number;
  end: number;
}

/** Names the repository function a statement came from, by its text. */
function labelOf(sql: string): string {
  if (/from "sessions"/iu.test(sql)) return 'session lookup';
  if (/part AS \(/u.test(sql)) return 'schoolMonths';
  if (/FROM months m\s+LEFT JOIN scope sc/u.test(sql)) return 'reportTotals';
  if (/JOIN participation(_monthly)? p\b/u.test(sql)) return 'participationTotals';
  if (/resp\.scope_month AS month/u.test(sql)) return 'satisfactionTotals';
  if (/JOIN flags f/u.test(sql)) return 'openFlagTotals';
  if (/schools_in AS \(/u.test(sql)) return 'measureSchools';
  if (/SELECT DISTINCT school_code FROM scope/u.test(sql)) return 'visibleSchoolCodes';
  return sql.replace(/\s+/gu, ' ').slice(0, 60);
}

/**
 * The app's pooled read handle, with a log of every statement it runs: the same dialect
 * on the same DuckDB instance as warehouse.db, plus Kysely's query log.
 */
function recordingDb(warehouse: Warehouse, sink: Statement[]): Kysely<Database> {
  return new Kysely<Database>({
    dialect: new DuckDbDialect({ database: warehouse.instance }),
    log(event: LogEvent) {
      sink.push({
        label: labelOf(event.query.sql),
        sql: event.query.sql,
        parameters: event.query.parameters,
        ms: event.queryDurationMillis,
        end: performance.now(),
      });
    },
  });
}

// ---------------------------------------------------------------- the GraphQL questions

const GROUPS = 'priorityGroups { group enrolled participants rate gap }';

const OVERVIEW = `query Overview($month: String!) {
  overview(month: $month) {
    month schoolsInScope schoolsReporting schoolsOffering schoolCoverageRate
    enrolled applicants participants participationRate demandMetRate
    teacherParticipationRate teachersServing teachersTotal openFlags fiveDayShare
    fivePlusTwoRate policyMinDailyMinutes externalStaff providers providersUnapproved
    reportTimelinessRate
    ${GROUPS}
    satisfaction { respondent responses score satisfiedShare }
  }
}`;

const TREND = `query Trend($from: String!, $to: String!) {
  trend(from: $from, to: $to) {
    month schoolsInScope schoolsReporting schoolCoverageRate enrolled participants
    participationRate demandMetRate teacherParticipationRate fiveDayShare fivePlusTwoRate
    reportTimelinessRate
    priorityGroups { group rate gap }
    satisfaction { respondent score }
  }
}`;

/**
 * As rich as the API's cost limit allows (LIMITS.maxCost 5000): adding school.township,
 * month and the groups' enrolled/participants costs 5975 and is refused.
 */
const SCHOOLS = `query Schools($month: String!) {
  schools(month: $month, sort: PRIORITY_GAP, first: 100) {
    total endCursor
    items {
      school { code name }
      enrolled participants participationRate demandMetRate fiveDayShare priorityGap
      priorityGroups { group rate gap }
    }
  }
}`;

/**
 * The school year's evaluation as the 考核 view asks for its first page: every school of the
 * district measured over the year and the year before, scored, ranked, with peer medians.
 */
const EVALUATION = `query Evaluation($period: String!) {
  evaluations(period: $period, first: 50) {
    total schemeVersion endCursor
    gradeCounts { grade schools }
    items {
      schoolCode schoolName score grade rank peerRank peerGroupSize vetoed scoreChange
      indicators { key points maxPoints value insufficientData peerMedianValue }
    }
  }
}`;

/** The school year of the benchmark's district with its previous year (both have data). */
const EVALUATION_YEAR = '2025-2026';

function rawEvaluationSql(): string {
  const year = parsePeriod(EVALUATION_YEAR) as Period;
  const before = previousPeriod(year);
  const policy = loadPolicy();
  const service = new Set(
    [...year.months, ...before.months].filter((m) => monthRules(policy, m).serviceMonth),
  );
  return rawEvaluation({ [year.key]: year.months, [before.key]: before.months }, service);
}

// ---------------------------------------------------------------- timing

function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(p * s.length) - 1)]!;
}

type GraphQLBody = {
  data?: Record<string, unknown> | null;
  errors?: { message: string }[];
};

interface Case {
  name: string;
  cookie: string;
  query: string;
  variables: Record<string, string>;
  /** Hand-written SQL for the same figures; null for the HTTP floor. */
  raw: string | null;
  rawValues: Record<string, DuckDBValue>;
  /** Throws when the API's answer and the raw SQL's disagree. */
  check: (api: Record<string, unknown>, raw: Record<string, unknown>[]) => void;
}

interface CaseResult {
  name: string;
  api: number[];
  raw: number[];
  /** Per request: statements run (session lookup included). */
  statements: number[];
  /** Per request: from the first GraphQL statement's start to the last one's end. */
  sqlSpan: number[];
  byLabel: Map<string, number[]>;
  samples: Map<string, Statement>;
}

async function runCase(
  c: Case,
  url: string,
  conn: DuckDBConnection,
  sink: Statement[],
  runs: number,
  budgetMs: number,
  warmup: number,
): Promise<CaseResult> {
  const body = JSON.stringify({ query: c.query, variables: c.variables });
  const headers = { 'content-type': 'application/json', cookie: c.cookie };
  const api = async (): Promise<Record<string, unknown>> => {
    const res = await fetch(`${url}/graphql`, { method: 'POST', headers, body });
    const json = (await res.json()) as GraphQLBody;
    if (!res.ok || json.errors || !json.data)
      throw new Error(`${c.name}: HTTP ${res.status} ${JSON.stringify(json.errors ?? json)}`);
    return json.data;
  };
  const raw = async (): Promise<Record<string, unknown>[]> =>
    c.raw === null
      ? []
      : ((await conn.runAndReadAll(c.raw, c.rawValues)).getRowObjectsJS() as Record<
          string,
          unknown
        >[]);

  let apiData: Record<string, unknown> = {};
  let rawRows: Record<string, unknown>[] = [];
  for (let i = 0; i < warmup; i++) {
    apiData = await api();
    rawRows = await raw();
  }
  c.check(apiData, rawRows);

  const out: CaseResult = {
    name: c.name,
    api: [],
    raw: [],
    statements: [],
    sqlSpan: [],
    byLabel: new Map(),
    samples: new Map(),
  };
  const started = performance.now();
  for (let i = 0; i < runs; i++) {
    if (i >= MIN_RUNS && performance.now() - started > budgetMs) break;
    sink.length = 0;
    let t0 = performance.now();
    await api();
    out.api.push(performance.now() - t0);
    out.statements.push(sink.length);
    const gql = sink.filter((s) => s.label !== 'session lookup');
    if (gql.length > 0)
      out.sqlSpan.push(
        Math.max(...gql.map((s) => s.end)) - Math.min(...gql.map((s) => s.end - s.ms)),
      );
    for (const s of sink) {
      const list = out.byLabel.get(s.label) ?? [];
      list.push(s.ms);
      out.byLabel.set(s.label, list);
      out.samples.set(s.label, s);
    }
    if (c.raw === null) continue;
    t0 = performance.now();
    await raw();
    out.raw.push(performance.now() - t0);
  }
  return out;
}

/** `sql` with its parameters written in as literals (strings and numbers are all it gets). */
function inlineParameters(
  sql: string,
  values: readonly unknown[] | Record<string, DuckDBValue>,
): string {
  const literal = (v: unknown) =>
    typeof v === 'number' ? String(v) : `'${String(v).replaceAll("'", "''")}'`;
  if (Array.isArray(values)) {
    let i = 0;
    return sql.replace(/\?/gu, () => literal(values[i++]));
  }
  const named = values as Record<string, DuckDBValue>;
  return sql.replace(/\$([a-z_]+)/gu, (_, name: string) => literal(named[name]));
}

/**
 * DuckDB's planning time of a statement: preparing it with its parameters as literals
 * parses, binds, optimizes and builds the physical plan without running it (median of 10).
 */
async function planMs(
  conn: DuckDBConnection,
  sql: string,
  values: readonly unknown[] | Record<string, DuckDBValue>,
): Promise<number> {
  const text = inlineParameters(sql, values);
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    const prepared = await conn.prepare(text);
    times.push(performance.now() - t0);
    prepared.destroySync();
  }
  return percentile(times, 0.5);
}

async function explain(conn: DuckDBConnection, s: Statement): Promise<string> {
  const reader = await conn.runAndReadAll(
    `EXPLAIN ANALYZE ${s.sql}`,
    s.parameters as DuckDBValue[],
  );
  return reader
    .getRows()
    .map((row) => String(row.at(-1)))
    .join('\n');
}

// ---------------------------------------------------------------- the run

async function signIn(url: string, username: string): Promise<string> {
  const res = await fetch(`${url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (res.status !== 200)
    throw new Error(`sign-in of ${username}: HTTP ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]!);
  if (cookie.length === 0) throw new Error(`sign-in of ${username}: no cookie`);
  return cookie.join('; ');
}

function fmt(ms: number): string {
  return ms.toFixed(1).padStart(7);
}

/** What the build measured: rows, the load against DuckDB alone, planted breaks against flags. */
function printBuild(path: string, info: BuildInfo, cached: boolean): void {
  console.log(
    `${cached ? `cached warehouse (built ${info.builtAt}; --fresh rebuilds and re-times the load)` : 'warehouse built'}: ${path}\n` +
      `  ${info.stress ? 'stress: every school-month breaks one rule' : 'realistic: ~3 % of school-months break one rule'}; rows ${JSON.stringify(info.rows)}\n` +
      `  CSV generation ${(info.generateMs / 1000).toFixed(1)} s (${(info.bytes / 2 ** 20).toFixed(0)} MiB); per file ms ${JSON.stringify(info.perFileMs)}`,
  );
  console.log('');
  console.log('load of the same files, measured in the build run:');
  console.log(
    `  ETL load (loadPaths + CHECKPOINT)                    ${(info.loadMs / 1000).toFixed(1).padStart(7)} s`,
  );
  console.log(
    `  DuckDB alone (read_csv into plain tables + CHECKPOINT) ${(info.rawLoadMs / 1000).toFixed(1).padStart(5)} s`,
  );
  console.log(
    `  ratio ETL / raw                                      ${(info.loadMs / info.rawLoadMs).toFixed(1).padStart(7)}`,
  );
  console.log('');
  console.log('planted breaks vs report flags raised by the load:');
  for (const line of tallyLines(info.planted, info.raised, info.schoolMonths))
    console.log(`  ${line}`);
  console.log('');
}

export async function benchApi(args: ApiBenchArgs): Promise<void> {
  const started = performance.now();
  const {
    path: cachedPath,
    info,
    cached,
  } = await cachedWarehouse(args.schools, RESPONDENTS, args.stress, args.fresh);
  printBuild(cachedPath, info, cached);

  const runDir = mkdtempSync(join(tmpdir(), 'kehou-api-bench-run-'));
  const dbPath = join(runDir, 'warehouse.duckdb');
  copyFileSync(cachedPath, dbPath);
  const warehouse = await openWarehouse(dbPath);
  const writer = await WarehouseWriter.open(warehouse);
  const sink: Statement[] = [];
  const db = recordingDb(warehouse, sink);
  const httpServer = createServer();
  const log = pino({ level: 'silent' });
  const config = localServerConfig(dbPath);
  const auth: AuthConfig = { secureCookies: false, ...DEFAULT_AUTH_CONFIG };
  const { app, apollo } = await createApp({
    warehouse: { ...warehouse, db },
    writer,
    config,
    auth,
    log,
    httpServer,
  });
  httpServer.on('request', app);
  httpServer.listen(0, '127.0.0.1');
  await once(httpServer, 'listening');
  const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  const conn = await warehouse.connect();

  try {
    const inspector = inspectorId(0);
    const users: [string, Role, string | null][] = [
      ['bench-bureau', 'BUREAU_INSPECTOR', null],
      ['bench-inspector', 'SUPERVISING_INSPECTOR', inspector],
    ];
    const passwordHash = await hashPassword(PASSWORD);
    await writer.write(async ({ db: w }) => {
      for (const [username, role, id] of users)
        await insertUser(w, {
          username,
          displayName: username,
          role,
          inspectorId: id,
          passwordHash,
        });
    });
    const bureau = await signIn(url, 'bench-bureau');
    const supervising = await signIn(url, 'bench-inspector');

    const window = semesterStart(LAST);
    const cases: Case[] = [
      {
        name: 'overview',
        cookie: bureau,
        query: OVERVIEW,
        variables: { month: LAST },
        raw: rawOverview(false),
        rawValues: { month: LAST, window },
        check: checkOverview,
      },
      {
        name: `trend ${API_BENCH_MONTHS.length} months`,
        cookie: bureau,
        query: TREND,
        variables: { from: FIRST, to: LAST },
        raw: RAW_TREND,
        rawValues: { from: FIRST, to: LAST },
        check: checkTrend,
      },
      {
        name: 'schools PRIORITY_GAP 100',
        cookie: bureau,
        query: SCHOOLS,
        variables: { month: LAST },
        raw: RAW_PAGE,
        rawValues: { month: LAST, window },
        check: checkPage,
      },
      {
        name: `evaluation year ${EVALUATION_YEAR}`,
        cookie: bureau,
        query: EVALUATION,
        variables: { period: EVALUATION_YEAR },
        raw: rawEvaluationSql(),
        rawValues: {},
        check: checkEvaluation(EVALUATION_YEAR),
      },
      {
        name: 'floor: { __typename }',
        cookie: bureau,
        query: '{ __typename }',
        variables: {},
        raw: null,
        rawValues: {},
        check: () => undefined,
      },
      {
        name: 'overview, supervising (10)',
        cookie: supervising,
        query: OVERVIEW,
        variables: { month: LAST },
        raw: rawOverview(true),
        rawValues: { month: LAST, window, inspector },
        check: checkOverview,
      },
    ];

    const results: CaseResult[] = [];
    const chosen = cases.filter((c) => args.only === undefined || c.name.includes(args.only));
    for (const c of chosen) {
      const r = await runCase(c, url, conn, sink, args.runs, args.budget * 1000, args.warmup);
      results.push(r);
      console.log(`  ${c.name}: ${r.api.length} runs`);
    }

    console.log('');
    console.log(
      `up to ${args.runs} sequential requests (n; at most ${args.budget} s a question) each after ${args.warmup} warm-ups: HTTP POST /graphql (in-process server, ` +
        `NODE_ENV=${process.env.NODE_ENV ?? ''}, cookie session) vs hand-written SQL on a connection of the same DuckDB instance ` +
        `(threads ${DUCKDB_THREADS}, memory_limit ${memoryLimitFromEnv()}), alternating request by request; ms`,
    );
    const head = `${'query'.padEnd(28)}    n API p50 API p95 raw p50 raw p95  target  met?  API/raw p95  SQL/req  SQL span p50`;
    console.log(head);
    console.log('-'.repeat(head.length));
    for (const r of results) {
      const p95 = percentile(r.api, 0.95);
      const span = r.sqlSpan.length > 0 ? fmt(percentile(r.sqlSpan, 0.5)) : '      -';
      const statements = String(percentile(r.statements, 0.5)).padStart(7);
      const name = `${r.name.padEnd(28)} ${String(r.api.length).padStart(4)}`;
      if (r.raw.length === 0) {
        console.log(
          `${name}${fmt(percentile(r.api, 0.5))} ${fmt(p95)}       -       -       -     -            -  ${statements}  ${span}`,
        );
        continue;
      }
      const rawP95 = percentile(r.raw, 0.95);
      const target = 1.5 * rawP95 + 5;
      console.log(
        `${name}${fmt(percentile(r.api, 0.5))} ${fmt(p95)} ${fmt(percentile(r.raw, 0.5))} ${fmt(rawP95)} ${fmt(target)}  ${p95 <= target ? 'yes' : 'NO '}  ${(p95 / rawP95).toFixed(2).padStart(11)}  ${statements}  ${span}`,
      );
    }
    const overview = results.find((r) => r.name === 'overview');
    if (overview) {
      const overviewP95 = percentile(overview.api, 0.95);
      console.log(
        `overview p95 ${overviewP95.toFixed(1)} ms ≤ 100 ms: ${overviewP95 <= 100 ? 'yes' : 'NO'}`,
      );
    }
    console.log(
      '(target = 1.5 × raw p95 + 5 ms; SQL/req includes the session lookup; SQL span = first GraphQL statement start → last end;\n' +
        ' the floor row is `{ __typename }`: sign-in check, Express, Apollo and the client, no GraphQL SQL)',
    );

    console.log('');
    console.log(
      'statements per request: Kysely query log (run + read rows), p50/p95 ms; plan = median time DuckDB takes to\n' +
        'prepare the statement with its parameters as literals (parse, bind, optimize, physical plan; no execution)',
    );
    console.log(`${'query'.padEnd(28)} ${'statement'.padEnd(20)} per req     p50     p95    plan`);
    const profConn = await warehouse.connect(); // the prepares leave `conn`'s timings alone
    try {
      for (const [i, r] of results.entries()) {
        const c = chosen[i]!;
        for (const [label, times] of r.byLabel) {
          const sample = r.samples.get(label)!;
          const plan = await planMs(profConn, sample.sql, sample.parameters);
          console.log(
            `${r.name.padEnd(28)} ${label.padEnd(20)} ${(times.length / r.api.length).toFixed(1).padStart(7)} ${fmt(percentile(times, 0.5))} ${fmt(percentile(times, 0.95))} ${fmt(plan)}`,
          );
        }
        if (c.raw !== null) {
          const plan = await planMs(profConn, c.raw, c.rawValues);
          console.log(
            `${r.name.padEnd(28)} ${'raw SQL'.padEnd(20)} ${'1.0'.padStart(7)} ${fmt(percentile(r.raw, 0.5))} ${fmt(percentile(r.raw, 0.95))} ${fmt(plan)}`,
          );
        }
      }
      if (args.explain) {
        for (const r of results) {
          for (const [label, s] of r.samples) {
            if (label === 'session lookup') continue;
            console.log(
              `\n===== EXPLAIN ANALYZE ${r.name} / ${label}\n${await explain(profConn, s)}`,
            );
          }
        }
      }
    } finally {
      profConn.closeSync();
    }
    console.log(
      `\ntotal bench time ${((performance.now() - started) / 1000).toFixed(1)} s; load average at the end ${loadavg()
        .map((x) => x.toFixed(2))
        .join(
          ' ',
        )} (other processes share these 2 cores: compare API with raw, measured alternately)`,
    );
  } finally {
    conn.closeSync();
    await apollo.stop();
    httpServer.closeAllConnections();
    if (httpServer.listening) await new Promise((r) => httpServer.close(() => r(null)));
    await writer.close();
    await warehouse.close();
    rmSync(runDir, { recursive: true, force: true });
  }
}
