/**
 * What the operators' monitor reads (`GET /metrics`): counts and instants only, never a
 * school's, pupil's or user's name or figure. One statement for the warehouse's counts, so
 * a scrape costs one small query however often it comes.
 *
 * "Overdue" is the one rule of flag-statuses.ts on today's Beijing date; a load that
 * succeeded is a batch that put at least one school-month into the warehouse; a failed
 * upload is an `upload` audit row with outcome `failed` (unreadable files, an upload the
 * process never finished); backups are the server's audited ones and, with a backup root,
 * the newest folder backup-rotate made there (taken while the server was stopped, say).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './database.ts';
import { flagOpenSql, flagOverdueSql } from './flag-statuses.ts';
import { currentDate } from './calendar.ts';
import { newestRotatedBackup } from './backup-rotate.ts';

export interface OpsMetrics {
  /** Load batches (files × report kinds) recorded in the 24 h before now. */
  loadBatches24h: number;
  /** Of those, batches with at least one refused school-month or row. */
  loadBatchesRejected24h: number;
  /** Rows refused in those batches. */
  rowsRejected24h: number;
  /** Uploads that failed in the 24 h before now. */
  uploadsFailed24h: number;
  /** The newest load that put data in, or null when none did yet. */
  lastLoadAt: Date | null;
  openFlags: number;
  overdueFlags: number;
  /** The newest backup known, or null. */
  lastBackupAt: Date | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

const instant = (seconds: unknown): Date | null =>
  seconds === null || seconds === undefined ? null : new Date(Number(seconds) * 1000);

export async function readOpsMetrics(
  db: Kysely<Database>,
  options: { now: Date; backupRoot?: string | null },
): Promise<OpsMetrics> {
  const since = new Date(options.now.getTime() - DAY_MS).toISOString();
  const today = currentDate(options.now);
  const { rows } = await sql<{
    batches: number;
    rejected: number;
    rows_rejected: number;
    uploads_failed: number;
    last_load: number | null;
    open_flags: number;
    overdue_flags: number;
    last_backup: number | null;
  }>`
    SELECT
      (SELECT count(*) FROM load_batches WHERE loaded_at >= ${since}::TIMESTAMPTZ)::INTEGER AS batches,
      (SELECT count(*) FROM load_batches
         WHERE loaded_at >= ${since}::TIMESTAMPTZ AND (units_rejected > 0 OR rows_rejected > 0))::INTEGER AS rejected,
      (SELECT coalesce(sum(rows_rejected), 0) FROM load_batches
         WHERE loaded_at >= ${since}::TIMESTAMPTZ)::INTEGER AS rows_rejected,
      (SELECT count(*) FROM audit_log
         WHERE action = 'upload' AND outcome = 'failed' AND occurred_at >= ${since}::TIMESTAMPTZ)::INTEGER AS uploads_failed,
      (SELECT epoch(max(loaded_at)) FROM load_batches
         WHERE status = 'loaded' AND units_loaded > 0)::DOUBLE AS last_load,
      (SELECT count(*) FROM flags f WHERE ${flagOpenSql('f')})::INTEGER AS open_flags,
      (SELECT count(*) FROM flags f WHERE ${flagOverdueSql(today, 'f')})::INTEGER AS overdue_flags,
      (SELECT epoch(max(occurred_at)) FROM audit_log
         WHERE action = 'backup' AND outcome = 'ok')::DOUBLE AS last_backup
  `.execute(db);
  const row = rows[0]!;
  const audited = instant(row.last_backup);
  const rotated = options.backupRoot
    ? ((await newestRotatedBackup(options.backupRoot).catch(() => null))?.createdAt ?? null)
    : null;
  const lastBackupAt =
    audited && rotated ? (audited > rotated ? audited : rotated) : (audited ?? rotated);
  return {
    loadBatches24h: Number(row.batches),
    loadBatchesRejected24h: Number(row.rejected),
    rowsRejected24h: Number(row.rows_rejected),
    uploadsFailed24h: Number(row.uploads_failed),
    lastLoadAt: instant(row.last_load),
    openFlags: Number(row.open_flags),
    overdueFlags: Number(row.overdue_flags),
    lastBackupAt,
  };
}
