/**
 * `npm run -s warehouse -- backup <dir> [--json]`
 *   Writes a consistent copy of the warehouse (KEHOU_DB) and its manifest into <dir> (a
 *   new or empty folder): through the running server's admin socket when a server holds
 *   the warehouse, directly otherwise.
 * `npm run -s warehouse -- restore <dir> [--json]`
 *   Checks the backup in <dir> against its manifest and makes it the warehouse; only while
 *   no server runs. The warehouse replaced is kept beside it (`….before-restore-<time>`).
 * `npm run -s warehouse -- prune-originals [--json]`
 *   Removes kept originals (originals.ts) no current figure comes from and no batch loaded
 *   in the last KEHOU_ORIGINALS_RETENTION_DAYS days (default 365); only while no server
 *   runs (the server prunes by itself daily).
 * `npm run -s warehouse -- backup-rotate <root> [--keep-daily 7 --keep-weekly 4 --keep-monthly 12] [--json]`
 *   A scheduled backup: a new dated folder under <root> by the same path as `backup`, then
 *   the old folders it made that the retention rule lets go are removed (backup-rotate.ts).
 * `npm run -s warehouse -- channel add|list|disable|enable|test …`
 *   The district's push channels for reminders (server/reminders/channel-cli.ts).
 * `npm run -s warehouse -- export <dir> [--json]`
 *   The national export: Parquet in a hive layout with a manifest (server/db/export/).
 * `npm run -s warehouse -- national <dir>... --out <dir> [--only …] [--json]`
 *   The portable aggregates run with DuckDB over exports, each written as CSV.
 * Exit status 0 done, 1 not done (the reason on stderr, and in the JSON with --json).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { osUser } from '../os-user.ts';
import { requestBackup } from '../http/admin-socket.ts';
import { backupWarehouse, BackupError, restoreWarehouse, type BackupManifest } from './backup.ts';
import { openWarehouse, warehousePathFromEnv } from './connect.ts';
import { shortMessage } from './engine-errors.ts';
import { describeLockedWarehouse, readServerMarker } from './lock-message.ts';
import { originalsRetentionDaysFromEnv, pruneOriginals, type PruneResult } from './originals.ts';
import { CHANNEL_USAGE, ChannelCliError, runChannelCommand } from '../reminders/channel-cli.ts';
import {
  describeRotation,
  ROTATE_USAGE,
  RotateUsageError,
  runBackupRotate,
} from './backup-rotate-cli.ts';
import { EXPORT_USAGE, runExportCommand } from './export/export-cli.ts';
import { NATIONAL_USAGE, runNationalCommand } from './export/national-cli.ts';

const USAGE = `用法 usage:
  npm run -s warehouse -- backup <备份目录 folder> [--json]
  npm run -s warehouse -- restore <备份目录 folder> [--json]
  npm run -s warehouse -- prune-originals [--json]
${ROTATE_USAGE}
${CHANNEL_USAGE}
${EXPORT_USAGE}
${NATIONAL_USAGE}`;

class CliError extends Error {}

const FAILED = {
  backup: '备份失败 / the backup failed',
  restore: '恢复失败 / the restore failed',
  'prune-originals': '清理原件失败 / pruning the originals failed',
};

const LOCKED = /Could not set lock on file|Conflicting lock is held/u;

function describeManifest(m: BackupManifest): string {
  const rows = Object.values(m.tables).reduce((a, b) => a + b, 0);
  return `${m.createdAt}，${(m.bytes / 1048576).toFixed(1)} MB，${rows.toLocaleString('en-US')} 行 rows，sha256 ${m.sha256.slice(0, 16)}…`;
}

async function backup(dbPath: string, target: string): Promise<BackupManifest> {
  let warehouse;
  try {
    warehouse = await openWarehouse(dbPath);
  } catch (error) {
    if (!LOCKED.test((error as Error).message)) throw error;
    // A server holds the file: it makes the copy between its writes.
    const socket = readServerMarker(dbPath)?.adminSocket;
    if (!socket)
      throw new CliError(describeLockedWarehouse(dbPath, error, 'users') ?? String(error));
    const answer = await requestBackup(socket, { target, user: osUser() });
    if (answer.status !== 200 || !answer.body.manifest)
      throw new CliError(answer.body.error ?? `备份失败 / the backup failed (${answer.status})`);
    return answer.body.manifest;
  }
  try {
    return await backupWarehouse(warehouse, target);
  } finally {
    await warehouse.close();
  }
}

async function restore(dbPath: string, source: string) {
  try {
    return await restoreWarehouse(source, dbPath);
  } catch (error) {
    const locked = describeLockedWarehouse(dbPath, error, 'users');
    if (locked) throw new CliError(locked);
    throw error;
  }
}

async function prune(dbPath: string): Promise<PruneResult & { retentionDays: number }> {
  const retentionDays = originalsRetentionDaysFromEnv();
  let warehouse;
  try {
    warehouse = await openWarehouse(dbPath);
  } catch (error) {
    const locked = describeLockedWarehouse(dbPath, error, 'users');
    if (locked) throw new CliError(locked);
    throw error;
  }
  try {
    const conn = await warehouse.connect();
    try {
      return { ...(await pruneOriginals(warehouse, conn, { retentionDays })), retentionDays };
    } finally {
      conn.closeSync();
    }
  } finally {
    await warehouse.close();
  }
}

async function channel(argv: string[]): Promise<number> {
  try {
    await runChannelCommand(argv, {
      env: process.env,
      stdin: process.stdin,
      out: (text) => process.stdout.write(text),
    });
    return 0;
  } catch (error) {
    process.stderr.write(
      `${error instanceof ChannelCliError ? error.message : `推送渠道操作失败 / the channel command failed: ${shortMessage(error)}`}\n`,
    );
    return 1;
  }
}

async function backupRotate(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  try {
    const dbPath = warehousePathFromEnv();
    const { result } = await runBackupRotate(argv, (target) => backup(dbPath, target));
    process.stdout.write(
      json ? `${JSON.stringify({ ok: true, ...result })}\n` : describeRotation(result),
    );
    return 0;
  } catch (error) {
    const usage = error instanceof RotateUsageError;
    const message =
      usage || error instanceof CliError || error instanceof BackupError
        ? (error as Error).message
        : `${FAILED.backup}: ${shortMessage(error)}`;
    process.stderr.write(usage ? `${message}\n${USAGE}\n` : `${message}\n`);
    if (json) process.stdout.write(`${JSON.stringify({ ok: false, error: message })}\n`);
    return 1;
  }
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'channel') return channel(argv.slice(1));
  if (argv[0] === 'backup-rotate') return backupRotate(argv.slice(1));
  const io = {
    out: (text: string) => process.stdout.write(text),
    err: (text: string) => process.stderr.write(text),
  };
  if (argv[0] === 'export') return runExportCommand(argv.slice(1), io);
  if (argv[0] === 'national') return runNationalCommand(argv.slice(1), io);
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  });
  const [command, folder, ...extra] = positionals;
  const pruning = command === 'prune-originals' && folder === undefined;
  if (
    !pruning &&
    (!folder || extra.length > 0 || (command !== 'backup' && command !== 'restore'))
  ) {
    process.stderr.write(`${USAGE}\n`);
    return 1;
  }
  const dbPath = warehousePathFromEnv();
  const dir = resolve(folder ?? '.');
  try {
    if (pruning) {
      const result = await prune(dbPath);
      if (values.json) process.stdout.write(`${JSON.stringify({ ok: true, ...result })}\n`);
      else
        process.stdout.write(
          `已清理 ${result.removed.length} 个原件（${(result.bytes / 1048576).toFixed(1)} MB），保留 ${result.kept} 个 / removed ${result.removed.length} originals older than ${result.retentionDays} days that no current figure comes from, kept ${result.kept}\n`,
        );
    } else if (command === 'backup') {
      const manifest = await backup(dbPath, dir);
      if (values.json) process.stdout.write(`${JSON.stringify({ ok: true, dir, manifest })}\n`);
      else process.stdout.write(`已备份到 backed up to ${dir}（${describeManifest(manifest)}）\n`);
    } else {
      const { manifest, previous } = await restore(dbPath, dir);
      if (values.json)
        process.stdout.write(`${JSON.stringify({ ok: true, dir, manifest, previous })}\n`);
      else
        process.stdout.write(
          `已从 ${dir} 恢复数据仓库 ${dbPath}（${describeManifest(manifest)}）/ the warehouse was restored from the backup.${previous ? `\n原数据仓库已保留为 the replaced warehouse is kept as ${previous}` : ''}\n`,
        );
    }
    return 0;
  } catch (error) {
    const message =
      error instanceof CliError || error instanceof BackupError
        ? error.message
        : `${FAILED[command as keyof typeof FAILED]}: ${shortMessage(error)}`;
    process.stderr.write(`${message}\n`);
    if (values.json) process.stdout.write(`${JSON.stringify({ ok: false, error: message })}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
