/**
 * The national export: the district's facts (export-tables.ts) as Parquet files in a hive
 * layout, `<table>/district=<code>/month=<YYYY-MM>/data_0.parquet` (tables without a month:
 * `<table>/district=<code>/…`), written by DuckDB's own `COPY … (FORMAT parquet,
 * PARTITION_BY …)`, with a manifest (export-manifest.ts). A NULL month goes to DuckDB's
 * `month=__HIVE_DEFAULT_PARTITION__`, which Hive, Trino and Spark read as NULL too.
 *
 * All tables are copied in one transaction, so one snapshot. DuckDB may write only in the
 * warehouse's work folder (connect.ts), so the tree is built there and moved to the folder
 * the operator named once complete: a failed export leaves nothing there, and a folder
 * with a manifest.json is a whole export.
 */
import { randomUUID } from 'node:crypto';
import { cp, mkdir, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { currentDate, semesterStart } from '../calendar.ts';
import { DEADLINE_STATUS, FLAG_STATUS_VOCABULARY } from '../flag-statuses.ts';
import type { Warehouse } from '../connect.ts';
import { sha256OfFile } from '../originals.ts';
import { ident, lit } from '../sql-literals.ts';
import { monthRules } from '../../policy/month-rules.ts';
import { readStoredPolicyOn } from '../../policy/policy-store.ts';
import type { DistrictPolicy } from '../../policy/policy.ts';
import {
  DERIVED_TABLES,
  EXPORTED_TABLES,
  NOT_EXPORTED,
  type PartitionKeys,
} from './export-tables.ts';
import {
  EXPORT_FORMAT,
  MANIFEST_FILE,
  type ExportColumn,
  type ExportedFile,
  type ExportManifest,
} from './export-manifest.ts';

export class ExportError extends Error {}

type Row = Record<string, unknown>;

async function rows(conn: DuckDBConnection, text: string): Promise<Row[]> {
  return (await conn.runAndReadAll(text)).getRowObjectsJS() as Row[];
}

/** The district's 行政区划代码 from its policy, or a bilingual refusal. */
export function districtCodeOf(policy: DistrictPolicy): string {
  if (policy.district_code === undefined)
    throw new ExportError(
      `政策文件未写明本区县的行政区划代码（district_code），无法导出。请在政策文件中加入 district_code: '六位代码'，用 npm run -s etl -- policy <文件> 载入后重试。/ The policy gives no district_code (the district's 6-digit administrative division code), which names the district in a national export: add district_code: '<6 digits>' to the policy file, load it (npm run -s etl -- policy <file>) and export again.`,
    );
  return policy.district_code;
}

/** Refuses a target that holds anything: an export never mixes with another. */
async function checkTarget(target: string): Promise<void> {
  const entries = await readdir(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    if (error.code === 'ENOTDIR')
      throw new ExportError(
        `导出目录 ${target} 是一个文件，请指定一个新目录 / the export folder ${target} is a file: name a new folder`,
      );
    throw error;
  });
  if (entries.length > 0)
    throw new ExportError(
      `导出目录 ${target} 不为空，请指定一个新目录 / the export folder ${target} is not empty: name a new one`,
    );
}

async function columnsOf(conn: DuckDBConnection, select: string): Promise<ExportColumn[]> {
  const described = await rows(conn, `DESCRIBE ${select}`);
  return described.map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
}

/**
 * `COPY (select) TO <stage>/<table>` partitioned hive-style; the partition keys live in the
 * folder names only (DuckDB's default), as Hive, Trino and Spark expect.
 */
async function copyPartitioned(
  conn: DuckDBConnection,
  select: string,
  folder: string,
  partitionBy: PartitionKeys,
): Promise<void> {
  await conn.run(
    `COPY (${select}) TO ${lit(folder)} (FORMAT parquet, PARTITION_BY (${partitionBy.map(ident).join(', ')}))`,
  );
}

/** Every month any exported fact is about, oldest first. */
async function factMonths(conn: DuckDBConnection): Promise<string[]> {
  const monthly = EXPORTED_TABLES.filter((t) => t.partitionBy.includes('month' as never));
  const union = monthly
    .map((t) => `SELECT month FROM ${ident(t.table)} WHERE month IS NOT NULL`)
    .join(' UNION ');
  const found = await rows(conn, `SELECT DISTINCT month FROM (${union}) ORDER BY month`);
  return found.map((r) => String(r.month));
}

/**
 * The derived tables as temp tables on `conn`: `export_districts` (one row),
 * `export_district_months` (the policy parameters of each month, as monthRules gives them to
 * the dashboard's scope: scope.ts's months relation) and `export_flag_statuses` (the status
 * vocabulary of flag-statuses.ts: which are open, in which the deadline runs).
 */
async function stageDerived(
  conn: DuckDBConnection,
  policy: DistrictPolicy,
  code: string,
  exportedAt: Date,
  months: readonly string[],
): Promise<void> {
  await conn.run(`CREATE OR REPLACE TEMP TABLE export_districts AS SELECT
      ${lit(code)} AS district, ${lit(policy.district)} AS district_name,
      ${lit(policy.sha256)} AS policy_sha256,
      ${lit(exportedAt.toISOString())}::TIMESTAMPTZ AS exported_at,
      ${lit(currentDate(exportedAt))}::DATE AS as_of_date`);
  const statuses = FLAG_STATUS_VOCABULARY.map(
    (s) =>
      `(${lit(code)}, ${lit(s.status)}, ${lit(s.label)}, ${s.open ? 'TRUE' : 'FALSE'}, ${s.status === DEADLINE_STATUS ? 'TRUE' : 'FALSE'})`,
  );
  await conn.run(`CREATE OR REPLACE TEMP TABLE export_flag_statuses AS
    SELECT * FROM (VALUES ${statuses.join(', ')}) AS v(district, status, label, is_open, deadline_runs)`);
  await conn.run(`CREATE OR REPLACE TEMP TABLE export_district_months (
      district VARCHAR, month VARCHAR, policy_version VARCHAR, service_month BOOLEAN,
      min_daily_minutes INTEGER, required_day_share DOUBLE, report_due TIMESTAMPTZ,
      window_start VARCHAR, month_start DATE, month_end DATE)`);
  if (months.length === 0) return;
  const values = months.map((month) => {
    const rules = monthRules(policy, month);
    return `(${[
      lit(code),
      lit(month),
      lit(rules.version.version),
      rules.serviceMonth ? 'TRUE' : 'FALSE',
      String(rules.version.service.min_daily_minutes),
      String(rules.requiredDayShare),
      `${lit(rules.reportDueAt)}::TIMESTAMPTZ`,
      lit(semesterStart(month)),
      `${lit(`${month}-01`)}::DATE`,
    ].join(', ')})`;
  });
  // The month's last day as scope.ts's inScope reads it: DuckDB's last_day of its first.
  await conn.run(`INSERT INTO export_district_months
    SELECT *, last_day(month_start) AS month_end FROM (VALUES ${values.join(', ')})
      AS v(district, month, policy_version, service_month, min_daily_minutes,
        required_day_share, report_due, window_start, month_start)`);
}

/** The Parquet files under `dir` (sorted), with rows, bytes and sha256. */
async function describeFiles(
  conn: DuckDBConnection,
  root: string,
  dir: string,
): Promise<ExportedFile[]> {
  const found = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  const files = found.filter((f) => f.endsWith('.parquet')).sort();
  const out: ExportedFile[] = [];
  for (const file of files) {
    const path = join(dir, file);
    const [meta] = await rows(
      conn,
      `SELECT num_rows::BIGINT AS n FROM parquet_file_metadata(${lit(path)})`,
    );
    out.push({
      path: relative(root, path).split(sep).join('/'),
      rows: Number(meta?.n ?? 0),
      bytes: (await stat(path)).size,
      sha256: await sha256OfFile(path),
    });
  }
  return out;
}

/**
 * Writes the export tree and its manifest into a new folder under the warehouse's work
 * folder and returns it. `now` is the export's instant (tests fix it).
 */
export async function stageExport(
  warehouse: Warehouse,
  options: { now?: Date } = {},
): Promise<{ staged: string; manifest: ExportManifest }> {
  const exportedAt = options.now ?? new Date();
  const staged = join(warehouse.workDir, 'exports', randomUUID());
  await mkdir(staged, { recursive: true });
  const conn = await warehouse.connect();
  try {
    const { policy } = await readStoredPolicyOn(conn, { storeDefault: false });
    const code = districtCodeOf(policy);
    const tables: ExportManifest['tables'] = {};
    let schemaVersion = 0;
    // One transaction: every table from the same snapshot, whatever commits meanwhile.
    await conn.run('BEGIN TRANSACTION');
    try {
      const [v] = await rows(
        conn,
        'SELECT coalesce(max(version), 0)::INTEGER AS v FROM schema_migrations',
      );
      schemaVersion = Number(v?.v ?? 0);
      for (const spec of EXPORTED_TABLES) {
        const all = await columnsOf(conn, `SELECT * FROM ${ident(spec.table)}`);
        const kept = all.filter((c) => !(spec.omit && c.name in spec.omit));
        const select = `SELECT ${lit(code)} AS district, ${kept.map((c) => ident(c.name)).join(', ')} FROM ${ident(spec.table)}`;
        await copyPartitioned(conn, select, join(staged, spec.table), spec.partitionBy);
        tables[spec.table] = {
          why: spec.why,
          derived: false,
          partitionBy: [...spec.partitionBy],
          columns: kept.filter((c) => !spec.partitionBy.includes(c.name as never)),
          omitted: spec.omit ? Object.keys(spec.omit) : [],
          rows: 0,
          files: [],
        };
      }
      await stageDerived(conn, policy, code, exportedAt, await factMonths(conn));
      for (const [name, spec] of Object.entries(DERIVED_TABLES)) {
        const select = `SELECT * FROM export_${name}`;
        await copyPartitioned(conn, select, join(staged, name), spec.partitionBy);
        const columns = await columnsOf(conn, select);
        tables[name] = {
          why: spec.why,
          derived: true,
          partitionBy: [...spec.partitionBy],
          columns: columns.filter((c) => !spec.partitionBy.includes(c.name as never)),
          omitted: [],
          rows: 0,
          files: [],
        };
      }
      await conn.run('COMMIT');
    } catch (error) {
      await conn.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
    for (const [name, table] of Object.entries(tables)) {
      table.files = await describeFiles(conn, staged, join(staged, name));
      table.rows = table.files.reduce((sum, f) => sum + f.rows, 0);
    }
    const manifest: ExportManifest = {
      format: EXPORT_FORMAT,
      schemaVersion,
      district: { code, name: policy.district },
      policy: {
        sha256: policy.sha256,
        versions: policy.versions.map((v) => ({
          version: v.version,
          effectiveFrom: v.effective_from,
          source: v.source,
        })),
      },
      exportedAt: exportedAt.toISOString(),
      asOfDate: currentDate(exportedAt),
      layout: 'hive',
      tables,
      notExported: { ...NOT_EXPORTED },
    };
    // The manifest last: a tree with a manifest is whole.
    await writeFile(join(staged, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    return { staged, manifest };
  } catch (error) {
    await rm(staged, { recursive: true, force: true });
    throw error;
  } finally {
    conn.closeSync();
  }
}

/**
 * Moves a staged export to `target` (new, or an empty folder) in one rename; onto another
 * file system it is copied beside the target first and renamed, so no half tree ever sits
 * at `target`.
 */
export async function deliverExport(staged: string, target: string): Promise<void> {
  try {
    await checkTarget(target);
    await mkdir(dirname(target), { recursive: true });
    await rmdir(target).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    try {
      await rename(staged, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      const partial = join(dirname(target), `.${basename(target)}.partial-${randomUUID()}`);
      try {
        await cp(staged, partial, { recursive: true });
        await rename(partial, target);
      } catch (copyError) {
        await rm(partial, { recursive: true, force: true });
        throw copyError;
      }
    }
  } finally {
    await rm(staged, { recursive: true, force: true });
  }
}

/** Exports the warehouse this process holds into `target`; returns the manifest. */
export async function exportWarehouse(
  warehouse: Warehouse,
  target: string,
  options: { now?: Date } = {},
): Promise<ExportManifest> {
  await checkTarget(target);
  const { staged, manifest } = await stageExport(warehouse, options);
  await deliverExport(staged, target);
  return manifest;
}
