/**
 * The reminders job: fireReminders and the push queue run at start, every
 * REMINDER_INTERVAL_MS (deadlines fall due by the clock alone), and shortly after any
 * write of the data writer (a load judging flags, a visit, a complaint step, a flag step:
 * the writer's onCommit), coalesced so a burst of writes causes one run. Judging and
 * queueing run in one quiet write (quiet: our own commit does not announce itself again);
 * messages are sent outside the writer, so a slow webhook never holds other writes up,
 * and their outcomes are recorded in a second quiet write.
 */
import type { Warehouse } from '../db/connect.ts';
import { kyselyOn } from '../db/connect.ts';
import type { WarehouseWriter } from '../db/writer.ts';
import type { Logger } from '../log.ts';
import { readStoredPolicy } from '../policy/policy-store.ts';
import { fireReminders } from '../reminders/fire-reminders.ts';
import {
  defaultTransport,
  pendingDeliveries,
  queueDeliveries,
  recordOutcomes,
  sendDeliveries,
  type PushTransport,
} from '../reminders/push.ts';

export const REMINDER_INTERVAL_MS = 15 * 60 * 1000;
/** After a write, wait this long for more before judging (a burst gives one run). */
export const AFTER_WRITE_DELAY_MS = 2000;

export interface RemindersJobDeps {
  warehouse: Warehouse;
  writer: WarehouseWriter;
  log: Logger;
  now?: () => Date;
  transport?: PushTransport;
  intervalMs?: number;
  afterWriteDelayMs?: number;
}

export interface RunSummary {
  fired: number;
  queued: number;
  sent: number;
  failed: number;
}

export interface RemindersJob {
  /** One run now (behind queued writes). */
  runOnce(): Promise<RunSummary>;
  stop(): void;
}

/** One run: judge and queue, send a bounded batch, record the outcomes. */
export async function runReminders(
  deps: Pick<RemindersJobDeps, 'warehouse' | 'writer'> & {
    now: () => Date;
    transport: PushTransport;
  },
): Promise<RunSummary> {
  const { fired, queued } = await deps.writer.write(
    async ({ db }) => {
      const { policy } = await readStoredPolicy(db);
      const result = await fireReminders(db, policy, deps.now());
      const queuedCount = await queueDeliveries(
        db,
        result.fired.map((f) => f.notification_id),
      );
      return { fired: result.fired.length, queued: queuedCount };
    },
    { quiet: true },
  );
  const conn = await deps.warehouse.connect();
  let pending;
  try {
    pending = await pendingDeliveries(kyselyOn(conn));
  } finally {
    conn.closeSync();
  }
  if (pending.length === 0) return { fired, queued, sent: 0, failed: 0 };
  const outcomes = await sendDeliveries(deps.transport, pending, deps.now);
  await deps.writer.write(({ db }) => recordOutcomes(db, outcomes, deps.now()), { quiet: true });
  const failed = outcomes.filter((o) => o.error !== null).length;
  return { fired, queued, sent: outcomes.length - failed, failed };
}

export function startRemindersJob(deps: RemindersJobDeps): RemindersJob {
  const now = deps.now ?? (() => new Date());
  const transport = deps.transport ?? defaultTransport();
  let stopped = false;
  let soon: NodeJS.Timeout | undefined;
  let running: Promise<RunSummary> | null = null;
  let again = false;

  const runOnce = (): Promise<RunSummary> =>
    runReminders({ warehouse: deps.warehouse, writer: deps.writer, now, transport });

  const safeRun = (): void => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = runOnce();
    running
      .then((summary) => {
        if (summary.fired + summary.sent + summary.failed > 0)
          deps.log.info({ job: 'reminders', ...summary }, 'reminders');
      })
      .catch((error: unknown) => {
        deps.log.error({ job: 'reminders', err: error }, 'reminders run failed');
      })
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          safeRun();
        }
      });
  };

  const unsubscribe = deps.writer.onCommit(() => {
    if (stopped || soon) return;
    soon = setTimeout(() => {
      soon = undefined;
      safeRun();
    }, deps.afterWriteDelayMs ?? AFTER_WRITE_DELAY_MS);
    soon.unref();
  });

  safeRun();
  const every = setInterval(safeRun, deps.intervalMs ?? REMINDER_INTERVAL_MS);
  every.unref();

  return {
    runOnce,
    stop() {
      stopped = true;
      unsubscribe();
      clearInterval(every);
      clearTimeout(soon);
    },
  };
}
