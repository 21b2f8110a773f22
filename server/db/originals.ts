/**
 * The originals store: the exact bytes of every file the ETL loaded (by upload or from the
 * command line), so a bureau inspector can download the file a figure came from (数据来源).
 *
 * Content-addressed by the sha256 the ETL already computes for `load_batches.sha256`: a
 * file uploaded twice, or loaded under another name, is kept once, and a kept file can be
 * checked against its name. The store lives in the warehouse's work folder (connect.ts),
 * beside the warehouse it belongs to, so two warehouses never share (or prune) each
 * other's originals; backups copy it (backup.ts).
 *
 * Writes are atomic (a temp file in the store, then a rename), so a reader never sees half
 * a file and a crash leaves at most a stray temp file, which pruning removes.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { ident, lit } from './sql-literals.ts';

/** What locates the store: the warehouse's work folder (a Warehouse satisfies it). */
export interface OriginalsHome {
  readonly workDir: string;
}

/** Default retention: originals no current figure comes from are kept this many days. */
export const DEFAULT_ORIGINALS_RETENTION_DAYS = 365;

const SHA256 = /^[0-9a-f]{64}$/u;
const TEMP_PREFIX = '.incoming-';

/** The store's folder. */
export function originalsDir(home: OriginalsHome): string {
  return join(home.workDir, 'originals');
}

function checkedSha(sha256: string): string {
  // The name becomes a path: anything but 64 hex digits could step out of the store.
  if (!SHA256.test(sha256)) throw new Error(`not a sha256: ${sha256.slice(0, 80)}`);
  return sha256;
}

/** Where the original with this sha256 is (or would be) kept; fanned out by 2 hex digits. */
function storePath(home: OriginalsHome, sha256: string): string {
  const sha = checkedSha(sha256);
  return join(originalsDir(home), sha.slice(0, 2), sha);
}

async function sizeOf(path: string): Promise<number | null> {
  try {
    const info = await stat(path);
    return info.isFile() ? info.size : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** sha256 of a file's bytes, streamed. */
export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Keeps the file at `source` whose bytes hash to `sha256`; returns the kept size in bytes.
 * Deduplicated: when that sha256 is already kept nothing is copied. The copy is hashed
 * before it is published, so the store never holds bytes under another file's name (the
 * source changed since it was hashed, or the caller passed the wrong sha256).
 */
export async function keepOriginal(
  home: OriginalsHome,
  source: string,
  sha256: string,
): Promise<number> {
  const target = storePath(home, sha256);
  const kept = await sizeOf(target);
  if (kept !== null) return kept;
  const dir = join(originalsDir(home), sha256.slice(0, 2));
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `${TEMP_PREFIX}${randomUUID()}`);
  try {
    await copyFile(source, temp);
    const actual = await sha256OfFile(temp);
    if (actual !== sha256)
      throw new Error(`original ${source} does not match its sha256 (${sha256} ≠ ${actual})`);
    // A concurrent keep of the same bytes may win the rename: the result is identical.
    await rename(temp, target);
  } finally {
    await rm(temp, { force: true });
  }
  return (await sizeOf(target)) ?? 0;
}

export interface KeptOriginal {
  sha256: string;
  path: string;
  bytes: number;
}

/** Every original kept in the store at `dir` (the store's folder, or a backup's copy of it). */
export async function listOriginals(dir: string): Promise<KeptOriginal[]> {
  const kept: KeptOriginal[] = [];
  const fans = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  for (const fan of fans.sort()) {
    if (!/^[0-9a-f]{2}$/u.test(fan)) continue;
    for (const name of (await readdir(join(dir, fan))).sort()) {
      if (!SHA256.test(name) || !name.startsWith(fan)) continue;
      const path = join(dir, fan, name);
      const bytes = await sizeOf(path);
      if (bytes !== null) kept.push({ sha256: name, path, bytes });
    }
  }
  return kept;
}

/** Whether a kept file's bytes still hash to its name (a backup's check). */
export async function originalIntact(original: KeptOriginal): Promise<boolean> {
  return (await sha256OfFile(original.path)) === original.sha256;
}

/** The kept original with this sha256, or null (never kept, or pruned). */
export async function originalPath(home: OriginalsHome, sha256: string): Promise<string | null> {
  if (!SHA256.test(sha256)) return null;
  const path = storePath(home, sha256);
  return (await sizeOf(path)) === null ? null : path;
}

/**
 * Records the kept size on every batch of that file (`load_batches.original_bytes`), so the
 * dashboard knows which originals can be downloaded without touching the disk.
 */
export async function recordOriginal(
  conn: DuckDBConnection,
  sha256: string,
  bytes: number,
): Promise<void> {
  await conn.run(
    `UPDATE load_batches SET original_bytes = ${Math.trunc(bytes)} WHERE sha256 = ${lit(checkedSha(sha256))}`,
  );
}

/** Keeps a loaded file and records it on its batches: what the ETL calls after a load. */
export async function keepAndRecordOriginal(
  home: OriginalsHome,
  conn: DuckDBConnection,
  source: string,
  sha256: string,
): Promise<number> {
  const bytes = await keepOriginal(home, source, sha256);
  await recordOriginal(conn, sha256, bytes);
  return bytes;
}

/** KEHOU_ORIGINALS_RETENTION_DAYS (cli-contract.md); a typo stops the program. */
export function originalsRetentionDaysFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.KEHOU_ORIGINALS_RETENTION_DAYS;
  if (raw === undefined || raw.trim() === '') return DEFAULT_ORIGINALS_RETENTION_DAYS;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(
      `KEHOU_ORIGINALS_RETENTION_DAYS 必须是正数 / must be a positive number (got "${raw}")`,
    );
  return value;
}

/**
 * The sha256s no original may be pruned for: files a current figure comes from (a batch
 * still holding rows in any loaded table), files loaded within the retention period, and
 * evidence files (photos, documents and their thumbnails) not deleted.
 * Loaded tables are found by their provenance columns (provenance.ts), so a new kind is
 * covered without a change here; row_versions keeps replaced rows and does not count.
 */
async function protectedShas(conn: DuckDBConnection, cutoff: Date): Promise<Set<string>> {
  const tables = (
    await conn.runAndReadAll(`SELECT table_name FROM information_schema.columns
      WHERE table_schema = 'main' AND column_name = 'source_row' AND table_name <> 'row_versions'
        AND table_name IN (SELECT table_name FROM information_schema.columns
          WHERE table_schema = 'main' AND column_name = 'batch_id')
      ORDER BY table_name`)
  )
    .getRowObjectsJS()
    .map((r) => String(r.table_name));
  const current = tables.map((t) => `SELECT DISTINCT batch_id FROM ${ident(t)}`);
  // Evidence files (and their thumbnails) are kept while their row is not deleted.
  const reader = await conn.runAndReadAll(`SELECT DISTINCT sha256 FROM load_batches
    WHERE loaded_at >= ${lit(cutoff.toISOString())}::TIMESTAMPTZ
    ${current.length > 0 ? `OR batch_id IN (${current.join(' UNION ')})` : ''}
    UNION SELECT sha256 FROM evidence_files WHERE deleted_at IS NULL
    UNION SELECT thumb_sha256 FROM evidence_files
      WHERE deleted_at IS NULL AND thumb_sha256 IS NOT NULL`);
  return new Set(reader.getRowObjectsJS().map((r) => String(r.sha256)));
}

/** Removes temp files of keeps interrupted more than a day ago (a younger one may be in flight). */
async function removeStaleTemps(root: string, now: Date): Promise<void> {
  const fans = await readdir(root).catch(() => [] as string[]);
  for (const fan of fans) {
    const names = await readdir(join(root, fan)).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.startsWith(TEMP_PREFIX))) {
      const path = join(root, fan, name);
      const info = await stat(path).catch(() => null);
      if (info && now.getTime() - info.mtimeMs > 86_400_000) await rm(path, { force: true });
    }
  }
}

export interface PruneResult {
  /** Originals removed (their sha256s). */
  removed: string[];
  /** Bytes freed. */
  bytes: number;
  /** Originals kept. */
  kept: number;
}

/**
 * Removes originals no current figure comes from and no batch loaded within `retentionDays`
 * (a still-current batch's original is never pruned, however old), and stray temp files of
 * interrupted keeps; clears `original_bytes` of the batches whose original went. Run it
 * in the data writer's turn (or with the warehouse held), so no load keeps a file meanwhile.
 */
export async function pruneOriginals(
  home: OriginalsHome,
  conn: DuckDBConnection,
  options: { retentionDays: number; now?: Date },
): Promise<PruneResult> {
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - options.retentionDays * 86_400_000);
  const keep = await protectedShas(conn, cutoff);
  const result: PruneResult = { removed: [], bytes: 0, kept: 0 };
  const root = originalsDir(home);
  for (const original of await listOriginals(root)) {
    if (keep.has(original.sha256)) {
      result.kept += 1;
      continue;
    }
    await rm(original.path, { force: true });
    result.removed.push(original.sha256);
    result.bytes += original.bytes;
  }
  await removeStaleTemps(root, now);
  // Batch by batch of 500 names, so the statement stays bounded however much went.
  for (let i = 0; i < result.removed.length; i += 500) {
    const shas = result.removed.slice(i, i + 500).map(lit);
    await conn.run(
      `UPDATE load_batches SET original_bytes = NULL WHERE sha256 IN (${shas.join(', ')})`,
    );
  }
  return result;
}
