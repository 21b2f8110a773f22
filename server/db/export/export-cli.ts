/**
 * `npm run -s warehouse -- export <dir> [--json]` (dispatched by warehouse-cli.ts): the
 * national export of the warehouse (KEHOU_DB) into <dir>, a new or empty folder.
 *
 * Only while no server holds the warehouse: DuckDB lets one process open the file, and an
 * export of ~24 M rows should not run inside the server's data writer's turn. While a
 * server runs the command says so and names the way round: a backup (which the server
 * makes through its admin socket) exported in its place.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openWarehouse, warehousePathFromEnv } from '../connect.ts';
import { shortMessage } from '../engine-errors.ts';
import { describeLockedWarehouse } from '../lock-message.ts';
import { ExportError, exportWarehouse } from './export.ts';
import type { ExportManifest } from './export-manifest.ts';

export const EXPORT_USAGE = `  npm run -s warehouse -- export <导出目录 folder> [--json]`;

function fromBackup(dir: string): string {
  return [
    `服务器运行期间可先备份，再从备份导出 / while the server runs, export from a backup instead:`,
    `  npm run -s warehouse -- backup /tmp/kehou-backup`,
    `  KEHOU_DB=/tmp/kehou-backup/kehou.duckdb npm run -s warehouse -- export ${dir}`,
  ].join('\n');
}

function describe(manifest: ExportManifest, dir: string): string {
  const tables = Object.values(manifest.tables);
  const files = tables.reduce((n, t) => n + t.files.length, 0);
  const rows = tables.reduce((n, t) => n + t.rows, 0);
  const bytes = tables.reduce((n, t) => n + t.files.reduce((b, f) => b + f.bytes, 0), 0);
  return `已导出 ${manifest.district.name}（${manifest.district.code}）到 ${dir}：${tables.length} 张表，${files} 个 Parquet 文件，${rows.toLocaleString('en-US')} 行，${(bytes / 1048576).toFixed(1)} MB / exported ${tables.length} tables, ${files} Parquet files, ${rows.toLocaleString('en-US')} rows (manifest.json)`;
}

/** Runs the command; returns the exit status (0 done, 1 not done). */
export async function runExportCommand(
  argv: string[],
  io: { out: (text: string) => void; err: (text: string) => void },
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  });
  if (positionals.length !== 1) {
    io.err(`用法 usage:\n${EXPORT_USAGE}\n`);
    return 1;
  }
  const dir = resolve(positionals[0] as string);
  const dbPath = warehousePathFromEnv(env);
  try {
    let warehouse;
    try {
      warehouse = await openWarehouse(dbPath);
    } catch (error) {
      const locked = describeLockedWarehouse(dbPath, error, 'users');
      if (locked) throw new ExportError(`${locked}\n${fromBackup(dir)}`);
      throw error;
    }
    let manifest: ExportManifest;
    try {
      manifest = await exportWarehouse(warehouse, dir);
    } finally {
      await warehouse.close();
    }
    if (values.json) io.out(`${JSON.stringify({ ok: true, dir, manifest })}\n`);
    else io.out(`${describe(manifest, dir)}\n`);
    return 0;
  } catch (error) {
    const message =
      error instanceof ExportError
        ? error.message
        : `导出失败 / the export failed: ${shortMessage(error)}`;
    io.err(`${message}\n`);
    if (values.json) io.out(`${JSON.stringify({ ok: false, error: message })}\n`);
    return 1;
  }
}
