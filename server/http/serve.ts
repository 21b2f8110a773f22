/**
 * Starts the whole server — warehouse, single writer, the Express app on a node:http
 * server — and shuts it down gracefully. `npm start`, `npm run demo` and the tests all
 * start it through here, so they run the same server.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authConfigFromEnv, type AuthConfig } from '../auth/auth-config.ts';
import { serverConfigFromEnv, type ServerConfig } from '../config.ts';
import { openWarehouse, type Warehouse } from '../db/connect.ts';
import { removeServerMarker, writeServerMarker } from '../db/lock-message.ts';
import { WarehouseWriter } from '../db/writer.ts';
import { createServerLogger, type Logger } from '../log.ts';
import type { DistrictPolicy } from '../policy/policy.ts';
import { readStoredPolicy } from '../policy/policy-store.ts';
import { startDeadlineSweep } from '../jobs/deadline-sweep.ts';
import { startOriginalsPrune } from '../jobs/originals-prune.ts';
import { startRemindersJob } from '../jobs/reminders.ts';
import { createApp, type AppDeps } from './app.ts';
import { startAdminSocket } from './admin-socket.ts';
import { auditInterruptedUploads } from './upload-audit.ts';

export interface StartServerOptions {
  /** Overrides of the environment's settings; `port: 0` picks a free port. */
  config?: Partial<ServerConfig>;
  env?: NodeJS.ProcessEnv;
  /** An open warehouse to serve (its path wins over `config.dbPath`). */
  warehouse?: Warehouse;
  /** The warehouse's writer, when the caller already opened one (only one may exist). */
  writer?: WarehouseWriter;
  auth?: AuthConfig;
  log?: Logger;
  /** Write `<dbPath>.server.json` so `etl` and `users` can name this server (default: file warehouses). */
  marker?: boolean;
  /**
   * The district policy metrics are judged by. Default: the warehouse's policy in force
   * (the newest policy_files row; the default file is stored first if there is none), the
   * same one the ETL raises flags by.
   */
  policy?: DistrictPolicy;
  /**
   * Sweep for missing reports at start, hourly and after each Shanghai midnight, so
   * MISSING_REPORT flags appear when a deadline passes (npm start and the demo: on).
   */
  deadlineSweep?: boolean;
  /** Tests only: see UploadsDeps.beforeCommit. */
  uploadBeforeCommit?: AppDeps['uploadBeforeCommit'];
}

export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:4000 (no trailing slash). */
  url: string;
  config: ServerConfig;
  warehouse: Warehouse;
  writer: WarehouseWriter;
  httpServer: Server;
  /** The policy in force the server judges metrics by. */
  policy: DistrictPolicy;
  /**
   * Stops accepting connections, lets in-flight requests finish, drains queued writes,
   * checkpoints and closes the warehouse (also one passed in: the server owns it once
   * started) and removes the marker. Idempotent.
   */
  close(): Promise<void>;
}

/** A URL a local client can use, also when the server binds every interface. */
export function localUrl(address: AddressInfo): string {
  const host =
    address.address === '0.0.0.0'
      ? '127.0.0.1'
      : address.address === '::'
        ? '[::1]'
        : address.family === 'IPv6'
          ? `[${address.address}]`
          : address.address;
  return `http://${host}:${address.port}`;
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** Runs every step in order whatever happens; returns the errors. */
async function settle(steps: ReadonlyArray<() => Promise<unknown>>): Promise<unknown[]> {
  const failures: unknown[] = [];
  for (const step of steps) await step().catch((error: unknown) => failures.push(error));
  return failures;
}

export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const env = options.env ?? process.env;
  const base = { ...serverConfigFromEnv(env), ...options.config };
  const config = options.warehouse ? { ...base, dbPath: options.warehouse.path } : base;
  // Settings are checked before the warehouse is touched: a typo must not hold the lock.
  const auth = options.auth ?? authConfigFromEnv(env, { https: config.https });
  const log = options.log ?? createServerLogger();
  const warehouse = options.warehouse ?? (await openWarehouse(config.dbPath));
  const owned: Array<() => Promise<void>> = options.warehouse ? [] : [() => warehouse.close()];
  try {
    const writer = options.writer ?? (await WarehouseWriter.open(warehouse));
    if (!options.writer) owned.unshift(() => writer.close());
    const authWriter = await WarehouseWriter.open(warehouse);
    owned.unshift(() => authWriter.close());
    await auditInterruptedUploads(warehouse, writer, log);
    const policy = options.policy ?? (await writer.write(({ db }) => readStoredPolicy(db))).policy;
    log.info(
      { district: policy.district, versions: policy.versions.map((v) => v.version) },
      'policy in force',
    );
    const httpServer = createServer({
      // Slow headers are cut like slow bodies (deadlines.ts); a whole request, upload
      // included, never takes longer than an upload may.
      headersTimeout: config.bodyTimeoutMs,
      requestTimeout: config.uploadTimeoutMs,
    });
    const { app, apollo } = await createApp({
      warehouse,
      writer,
      authWriter,
      ...(options.uploadBeforeCommit ? { uploadBeforeCommit: options.uploadBeforeCommit } : {}),
      config,
      auth,
      log,
      httpServer,
      policy,
    });
    owned.unshift(() => apollo.stop());
    httpServer.on('request', app);
    const url = localUrl(await listen(httpServer, config.port, config.host));
    const marker = options.marker ?? config.dbPath !== ':memory:';
    // Backups while the server holds the warehouse go through its local admin socket.
    const admin = marker ? await startAdminSocket({ warehouse, writer, log }) : null;
    if (admin) owned.unshift(() => admin.close());
    if (marker)
      writeServerMarker(config.dbPath, {
        pid: process.pid,
        url,
        startedAt: new Date().toISOString(),
        ...(admin ? { adminSocket: admin.path } : {}),
      });
    log.info({ url, db: config.dbPath, pid: process.pid }, 'server listening');
    const sweep = options.deadlineSweep ? startDeadlineSweep({ warehouse, writer, log }) : null;
    // With the other periodic job: npm start and the demo, not tests.
    const prune = options.deadlineSweep
      ? startOriginalsPrune({
          warehouse,
          writer,
          log,
          retentionDays: config.originalsRetentionDays,
        })
      : null;

    // Reminders and pushes: at start, every quarter hour and after each write.
    const reminders = options.deadlineSweep ? startRemindersJob({ warehouse, writer, log }) : null;

    let closing: Promise<void> | null = null;
    const shutdown = async (): Promise<void> => {
      // Apollo's drain plugin closes the listener, ends idle keep-alive connections and
      // waits for in-flight requests (uploads too: it tracks every request of httpServer).
      // Each later step runs even if an earlier one failed: the warehouse must checkpoint.
      sweep?.stop();
      prune?.stop();
      reminders?.stop();
      const failures = await settle([
        () => apollo.stop(),
        async () => {
          httpServer.closeIdleConnections();
          if (httpServer.listening) await new Promise((r) => httpServer.close(() => r(null)));
        },
        async () => admin?.close(),
        () => writer.close(), // queued writes (an upload's load, its audit) finish first
        () => authWriter.close(),
        () => warehouse.close(),
        async () => (marker ? removeServerMarker(config.dbPath) : undefined),
      ]);
      for (const error of failures) log.error({ err: error }, 'shutdown step failed');
      if (failures.length > 0) throw failures[0];
      log.info({ db: config.dbPath }, 'server stopped');
    };
    return {
      url,
      config,
      warehouse,
      writer,
      httpServer,
      policy,
      close: () => (closing ??= shutdown()),
    };
  } catch (error) {
    // Undo what this call opened; a warehouse passed in stays the caller's.
    for (const undo of owned) await undo().catch(() => undefined);
    throw error;
  }
}

export interface SignalOptions {
  /** Longest graceful shutdown before exit 1, ms. */
  timeoutMs?: number;
  /** process.exit, replaced in tests. */
  exit?: (code: number) => void;
}

/**
 * SIGTERM/SIGINT close `server` gracefully and exit 0; a second signal, a failed close or
 * `timeoutMs` without finishing exits 1 at once. Returns a function removing the handlers.
 */
export function closeOnSignals(
  server: Pick<RunningServer, 'close'>,
  log: Logger,
  { timeoutMs = 10_000, exit = (code: number) => process.exit(code) }: SignalOptions = {},
): () => void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting without finishing');
      return exit(1);
    }
    stopping = true;
    log.info({ signal, timeoutMs }, 'shutting down');
    const timer = setTimeout(() => {
      log.error({ timeoutMs }, 'shutdown timed out');
      exit(1);
    }, timeoutMs);
    server.close().then(
      () => {
        clearTimeout(timer);
        exit(0);
      },
      (error: unknown) => {
        clearTimeout(timer);
        log.error({ err: error }, 'shutdown failed');
        exit(1);
      },
    );
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  return () => {
    for (const signal of SIGNALS) process.off(signal, onSignal);
  };
}
