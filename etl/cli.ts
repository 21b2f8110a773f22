/**
 * `npm run -s etl -- load <file-or-folder>... [--json] [--dry-run] [--user NAME]`
 *   Exit status: 0 all accepted, 2 loaded with rejects, 1 nothing could be loaded.
 *   `--force` loads a file even when newer files replaced its units since it was loaded.
 * `npm run -s etl -- policy <file> [--json] [--dry-run] [--user NAME]`
 *   Validates a district policy file, stores it as the policy in force and re-judges every
 *   school-month (and the missing-report sweep) in one transaction. Exit 1 when invalid.
 * `npm run -s etl -- flags [--json] [--dry-run]`
 *   Re-judges everything with the policy in force, e.g. from cron after a report deadline.
 * `npm run -s etl -- map <乡镇.geojson> [--json] [--dry-run] [--user NAME]`
 *   Validates a district's township map against the registry and stores it as the map in
 *   force (the same file again changes nothing). Exit 1 when invalid.
 * `--now <ISO instant>` judges report deadlines by another clock (backfills, tests).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { openWarehouse, warehousePathFromEnv, type Warehouse } from '../server/db/connect.ts';
import { shortMessage } from '../server/db/engine-errors.ts';
import { osUser } from '../server/os-user.ts';
import { describeLockedWarehouse, type LockedCommand } from '../server/db/lock-message.ts';
import { parsePolicy, PolicyError } from '../server/policy/policy.ts';
import { readStoredPolicyOn, storePolicyFileOn } from '../server/policy/policy-store.ts';
import { judgeDoubts, noDoubtChanges } from './doubts/judge-doubts.ts';
import { exitCode, inTransaction, loadPaths, rejudgeAll } from './index.ts';
import { RejectSink } from './load/group-rejects.ts';
import { createLogger } from './logger.ts';
import { loadTownshipMap, renderMapLoad } from './map/load-township-map.ts';
import { LoadProgressDisplay, progressMode } from './progress-line.ts';
import { renderRejudge, renderSummary, type RejudgeReport } from './render-summary.ts';

const USAGE = [
  `用法 usage: npm run -s etl -- load <文件或文件夹 file-or-folder>... [--json] [--dry-run] [--user 姓名] [--rejects 拒绝明细.csv|.xlsx] [--force]`,
  `            npm run -s etl -- policy <政策文件 policy-file> [--json] [--dry-run] [--user 姓名]`,
  `            npm run -s etl -- flags [--json] [--dry-run]`,
  `            npm run -s etl -- map <乡镇地图 township-map.geojson> [--json] [--dry-run] [--user 姓名]`,
].join('\n');

interface Values {
  json: boolean;
  'dry-run': boolean;
  user?: string;
  now?: string;
  rejects?: string;
  force: boolean;
}

const log = createLogger('etl');

/** Set once the JSON document is out: a failure after it (closing the warehouse) adds none. */
let jsonWritten = false;

/** With --json, stdout is exactly one JSON document whatever happens. */
function printJson(document: object): void {
  if (jsonWritten) return;
  jsonWritten = true;
  process.stdout.write(`${JSON.stringify(document)}\n`);
}

/** Why the warehouse could not be opened, for a person and for a program. */
interface NotOpened {
  error: string;
  errorCode: 'WAREHOUSE_LOCKED' | 'WAREHOUSE_ERROR';
}

/**
 * Opens the warehouse or explains (on stderr) why not, naming a server that holds it.
 * With --json the explanation is also the one JSON document on stdout (`emptyJson`
 * completed with `error` and `errorCode`), so a program always gets a document.
 */
async function open(
  command: LockedCommand,
  values: Values,
  emptyJson: object,
): Promise<Warehouse | null> {
  const dbPath = warehousePathFromEnv();
  try {
    return await openWarehouse(dbPath);
  } catch (error) {
    const locked = describeLockedWarehouse(dbPath, error, command);
    const why: NotOpened = locked
      ? { error: locked, errorCode: 'WAREHOUSE_LOCKED' }
      : {
          error: `无法打开数据仓库 / cannot open the warehouse: ${shortMessage(error)}`,
          errorCode: 'WAREHOUSE_ERROR',
        };
    process.stderr.write(`${why.error}\n`);
    if (values.json) printJson({ ...emptyJson, ...why });
    return null;
  }
}

function clock(values: Values): Date {
  if (values.now === undefined) return new Date();
  const now = new Date(values.now);
  if (Number.isNaN(now.getTime()))
    throw new Error(`--now 应为 ISO 时间 / --now must be an ISO instant: ${values.now}`);
  return now;
}

async function load(paths: string[], values: Values): Promise<number> {
  const user = values.user ?? osUser();
  const warehouse = await open('etl', values, { dryRun: values['dry-run'], files: [] });
  if (!warehouse) return 1;
  // Files done / total, rows, elapsed and phase on stderr for a load over a second.
  const progress = new LoadProgressDisplay({
    output: process.stderr,
    mode: progressMode(process.stderr, { json: values.json }),
  });
  // Every reject as CSV: DuckDB writes each group's into the warehouse's work folder.
  const sinkDir = values.rejects ? await mkdtemp(join(warehouse.tempDir, 'rejects-')) : null;
  const sink = sinkDir ? new RejectSink(sinkDir) : null;
  try {
    const started = Date.now();
    const summary = await loadPaths(warehouse, paths, {
      dryRun: values['dry-run'],
      force: values.force,
      user,
      now: clock(values),
      ...(sink ? { rejectSink: sink } : {}),
      onProgress: progress.onProgress,
      onResult(r) {
        progress.interrupt(() =>
          log.info(
            {
              file: r.path,
              kind: r.kind,
              unchanged: r.unchanged,
              rowsLoaded: r.rowsLoaded,
              rowsRejected: r.rowsRejected,
              unitsRejected: r.unitsRejected,
              flags: r.flags,
              error: r.error !== undefined,
            },
            'file processed',
          ),
        );
      },
    });
    progress.finish();
    log.info(
      {
        files: summary.files.length,
        ms: Date.now() - started,
        dryRun: summary.dryRun,
        missingReports: summary.missingReports,
      },
      'load finished',
    );
    if (sink && values.rejects) {
      // By the file's extension: .xlsx is a workbook, anything else CSV.
      if (/\.xlsx$/iu.test(values.rejects)) {
        const conn = await warehouse.connect();
        try {
          await sink.saveXlsxTo(values.rejects, conn);
        } finally {
          conn.closeSync();
        }
      } else await sink.saveTo(values.rejects);
      progress.interrupt(() =>
        process.stderr.write(`拒绝明细已写入 rejects written to ${values.rejects}\n`),
      );
    }
    if (values.json) printJson(summary);
    else process.stdout.write(`${renderSummary(summary)}\n`);
    return exitCode(summary);
  } finally {
    if (sinkDir) await rm(sinkDir, { recursive: true, force: true });
    progress.finish();
    await warehouse.close();
  }
}

/** Prints an invalid policy's issues (each with its path) in the output format asked for. */
function invalidPolicy(file: string, issues: readonly string[], values: Values): number {
  if (values.json) {
    printJson({ ok: false, file, errors: issues });
  } else {
    process.stderr.write(
      `政策文件无效，未存入 / the policy file is invalid and was not stored: ${file}\n${issues.map((i) => `  ✗ ${i}`).join('\n')}\n`,
    );
  }
  return 1;
}

async function policy(file: string, values: Values): Promise<number> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return invalidPolicy(file, [`无法读取 / cannot read: ${(error as Error).message}`], values);
  }
  const fileName = basename(file);
  try {
    parsePolicy(text, fileName); // validated before the warehouse is locked
  } catch (error) {
    if (error instanceof PolicyError) return invalidPolicy(file, error.issues, values);
    throw error;
  }
  return rejudge(
    values,
    `按政策文件 ${fileName} 重新判定`,
    'policy stored and flags re-judged',
    async (conn) => {
      const { stored, current } = await storePolicyFileOn(conn, {
        text,
        fileName,
        loadedBy: values.user ?? osUser(),
      });
      return { policy: current.policy, fileName, stored };
    },
  );
}

/** Re-judges every school-month in one transaction (rolled back on --dry-run) and prints what changed. */
async function rejudge(
  values: Values,
  reason: string,
  message: string,
  prepare: (
    conn: DuckDBConnection,
  ) => Promise<{ policy: ReturnType<typeof parsePolicy>; fileName: string; stored: boolean }>,
): Promise<number> {
  const warehouse = await open('users', values, { ok: false });
  if (!warehouse) return 1;
  const conn = await warehouse.connect();
  try {
    const now = clock(values);
    let doubts = noDoubtChanges();
    const report = await inTransaction(
      conn,
      values['dry-run'],
      async (): Promise<RejudgeReport> => {
        const { policy, fileName, stored } = await prepare(conn);
        const result = await rejudgeAll(conn, { policy, now, reason });
        // The data doubts' thresholds are policy too: every month is judged again.
        doubts = await judgeDoubts(conn, { policy, fromMonth: null, batchId: null, reason });
        return { dryRun: values['dry-run'], policy: describe(policy, fileName), stored, ...result };
      },
    );
    log.info({ stored: report.stored, flags: report.total, doubts }, message);
    if (values.json) printJson(report);
    else process.stdout.write(`${renderRejudge(report)}\n`);
    return 0;
  } finally {
    conn.closeSync();
    await warehouse.close();
  }
}

async function flags(values: Values): Promise<number> {
  return rejudge(values, '按现行政策重新判定', 'flags re-judged', async (conn) => {
    const current = await readStoredPolicyOn(conn);
    return { policy: current.policy, fileName: current.fileName, stored: false };
  });
}

async function map(file: string, values: Values): Promise<number> {
  const warehouse = await open('etl', values, { ok: false, file });
  if (!warehouse) return 1;
  try {
    const result = await loadTownshipMap(warehouse, file, {
      loadedBy: values.user ?? osUser(),
      dryRun: values['dry-run'],
    });
    log.info(
      result.ok
        ? {
            file: basename(file),
            stored: result.stored,
            features: result.features,
            missing: result.missing.length,
          }
        : { file: basename(file), errors: result.errors.length },
      result.ok ? 'township map loaded' : 'township map rejected',
    );
    if (values.json) printJson(result);
    else if (result.ok) process.stdout.write(`${renderMapLoad(result)}\n`);
    else process.stderr.write(`${renderMapLoad(result)}\n`);
    return result.ok ? 0 : 1;
  } finally {
    await warehouse.close();
  }
}

function describe(p: ReturnType<typeof parsePolicy>, file: string): RejudgeReport['policy'] {
  return {
    file,
    district: p.district,
    sha256: p.sha256,
    versions: p.versions.map((v) => ({
      version: v.version,
      effectiveFrom: v.effective_from,
      source: v.source,
    })),
  };
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      user: { type: 'string' },
      now: { type: 'string' },
      rejects: { type: 'string' },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...rest] = positionals;
  const usage = (code: number): number => {
    process.stderr.write(`${USAGE}\n`);
    return code;
  };
  if (values.help) return usage(0);
  if (command === 'load' && rest.length > 0) return load(rest, values);
  if (command === 'policy' && rest.length === 1 && rest[0]) return policy(rest[0], values);
  if (command === 'flags' && rest.length === 0) return flags(values);
  if (command === 'map' && rest.length === 1 && rest[0]) return map(rest[0], values);
  return usage(1);
}

const argv = process.argv.slice(2);
main(argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = `ETL 失败 / ETL failed: ${shortMessage(error)}`;
    process.stderr.write(`${message}\n`);
    if (argv.includes('--json')) printJson({ ok: false, error: message, errorCode: 'ETL_FAILED' });
    process.exitCode = 1;
  },
);
