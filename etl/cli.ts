/**
 * `npm run -s etl -- load <file-or-folder>... [--json] [--dry-run] [--user NAME]`
 * Exit status: 0 all accepted, 2 loaded with rejects, 1 nothing could be loaded.
 */
import { statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { openWarehouse, warehousePathFromEnv } from '../server/db/connect.ts';
import { describeLockedWarehouse } from '../server/db/lock-message.ts';
import { exitCode, loadPaths } from './index.ts';
import { createLogger } from './logger.ts';
import { renderSummary } from './render-summary.ts';

const USAGE = `用法 usage: npm run -s etl -- load <文件或文件夹 file-or-folder>... [--json] [--dry-run] [--user 姓名]`;
const LARGE_FILE = 8 * 1024 * 1024;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      user: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...paths] = positionals;
  if (values.help || command !== 'load' || paths.length === 0) {
    process.stderr.write(`${USAGE}\n`);
    return values.help ? 0 : 1;
  }
  const log = createLogger('etl');
  const user = values.user ?? userInfo().username;
  const dbPath = warehousePathFromEnv();
  let warehouse;
  try {
    warehouse = await openWarehouse(dbPath);
  } catch (error) {
    // A running server holds the file: say which one and how to load through it.
    const locked = describeLockedWarehouse(dbPath, error, 'etl');
    process.stderr.write(
      `${locked ?? `无法打开数据仓库 / cannot open the warehouse: ${String((error as Error).message)}`}\n`,
    );
    return 1;
  }
  const bar =
    !values.json && process.stderr.isTTY
      ? new cliProgress.SingleBar(
          {
            format: '载入 loading [{bar}] {value}/{total} {file}',
            hideCursor: true,
            clearOnComplete: true,
          },
          cliProgress.Presets.shades_classic,
        )
      : null;
  try {
    const started = Date.now();
    const summary = await loadPaths(warehouse, paths, {
      dryRun: values['dry-run'],
      user,
      onFile(path, index, total) {
        if (!bar) return;
        if (index === 0) bar.start(total, 0, { file: path });
        bar.update(index, { file: path });
        const size = statSync(path, { throwIfNoEntry: false })?.size ?? 0;
        if (size > LARGE_FILE)
          bar.update(index, { file: `${path} (${(size / 1048576).toFixed(0)} MB…)` });
      },
      onResult(r) {
        log.info(
          {
            file: r.path,
            kind: r.kind,
            unchanged: r.unchanged,
            rowsLoaded: r.rowsLoaded,
            rowsRejected: r.rowsRejected,
            unitsRejected: r.unitsRejected,
            error: r.error !== undefined,
          },
          'file processed',
        );
      },
    });
    bar?.stop();
    log.info(
      { files: summary.files.length, ms: Date.now() - started, dryRun: summary.dryRun },
      'load finished',
    );
    process.stdout.write(
      values.json ? `${JSON.stringify(summary)}\n` : `${renderSummary(summary)}\n`,
    );
    return exitCode(summary);
  } finally {
    bar?.stop();
    await warehouse.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`ETL 失败 / ETL failed: ${String((error as Error)?.message ?? error)}\n`);
    process.exitCode = 1;
  },
);
