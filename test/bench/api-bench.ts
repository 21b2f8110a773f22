/**
 * `npm run bench -- api [--schools 10000] [--runs 200] [--warmup 10] [--fresh] [--explain]`
 *
 * The dashboard's three questions through the real HTTP app (sign-in cookie, POST
 * /graphql) on a district at benchmark scale, timed against hand-written SQL computing
 * the same aggregates on the same DuckDB instance, in the same run, request by request
 * alternately. The warehouse is built through the real ETL once and cached in the OS temp
 * folder under a hash of the generator's parameters and the ETL and schema sources; each
 * run serves a copy of it, so the cached file stays as loaded.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { Kysely, type LogEvent } from 'kysely';
import { DuckDbDialect } from 'kysely-duckdb';
import { pino } from 'pino';
import { DEFAULT_AUTH_CONFIG, type AuthConfig } from '../../server/auth/auth-config.ts';
import { hashPassword } from '../../server/auth/password.ts';
import { openWarehouse, type Warehouse } from '../../server/db/connect.ts';
import type { Database } from '../../server/db/database.ts';
import type { Role } from '../../server/db/tables/users.table.ts';
import { WarehouseWriter } from '../../server/db/writer.ts';
import { semesterStart } from '../../server/graphql/scope/months.ts';
import { insertUser } from '../../server/graphql/users/users.repository.ts';
import { createApp } from '../../server/http/app.ts';
import { loadPaths } from '../../etl/index.ts';
import {
  API_BENCH_MONTHS,
  generateApiBenchFiles,
  inspectorId,
} from './generate-api-bench-files.ts';
import { localServerConfig } from '../helpers/local-server.ts';

export interface ApiBenchArgs {
  schools: number;
  runs: number;
  warmup: number;
  /** Rebuild the cached warehouse. */
  fresh: boolean;
  /** Print EXPLAIN ANALYZE of every SQL statement the API runs per question. */
  explain: boolean;
}

const ROOT = join(import.meta.dirname, '..', '..');
const PASSWORD = 'bench-password-1234';
const RESPONDENTS = 4000;
const LAST = API_BENCH_MONTHS.at(-1)!;
const FIRST = API_BENCH_MONTHS[0]!;

// ---------------------------------------------------------------- the cached warehouse

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !/^(demo|cli)/u.test(f))
    .map((f) => join(ROOT, dir, f))
    .sort();
}

/** Hash of what decides the warehouse's content: parameters, generator, ETL, migrations. */
function warehouseKey(schools: number): string {
  const hash = createHash('sha256').update(JSON.stringify({ schools, RESPONDENTS, v: 1 }));
  const files = [
    join(import.meta.dirname, 'generate-api-bench-files.ts'),
    join(import.meta.dirname, 'generate-bench-files.ts'),
    join(ROOT, 'server/db/migrate.ts'),
    ...sourceFiles('etl'),
    ...sourceFiles('server/db/migrations'),
  ];
  for (const f of files) hash.update(relative(ROOT, f)).update(readFileSync(f));
  return hash.digest('hex').slice(0, 16);
}

interface BuildInfo {
  generateMs: number;
  loadMs: number;
  perFileMs: Record<string, number>;
  rows: Record<string, number>;
  bytes: number;
  builtAt: string;
}

async function cachedWarehouse(
  schools: number,
  fresh: boolean,
): Promise<{ path: string; info: BuildInfo; cached: boolean }> {
  const prefix = `kehou-api-bench-${schools}-`;
  const dir = join(tmpdir(), `${prefix}${warehouseKey(schools)}`);
  const path = join(dir, 'warehouse.duckdb');
  const meta = join(dir, 'build.json');
  if (!fresh && existsSync(path) && existsSync(meta))
    return { path, info: JSON.parse(readFileSync(meta, 'utf8')) as BuildInfo, cached: true };
  // Warehouses of earlier generator/ETL versions (tens of MiB each): keep only this one.
  for (const old of readdirSync(tmpdir()))
    if (old.startsWith(prefix) && /^[0-9a-f]{16}$/u.test(old.slice(prefix.length)))
      rmSync(join(tmpdir(), old), { recursive: true, force: true });
  const csv = join(dir, 'csv');
  mkdirSync(csv, { recursive: true });
  try {
    console.log(`building the benchmark warehouse in ${dir} …`);
    let t0 = performance.now();
    const files = await generateApiBenchFiles(csv, { schools, respondents: RESPONDENTS });
    const generateMs = performance.now() - t0;
    const bytes = files.paths.reduce((n, p) => n + statSync(p).size, 0);
    console.log(
      `generated ${(bytes / 2 ** 20).toFixed(0)} MiB of CSV in ${(generateMs / 1000).toFixed(1)} s: ${JSON.stringify(files.rows)}`,
    );
    const building = join(dir, 'building.duckdb');
    const warehouse = await openWarehouse(building);
    const perFileMs: Record<string, number> = {};
    let loadMs: number;
    let summary: Awaited<ReturnType<typeof loadPaths>>;
    try {
      t0 = performance.now();
      let last = t0;
      summary = await loadPaths(warehouse, files.paths, {
        user: 'bench',
        onResult: (r) => {
          const now = performance.now();
          perFileMs[relative(csv, r.path)] = Math.round(now - last);
          last = now;
        },
      });
      const conn = await warehouse.connect();
      await conn.run('CHECKPOINT');
      conn.closeSync();
      loadMs = performance.now() - t0;
    } finally {
      await warehouse.close();
    }
    const bad = summary.files.filter((f) => f.error || f.rowsRejected > 0);
    if (bad.length > 0)
      throw new Error(`benchmark load failed: ${JSON.stringify(bad).slice(0, 1000)}`);
    renameSync(building, path);
    const info: BuildInfo = {
      generateMs,
      loadMs,
      perFileMs,
      rows: files.rows,
      bytes,
      builtAt: new Date().toISOString(),
    };
    writeFileSync(meta, JSON.stringify(info, null, 2));
    return { path, info, cached: false };
  } finally {
    rmSync(csv, { recursive: true, force: true });
  }
}

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
  if (/JOIN participation p/u.test(sql)) return 'participationTotals';
  if (/resp\.scope_month AS month, resp\.respondent/u.test(sql)) return 'satisfactionTotals';
  if (/JOIN flags f/u.test(sql)) return 'openFlagTotals';
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

// ---------------------------------------------------------------- raw SQL, by hand

/** Schools whose figures count: every school, or one inspector's ($inspector). */
function schoolSet(inspector: boolean): string {
  return inspector
    ? `sch AS (SELECT school_code, teachers_total FROM schools WHERE school_code IN
        (SELECT school_code FROM inspector_assignments WHERE inspector_id = $inspector))`
    : `sch AS (SELECT school_code, teachers_total FROM schools)`;
}

const PART_SUMS = `sum(p.enrolled) AS enrolled, sum(p.applicants) AS applicants,
  sum(p.participants) AS participants, sum(p.five_day_participants) AS five_day_participants,
  sum(p.participants) FILTER (WHERE p.five_day_participants IS NOT NULL) AS five_day_base,
  sum(p.left_behind_enrolled) AS lb_e, sum(p.left_behind_participants) AS lb_p,
  sum(p.migrant_enrolled) AS mg_e, sum(p.migrant_participants) AS mg_p,
  sum(p.disabled_enrolled) AS ds_e, sum(p.disabled_participants) AS ds_p,
  sum(p.poor_enrolled) AS pr_e, sum(p.poor_participants) AS pr_p`;

const REPORT_SUMS = `count(*) AS reporting,
  count(*) FILTER (WHERE r.service_days > 0) AS offering,
  count(*) FILTER (WHERE r.service_days >= r.school_days AND r.daily_minutes >= 120) AS five_plus_two,
  count(*) FILTER (WHERE b.loaded_at <= CAST(strftime(strptime(r.month, '%Y-%m') + INTERVAL 1 MONTH, '%Y-%m')
    || '-05 23:59:59+08' AS TIMESTAMPTZ)) AS on_time,
  sum(r.teachers_serving) AS teachers_serving, sum(sch.teachers_total) AS teachers_total,
  sum(r.external_staff) AS external_staff, sum(r.providers) AS providers,
  sum(r.providers_unapproved) AS providers_unapproved`;

const OVERALL = `(SELECT a.batch_id, a.response_no, a.score FROM survey_answers a
  JOIN survey_items i ON i.batch_id = a.batch_id AND i.item_no = a.item_no AND i.is_overall)`;

/** First month of the semester of `col` (September or February), in SQL. */
function semesterStartSql(col: string): string {
  return `CASE WHEN month(strptime(${col}, '%Y-%m')) >= 9 THEN left(${col}, 4) || '-09'
    WHEN month(strptime(${col}, '%Y-%m')) = 1 THEN CAST(CAST(left(${col}, 4) AS INTEGER) - 1 AS VARCHAR) || '-09'
    ELSE left(${col}, 4) || '-02' END`;
}

/** One month's overview figures ($month, $window). */
export function rawOverview(inspector: boolean): string {
  return `WITH ${schoolSet(inspector)},
  rep AS (SELECT ${REPORT_SUMS} FROM monthly_reports r JOIN sch USING (school_code)
    LEFT JOIN load_batches b ON b.batch_id = r.batch_id WHERE r.month = $month),
  par AS (SELECT ${PART_SUMS} FROM participation p JOIN sch USING (school_code) WHERE p.month = $month),
  sat AS (SELECT r.respondent, count(*) AS responses, count(a.score) AS answers,
      sum((a.score - 1) * 25) AS score_sum, count(*) FILTER (WHERE a.score >= 4) AS satisfied
    FROM survey_responses r JOIN sch USING (school_code)
    LEFT JOIN ${OVERALL} a ON a.batch_id = r.batch_id AND a.response_no = r.response_no
    WHERE r.month BETWEEN $window AND $month GROUP BY r.respondent)
  SELECT (SELECT count(*) FROM sch) AS schools, rep.*, par.*,
    (SELECT count(*) FROM flags f JOIN sch USING (school_code)
      WHERE f.status NOT IN ('CLOSED', 'DISMISSED') AND (f.month IS NULL OR f.month <= $month)) AS open_flags,
    (SELECT list(sat ORDER BY respondent) FROM sat) AS satisfaction
  FROM rep, par`;
}

/** The same per month from $from to $to. */
export const RAW_TREND = `WITH ${schoolSet(false)},
  months AS (SELECT strftime(d, '%Y-%m') AS month FROM
    range(strptime($from, '%Y-%m'), strptime($to, '%Y-%m') + INTERVAL 1 MONTH, INTERVAL 1 MONTH) t(d)),
  win AS (SELECT month, ${semesterStartSql('month')} AS window_start FROM months),
  rep AS (SELECT r.month, ${REPORT_SUMS} FROM monthly_reports r JOIN sch USING (school_code)
    LEFT JOIN load_batches b ON b.batch_id = r.batch_id
    WHERE r.month BETWEEN $from AND $to GROUP BY r.month),
  par AS (SELECT p.month, ${PART_SUMS} FROM participation p JOIN sch USING (school_code)
    WHERE p.month BETWEEN $from AND $to GROUP BY p.month),
  sat AS (SELECT w.month, r.respondent, count(*) AS responses, count(a.score) AS answers,
      sum((a.score - 1) * 25) AS score_sum
    FROM win w JOIN survey_responses r ON r.month BETWEEN w.window_start AND w.month
    JOIN sch USING (school_code)
    LEFT JOIN ${OVERALL} a ON a.batch_id = r.batch_id AND a.response_no = r.response_no
    GROUP BY w.month, r.respondent),
  fl AS (SELECT m.month, count(*) AS open_flags FROM months m JOIN flags f
      ON f.status NOT IN ('CLOSED', 'DISMISSED') AND (f.month IS NULL OR f.month <= m.month)
    JOIN sch USING (school_code) GROUP BY m.month)
  SELECT m.month, (SELECT count(*) FROM sch) AS schools, rep.* EXCLUDE (month), par.* EXCLUDE (month),
    coalesce(fl.open_flags, 0) AS open_flags,
    (SELECT list(sat ORDER BY respondent) FROM sat WHERE sat.month = m.month) AS satisfaction
  FROM months m LEFT JOIN rep USING (month) LEFT JOIN par USING (month) LEFT JOIN fl USING (month)
  ORDER BY m.month`;

function gap(prefix: string): string {
  return `(CASE WHEN ${prefix}_e > 0 THEN ${prefix}_p::DOUBLE / ${prefix}_e END
    - CASE WHEN enrolled > 0 THEN participants::DOUBLE / enrolled END)`;
}

/** A page of 100 schools of $month, most negative priority gap first. */
const RAW_PAGE = `WITH part AS (
    SELECT p.school_code, ${PART_SUMS} FROM participation p WHERE p.month = $month GROUP BY p.school_code),
  sat AS (SELECT r.school_code, count(*) AS responses, count(a.score) AS answers,
      sum((a.score - 1) * 25) AS score_sum
    FROM survey_responses r
    LEFT JOIN ${OVERALL} a ON a.batch_id = r.batch_id AND a.response_no = r.response_no
    WHERE r.respondent = 'parent' AND r.month BETWEEN $window AND $month GROUP BY r.school_code),
  fl AS (SELECT school_code, count(*) AS open_flags FROM flags
    WHERE status NOT IN ('CLOSED', 'DISMISSED') AND (month IS NULL OR month <= $month) GROUP BY school_code)
  SELECT s.school_code, s.school_name, s.township, r.school_days, r.service_days,
    r.teachers_serving, part.* EXCLUDE (school_code), sat.responses, sat.score_sum,
    coalesce(fl.open_flags, 0) AS open_flags,
    least(${['lb', 'mg', 'ds', 'pr'].map(gap).join(', ')}) AS gap,
    count(*) OVER () AS total
  FROM schools s
  LEFT JOIN monthly_reports r ON r.school_code = s.school_code AND r.month = $month
  LEFT JOIN part ON part.school_code = s.school_code
  LEFT JOIN sat ON sat.school_code = s.school_code
  LEFT JOIN fl ON fl.school_code = s.school_code
  ORDER BY gap ASC NULLS LAST, s.school_code LIMIT 100`;

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
  for (let i = 0; i < runs; i++) {
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

// ---------------------------------------------------------------- checks

function near(a: unknown, b: unknown, what: string): void {
  const x = Number(a);
  const y = Number(b);
  if (!(Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x))))
    throw new Error(`API and raw SQL disagree on ${what}: ${String(a)} vs ${String(b)}`);
}

function checkOverview(api: Record<string, unknown>, raw: Record<string, unknown>[]): void {
  const o = api.overview as Record<string, unknown>;
  const r = raw[0]!;
  near(o.schoolsInScope, r.schools, 'schoolsInScope');
  near(o.schoolsReporting, r.reporting, 'schoolsReporting');
  near(o.schoolsOffering, r.offering, 'schoolsOffering');
  near(o.participants, r.participants, 'participants');
  near(o.enrolled, r.enrolled, 'enrolled');
  near(o.teachersServing, r.teachers_serving, 'teachersServing');
  near(o.teachersTotal, r.teachers_total, 'teachersTotal');
  near(o.openFlags, r.open_flags, 'openFlags');
  near(o.reportTimelinessRate, Number(r.on_time) / Number(r.schools), 'reportTimelinessRate');
  near(o.fivePlusTwoRate, Number(r.five_plus_two) / Number(r.reporting), 'fivePlusTwoRate');
  const sat = (r.satisfaction ?? []) as { respondent: string; responses: unknown }[];
  const apiSat = o.satisfaction as { respondent: string; responses: number }[];
  for (const s of sat)
    near(apiSat.find((x) => x.respondent === s.respondent)?.responses, s.responses, 'responses');
}

function checkTrend(api: Record<string, unknown>, raw: Record<string, unknown>[]): void {
  const t = api.trend as Record<string, unknown>[];
  if (t.length !== raw.length || t.length !== API_BENCH_MONTHS.length)
    throw new Error(`trend: ${t.length} API months, ${raw.length} raw months`);
  t.forEach((o, i) => {
    const r = raw[i]!;
    near(o.participants, r.participants, `participants of ${String(r.month)}`);
    near(o.schoolsReporting, r.reporting, `schoolsReporting of ${String(r.month)}`);
    const sat = (r.satisfaction ?? []) as {
      respondent: string;
      score_sum: unknown;
      answers: unknown;
    }[];
    const parent = sat.find((s) => s.respondent === 'parent');
    const apiParent = (o.satisfaction as { respondent: string; score: number | null }[]).find(
      (s) => s.respondent === 'parent',
    );
    if (parent) near(apiParent?.score, Number(parent.score_sum) / Number(parent.answers), 'score');
  });
}

function checkPage(api: Record<string, unknown>, raw: Record<string, unknown>[]): void {
  const page = api.schools as {
    total: number;
    items: { school: { code: string }; priorityGap: number | null }[];
  };
  near(page.total, raw[0]?.total, 'total');
  const a = page.items.map((x) => x.school.code).join();
  const b = raw.map((r) => String(r.school_code)).join();
  if (a !== b) throw new Error(`schools page: API and raw SQL order differ\n${a}\n${b}`);
  page.items.forEach((x, i) => near(x.priorityGap, raw[i]!.gap, 'priorityGap'));
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

export async function benchApi(args: ApiBenchArgs): Promise<void> {
  const started = performance.now();
  const { path: cachedPath, info, cached } = await cachedWarehouse(args.schools, args.fresh);
  console.log(
    `${cached ? `cached warehouse (built ${info.builtAt})` : 'warehouse built'}: ${cachedPath}\n` +
      `  rows ${JSON.stringify(info.rows)}\n` +
      `  CSV generation ${(info.generateMs / 1000).toFixed(1)} s (${(info.bytes / 2 ** 20).toFixed(0)} MiB); ` +
      `ETL load (loadPaths + CHECKPOINT) ${(info.loadMs / 1000).toFixed(1)} s; per file ms ${JSON.stringify(info.perFileMs)}`,
  );

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
    for (const c of cases) {
      results.push(await runCase(c, url, conn, sink, args.runs, args.warmup));
      console.log(`  ${c.name}: done`);
    }

    console.log('');
    console.log(
      `${args.runs} sequential requests each after ${args.warmup} warm-ups: HTTP POST /graphql (in-process server, ` +
        `NODE_ENV=${process.env.NODE_ENV ?? ''}, cookie session) vs hand-written SQL on a connection of the same DuckDB instance ` +
        `(threads 2, memory_limit 1GB), alternating request by request; ms`,
    );
    const head = `${'query'.padEnd(28)} API p50 API p95 raw p50 raw p95  target  met?  API/raw p95  SQL/req  SQL span p50`;
    console.log(head);
    console.log('-'.repeat(head.length));
    for (const r of results) {
      const p95 = percentile(r.api, 0.95);
      const span = r.sqlSpan.length > 0 ? fmt(percentile(r.sqlSpan, 0.5)) : '      -';
      const statements = String(percentile(r.statements, 0.5)).padStart(7);
      if (r.raw.length === 0) {
        console.log(
          `${r.name.padEnd(28)}${fmt(percentile(r.api, 0.5))} ${fmt(p95)}       -       -       -     -            -  ${statements}  ${span}`,
        );
        continue;
      }
      const rawP95 = percentile(r.raw, 0.95);
      const target = 1.5 * rawP95 + 5;
      console.log(
        `${r.name.padEnd(28)}${fmt(percentile(r.api, 0.5))} ${fmt(p95)} ${fmt(percentile(r.raw, 0.5))} ${fmt(rawP95)} ${fmt(target)}  ${p95 <= target ? 'yes' : 'NO '}  ${(p95 / rawP95).toFixed(2).padStart(11)}  ${statements}  ${span}`,
      );
    }
    const overviewP95 = percentile(results[0]!.api, 0.95);
    console.log(
      `overview p95 ${overviewP95.toFixed(1)} ms ≤ 100 ms: ${overviewP95 <= 100 ? 'yes' : 'NO'}`,
    );
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
        const c = cases[i]!;
        for (const [label, times] of r.byLabel) {
          const sample = r.samples.get(label)!;
          const plan = await planMs(profConn, sample.sql, sample.parameters);
          console.log(
            `${r.name.padEnd(28)} ${label.padEnd(20)} ${(times.length / args.runs).toFixed(1).padStart(7)} ${fmt(percentile(times, 0.5))} ${fmt(percentile(times, 0.95))} ${fmt(plan)}`,
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
