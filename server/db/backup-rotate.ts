/**
 * Scheduled backups with retention (`warehouse backup-rotate <root>`): a new dated backup
 * folder under <root>, made by the usual backup path, then the old ones the retention rule
 * (backup-retention.ts) lets go are removed.
 *
 * Only folders this module recognises as its own are ever removed: a directory (not a
 * link) named `kehou-backup-<Beijing time>` holding a readable `backup.json` of the Kehou
 * backup format and its warehouse file. Anything else under <root> (a hand-made backup, a
 * half-written folder, notes) is listed as ignored and left alone. Nothing is removed
 * unless the new backup was written.
 */
import { existsSync } from 'node:fs';
import { lstat, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BACKUP_FILE, MANIFEST_FILE, type BackupManifest } from './backup.ts';
import { chooseRetained, type RetentionRule } from './backup-retention.ts';
import { shanghaiIso } from './calendar.ts';

/** Folder names this module writes and recognises. */
export const ROTATED_PREFIX = 'kehou-backup-';
const ROTATED_NAME = /^kehou-backup-\d{4}-\d{2}-\d{2}T\d{6}[+-]\d{4}$/u;

/** `kehou-backup-2026-12-05T013000+0800`: Beijing time, readable and sorting by time. */
export function rotatedFolderName(at: Date): string {
  return `${ROTATED_PREFIX}${shanghaiIso(at.getTime()).replaceAll(':', '')}`;
}

export interface OwnBackup {
  /** Folder name under the root. */
  id: string;
  path: string;
  createdAt: Date;
  manifest: BackupManifest;
}

export interface Ignored {
  name: string;
  why: string;
}

async function readOwn(root: string, name: string): Promise<OwnBackup | Ignored> {
  const path = join(root, name);
  const info = await lstat(path);
  if (!info.isDirectory()) return { name, why: '不是文件夹 / not a folder' };
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(await readFile(join(path, MANIFEST_FILE), 'utf8')) as BackupManifest;
  } catch {
    return { name, why: `没有可读的 ${MANIFEST_FILE} / no readable ${MANIFEST_FILE}` };
  }
  const createdAt = new Date(manifest?.createdAt);
  if (manifest?.format !== 'kehou-backup/1' || Number.isNaN(createdAt.getTime()))
    return {
      name,
      why: `${MANIFEST_FILE} 不是课后督导的备份清单 / ${MANIFEST_FILE} is not a Kehou backup manifest`,
    };
  if (!existsSync(join(path, BACKUP_FILE)))
    return { name, why: `缺少 ${BACKUP_FILE} / no ${BACKUP_FILE}` };
  return { id: name, path, createdAt, manifest };
}

/** The root's backups this module made, newest first, and the names it leaves alone. */
export async function listRotatedBackups(
  root: string,
): Promise<{ backups: OwnBackup[]; ignored: Ignored[] }> {
  const names = await readdir(root).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  const backups: OwnBackup[] = [];
  const ignored: Ignored[] = [];
  for (const name of names.sort()) {
    if (!ROTATED_NAME.test(name)) {
      ignored.push({ name, why: '不是 backup-rotate 所建 / not named by backup-rotate' });
      continue;
    }
    const found = await readOwn(root, name);
    if ('id' in found) backups.push(found);
    else ignored.push(found);
  }
  backups.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  return { backups, ignored };
}

export interface RotateResult {
  root: string;
  created: { dir: string; manifest: BackupManifest };
  kept: Array<{ dir: string; createdAt: string; reasons: string[] }>;
  removed: Array<{ dir: string; createdAt: string }>;
  ignored: Ignored[];
}

export async function rotateBackups(options: {
  root: string;
  rule: RetentionRule;
  /** Writes a backup into a new folder (the CLI: through the server's admin socket or directly). */
  makeBackup: (target: string) => Promise<BackupManifest>;
  now?: Date;
}): Promise<RotateResult> {
  const root = resolve(options.root);
  await mkdir(root, { recursive: true });
  const dir = join(root, rotatedFolderName(options.now ?? new Date()));
  if (existsSync(dir))
    throw new Error(
      `备份目录 ${dir} 已存在（同一秒内运行了两次？）/ the backup folder ${dir} exists already (run twice within a second?)`,
    );
  let manifest: BackupManifest;
  try {
    manifest = await options.makeBackup(dir);
  } catch (error) {
    // The folder is this run's own and holds no whole backup (no manifest was delivered).
    if (!existsSync(join(dir, MANIFEST_FILE))) await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const { backups, ignored } = await listRotatedBackups(root);
  const choice = chooseRetained(backups, options.rule);
  const removed: RotateResult['removed'] = [];
  for (const backup of choice.remove) {
    // Never this run's backup, even if a clock set back made an older folder look newer.
    if (backup.path === dir) continue;
    await rm(backup.path, { recursive: true });
    removed.push({ dir: backup.path, createdAt: backup.manifest.createdAt });
  }
  return {
    root,
    created: { dir, manifest },
    kept: choice.keep.map(({ backup, reasons }) => ({
      dir: backup.path,
      createdAt: backup.manifest.createdAt,
      reasons,
    })),
    removed,
    ignored,
  };
}

/** The newest recognised backup under `root` (monitoring), or null. */
export async function newestRotatedBackup(root: string): Promise<OwnBackup | null> {
  return (await listRotatedBackups(root)).backups[0] ?? null;
}
