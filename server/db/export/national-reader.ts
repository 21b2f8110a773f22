/**
 * Runs the portable aggregates (aggregates/*.sql) with DuckDB over one or more exported
 * trees (`warehouse export` folders, or one folder holding many districts' partitions):
 * each exported table becomes a view of the same plain name over
 * `read_parquet(…, hive_partitioning = true)` of every tree, so the SQL files read
 * `schools`, `participation_monthly`, … exactly as Trino, Spark or MotherDuck read the
 * tables their catalogue registers over the same files (README "National scale").
 *
 * The reader's DuckDB sees only the trees (and a temp folder for spilling): no other file,
 * no network, no extension download, and the configuration locked, like the warehouse's.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { DUCKDB_THREADS, memoryLimitFromEnv } from '../duckdb-settings.ts';
import { ident, lit } from '../sql-literals.ts';
import { MANIFEST_FILE, type ExportColumn, type ExportManifest } from './export-manifest.ts';

/** The aggregates, in the README's order; each is `aggregates/<name>.sql`. */
export const AGGREGATES = [
  'coverage',
  'participation',
  'priority_groups',
  'satisfaction',
  'satisfaction_semester_to_date',
  'flags',
  'open_flags',
  'national',
] as const;
export type AggregateName = (typeof AGGREGATES)[number];

export const AGGREGATES_DIR = fileURLToPath(new URL('./aggregates/', import.meta.url));

export function aggregateSql(name: AggregateName): string {
  return readFileSync(join(AGGREGATES_DIR, `${name}.sql`), 'utf8');
}

export type NationalRow = Record<string, string | number | boolean | null>;

export interface NationalReader {
  /** The tables registered as views (those with files in some tree, or in a manifest). */
  readonly tables: readonly string[];
  run(name: AggregateName): Promise<NationalRow[]>;
  /**
   * Writes an aggregate's rows as CSV (UTF-8, a header row) to `path`, which must lie in the
   * reader's `writeDir`; returns the rows written.
   */
  writeCsv(name: AggregateName, path: string): Promise<number>;
  query(text: string): Promise<NationalRow[]>;
  close(): void;
}

/** BIGINT and DECIMAL as numbers, dates and instants as ISO text: plain JSON values. */
function plain(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string')
    return value;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

async function read(conn: DuckDBConnection, text: string): Promise<NationalRow[]> {
  const reader = await conn.runAndReadAll(text);
  return reader
    .getRowObjectsJS()
    .map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, plain(v)])));
}

function readManifest(root: string): ExportManifest | null {
  const path = join(root, MANIFEST_FILE);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as ExportManifest) : null;
}

function firstParquet(folder: string): string | null {
  if (!existsSync(folder)) return null;
  const found = readdirSync(folder, { recursive: true }).find((f) =>
    String(f).endsWith('.parquet'),
  );
  return found === undefined ? null : String(found);
}

function hasParquet(folder: string): boolean {
  return firstParquet(folder) !== null;
}

/** The hive keys of a table folder, from its first file's path (`district=…/month=…/…`). */
function partitionKeysOf(folder: string): string[] {
  const file = firstParquet(folder) ?? '';
  return file
    .split(sep)
    .filter((part) => part.includes('='))
    .map((part) => part.slice(0, part.indexOf('=')));
}

/** Table folders of a tree: subfolders holding Parquet files, plus the manifest's tables. */
function tablesOf(root: string, manifest: ExportManifest | null): string[] {
  const found = readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && hasParquet(join(root, e.name)))
    .map((e) => e.name);
  return [...new Set([...found, ...Object.keys(manifest?.tables ?? {})])];
}

/** An empty view with a table's columns (a table no tree has rows of). */
function emptySelect(columns: readonly ExportColumn[], partitionBy: readonly string[]): string {
  const cols = [
    ...columns.map((c) => `CAST(NULL AS ${c.type}) AS ${ident(c.name)}`),
    ...partitionBy.map((k) => `CAST(NULL AS VARCHAR) AS ${ident(k)}`),
  ];
  return `SELECT ${cols.join(', ')} WHERE FALSE`;
}

/**
 * Opens an in-memory DuckDB over the trees at `roots` and registers a view per table.
 * `memoryLimit` defaults to KEHOU_DUCKDB_MEMORY_MB (duckdb-settings.ts).
 */
export async function openNationalReader(
  roots: readonly string[],
  options: {
    memoryLimit?: string;
    threads?: number;
    /** The one folder the reader may write into (writeCsv); none by default. */
    writeDir?: string;
  } = {},
): Promise<NationalReader> {
  const dirs = roots.map((r) => resolve(r));
  const writable = options.writeDir === undefined ? [] : [resolve(options.writeDir)];
  const spill = mkdtempSync(join(tmpdir(), 'kehou-national-'));
  const instance = await DuckDBInstance.create(':memory:', {
    memory_limit: options.memoryLimit ?? memoryLimitFromEnv(),
    threads: String(options.threads ?? DUCKDB_THREADS),
    temp_directory: spill,
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const conn = await instance.connect();
  const close = (): void => {
    conn.closeSync();
    instance.closeSync();
    rmSync(spill, { recursive: true, force: true });
  };
  try {
    await conn.run(
      `SET allowed_directories = [${[...dirs, ...writable, spill].map((d) => lit(`${d}/`)).join(', ')}]`,
    );
    await conn.run('SET enable_external_access = false');
    await conn.run('SET lock_configuration = true');
    const manifests = dirs.map(readManifest);
    const tables = [...new Set(dirs.flatMap((d, i) => tablesOf(d, manifests[i] ?? null)))].sort();
    for (const table of tables) {
      const withFiles = dirs.filter((d) => hasParquet(join(d, table)));
      const described = manifests.find((m) => m?.tables[table])?.tables[table];
      let select: string;
      if (withFiles.length > 0) {
        const keys = partitionKeysOf(join(withFiles[0] as string, table));
        const globs = withFiles.map((d) => lit(join(d, table, '**', '*.parquet')));
        // Partition values are text ('130534', '2025-09'), never guessed as numbers or dates.
        const types = keys.map((k) => `${lit(k)}: VARCHAR`).join(', ');
        select = `SELECT * FROM read_parquet([${globs.join(', ')}], hive_partitioning = true,
          hive_types = {${types}}, union_by_name = true)`;
      } else if (described) {
        select = emptySelect(described.columns, described.partitionBy);
      } else continue;
      await conn.run(`CREATE VIEW ${ident(table)} AS ${select}`);
    }
    return {
      tables,
      run: (name) => read(conn, aggregateSql(name)),
      writeCsv: async (name, path) => {
        // DuckDB writes the file itself: no row passes through JavaScript.
        const written = await read(
          conn,
          `COPY (${aggregateSql(name)}) TO ${lit(resolve(path))} (FORMAT csv, HEADER true)`,
        );
        return Number(Object.values(written[0] ?? {})[0] ?? 0);
      },
      query: (text) => read(conn, text),
      close,
    };
  } catch (error) {
    close();
    throw error;
  }
}
