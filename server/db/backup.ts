/**
 * Backups of the warehouse: a consistent copy made by DuckDB itself (`COPY FROM DATABASE`
 * is one statement, so one snapshot, whatever else commits meanwhile) into a new
 * warehouse file, with a manifest of its checksum and row counts; and the restore that
 * checks a backup against its manifest before it replaces the warehouse.
 *
 * DuckDB may write only in the warehouse's work folder (connect.ts), so the copy is made
 * there and then moved to the folder the operator named.
 *
 * A backup holds the originals store too (originals.ts), as a folder of the same layout:
 * the files the figures came from are part of the record. Backups made before it have no
 * such folder and restore as before.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import {
  copyFile,
  cp,
  link,
  mkdir,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { ident, lit } from './sql-literals.ts';
import { defaultWorkDir, openWarehouse, type Warehouse } from './connect.ts';
import {
  keepOriginal,
  listOriginals,
  originalIntact,
  originalsDir,
  sha256OfFile,
} from './originals.ts';

/** The names inside a backup folder. */
export const BACKUP_FILE = 'kehou.duckdb';
export const MANIFEST_FILE = 'backup.json';
export const ORIGINALS_FOLDER = 'originals';

export interface BackupManifest {
  format: 'kehou-backup/1';
  /** ISO instant the snapshot was taken. */
  createdAt: string;
  /** The warehouse it was taken from. */
  source: string;
  /** Highest migration applied in the copy. */
  schemaVersion: number;
  sha256: string;
  bytes: number;
  /** Rows per table in the copy. */
  tables: Record<string, number>;
  /** The originals store's files and bytes in the copy (absent in older backups). */
  originals?: { files: number; bytes: number };
}

export class BackupError extends Error {}

async function rows(conn: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  return (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
}

/** Row counts of every base table of `catalog`. */
async function tableCounts(
  conn: DuckDBConnection,
  catalog: string,
): Promise<Record<string, number>> {
  const tables = await rows(
    conn,
    `SELECT table_name FROM information_schema.tables
     WHERE table_catalog = ${lit(catalog)} AND table_schema = 'main' AND table_type = 'BASE TABLE'
     ORDER BY table_name`,
  );
  const counts: Record<string, number> = {};
  for (const { table_name: name } of tables) {
    const [row] = await rows(
      conn,
      `SELECT count(*)::BIGINT AS n FROM ${ident(catalog)}.main.${ident(String(name))}`,
    );
    counts[String(name)] = Number(row?.n ?? 0);
  }
  return counts;
}

async function schemaVersion(conn: DuckDBConnection, catalog: string): Promise<number> {
  const [row] = await rows(
    conn,
    `SELECT coalesce(max(version), 0)::INTEGER AS v FROM ${ident(catalog)}.main.schema_migrations`,
  );
  return Number(row?.v ?? 0);
}

/**
 * Puts the originals store's files into `target`: hard links (kept files are never changed
 * in place, and the stage is on the store's file system), a copy where links fail.
 */
async function stageOriginals(
  warehouse: Warehouse,
  target: string,
): Promise<{ files: number; bytes: number }> {
  const kept = await listOriginals(originalsDir(warehouse));
  let bytes = 0;
  for (const original of kept) {
    const fan = join(target, original.sha256.slice(0, 2));
    await mkdir(fan, { recursive: true });
    const to = join(fan, original.sha256);
    await link(original.path, to).catch(() => copyFile(original.path, to));
    bytes += original.bytes;
  }
  return { files: kept.length, bytes };
}

/**
 * Copies the warehouse into a new file under its work folder and returns the staged
 * folder (the file and its manifest). The caller decides when: the server runs it in the
 * data writer's turn, so a backup holds all of an upload or none of it.
 */
export async function stageBackup(warehouse: Warehouse): Promise<string> {
  const staged = join(warehouse.workDir, 'backups', randomUUID());
  await mkdir(staged, { recursive: true });
  const file = join(staged, BACKUP_FILE);
  const conn = await warehouse.connect();
  const alias = `kehou_backup_${randomUUID().replaceAll('-', '')}`;
  try {
    const [current] = await rows(conn, 'SELECT current_database() AS name');
    const source = String(current?.name);
    const createdAt = new Date().toISOString();
    await conn.run(`ATTACH ${lit(file)} AS ${ident(alias)}`);
    let tables: Record<string, number>;
    let version: number;
    try {
      await conn.run(`COPY FROM DATABASE ${ident(source)} TO ${ident(alias)}`);
      tables = await tableCounts(conn, alias);
      version = await schemaVersion(conn, alias);
    } finally {
      await conn.run(`DETACH ${ident(alias)}`);
    }
    const manifest: BackupManifest = {
      format: 'kehou-backup/1',
      createdAt,
      source: resolve(warehouse.path),
      schemaVersion: version,
      sha256: await sha256OfFile(file),
      bytes: (await stat(file)).size,
      tables,
      originals: await stageOriginals(warehouse, join(staged, ORIGINALS_FOLDER)),
    };
    await writeFile(join(staged, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    return staged;
  } catch (error) {
    await rm(staged, { recursive: true, force: true });
    throw error;
  } finally {
    conn.closeSync();
  }
}

/** Refuses a target that holds anything: a backup never overwrites another. */
async function emptyTarget(target: string): Promise<void> {
  const entries = await readdir(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  if (entries.length > 0)
    throw new BackupError(
      `备份目录 ${target} 不为空，请指定一个新目录 / the backup folder ${target} is not empty: name a new one`,
    );
  await mkdir(target, { recursive: true });
}

/** Moves a staged backup to `target` (a new or empty folder); returns its manifest. */
export async function deliverBackup(staged: string, target: string): Promise<BackupManifest> {
  try {
    await emptyTarget(target);
    if (existsSync(join(staged, ORIGINALS_FOLDER)))
      await rename(join(staged, ORIGINALS_FOLDER), join(target, ORIGINALS_FOLDER)).catch(() =>
        cp(join(staged, ORIGINALS_FOLDER), join(target, ORIGINALS_FOLDER), { recursive: true }),
      );
    // The manifest last: a folder with a manifest is a whole backup.
    for (const name of [BACKUP_FILE, MANIFEST_FILE]) {
      // Another file system (a USB disk, a mounted share) cannot take a rename.
      await rename(join(staged, name), join(target, name)).catch(() =>
        copyFile(join(staged, name), join(target, name)),
      );
    }
    return JSON.parse(await readFile(join(target, MANIFEST_FILE), 'utf8')) as BackupManifest;
  } finally {
    await rm(staged, { recursive: true, force: true });
  }
}

/** Backs up a warehouse this process holds (no server running) into `target`. */
export async function backupWarehouse(
  warehouse: Warehouse,
  target: string,
): Promise<BackupManifest> {
  await emptyTarget(target);
  return deliverBackup(await stageBackup(warehouse), target);
}

/** Reads and checks a backup folder: its manifest, checksum and row counts. */
export async function verifyBackup(dir: string): Promise<BackupManifest> {
  const file = join(dir, BACKUP_FILE);
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as BackupManifest;
  } catch {
    throw new BackupError(
      `${dir} 中没有可读的备份清单 ${MANIFEST_FILE} / no readable ${MANIFEST_FILE} in ${dir}`,
    );
  }
  if (manifest.format !== 'kehou-backup/1' || !existsSync(file))
    throw new BackupError(`${dir} 不是课后督导的备份 / ${dir} is not a Kehou backup`);
  if ((await sha256OfFile(file)) !== manifest.sha256)
    throw new BackupError(
      `备份文件已损坏或被改动（校验和不符）/ the backup file is damaged or was changed (checksum mismatch)`,
    );
  const instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  try {
    const conn = await instance.connect();
    try {
      const [current] = await rows(conn, 'SELECT current_database() AS name');
      const counts = await tableCounts(conn, String(current?.name));
      if (JSON.stringify(counts) !== JSON.stringify(manifest.tables))
        throw new BackupError(
          `备份中的数据行数与清单不符 / the backup's row counts differ from its manifest`,
        );
    } finally {
      conn.closeSync();
    }
  } finally {
    instance.closeSync();
  }
  if (manifest.originals) {
    const kept = await listOriginals(join(dir, ORIGINALS_FOLDER));
    const bytes = kept.reduce((sum, o) => sum + o.bytes, 0);
    if (kept.length !== manifest.originals.files || bytes !== manifest.originals.bytes)
      throw new BackupError(
        `备份中的原件与清单不符 / the backup's originals differ from its manifest`,
      );
    for (const original of kept)
      if (!(await originalIntact(original)))
        throw new BackupError(
          `备份中的原件 ${original.sha256} 已损坏（校验和不符）/ the backup's original ${original.sha256} is damaged (checksum mismatch)`,
        );
  }
  return manifest;
}

export interface RestoreResult {
  manifest: BackupManifest;
  /** Where the warehouse that was replaced now lies (null when there was none). */
  previous: string | null;
}

/**
 * Replaces the warehouse at `dbPath` by the backup in `dir`. The caller has made sure no
 * server holds it (openWarehouse failing with DuckDB's lock error tells). The warehouse
 * replaced is kept beside it, renamed, never deleted.
 */
export async function restoreWarehouse(dir: string, dbPath: string): Promise<RestoreResult> {
  const manifest = await verifyBackup(dir);
  // Taking the lock proves no server or load holds the warehouse; it is released at once.
  const current = await openWarehouse(dbPath);
  await current.close();
  const stamp = new Date()
    .toISOString()
    .replaceAll(':', '')
    .replace(/\.\d+Z$/u, 'Z');
  const previous = existsSync(dbPath) ? `${dbPath}.before-restore-${stamp}` : null;
  const incoming = join(dirname(dbPath), `.${basename(dbPath)}.restoring`);
  await copyFile(join(dir, BACKUP_FILE), incoming);
  if (previous) {
    await rename(dbPath, previous);
    // Closed cleanly above, so normally there is no WAL; if there is, it belongs to the old file.
    if (existsSync(`${dbPath}.wal`)) await rename(`${dbPath}.wal`, `${previous}.wal`);
  }
  await rename(incoming, dbPath);
  // The backup's originals join the store (content-addressed: the ones already there stay).
  const home = { workDir: defaultWorkDir(dbPath) };
  for (const original of await listOriginals(join(dir, ORIGINALS_FOLDER)))
    await keepOriginal(home, original.path, original.sha256);
  // Opening applies any migration newer than the backup and proves the file works.
  const restored = await openWarehouse(dbPath);
  await restored.close();
  return { manifest, previous };
}
