/**
 * MISSING_REPORT flags appear when a month's report deadline passes, not only when the
 * next file is loaded: a running server sweeps at start and then every hour (and just
 * after each midnight in Asia/Shanghai, when deadlines fall). The sweep runs through the
 * single writer's exclusive slot on its own connection and transaction, like an upload.
 * The same sweep judges the semester filings (学期备案) of this semester and the last one,
 * whose deadlines fall by the day and whose filings arrive through the API.
 */
import { currentMonth, nextShanghaiMidnight, periodOf, previousPeriod } from '../db/calendar.ts';
import type { Warehouse } from '../db/connect.ts';
import type { WarehouseWriter } from '../db/writer.ts';
import type { Logger } from '../log.ts';
import { readStoredPolicyOn } from '../policy/policy-store.ts';
import { inTransaction, judgeFilingSemester, sweepMissingReports } from '../../etl/index.ts';

export interface DeadlineSweepDeps {
  warehouse: Warehouse;
  writer: WarehouseWriter;
  log: Logger;
  now?: () => Date;
  /** Between sweeps; default one hour. */
  intervalMs?: number;
}

export interface DeadlineSweep {
  /** Runs one sweep now (queued behind other writes); resolves with the flags raised. */
  runOnce(): Promise<number>;
  stop(): void;
}

const HOUR = 60 * 60 * 1000;

/** Milliseconds until just after the next midnight in Asia/Shanghai (UTC+8, no DST). */
export function msToNextShanghaiMidnight(now: Date): number {
  return nextShanghaiMidnight(now) - now.getTime() + 1000;
}

export function startDeadlineSweep(deps: DeadlineSweepDeps): DeadlineSweep {
  const now = deps.now ?? (() => new Date());
  let stopped = false;
  let midnight: NodeJS.Timeout | undefined;

  const runOnce = (): Promise<number> =>
    deps.writer.exclusive(async () => {
      const conn = await deps.warehouse.connect();
      try {
        const { policy } = await readStoredPolicyOn(conn, { storeDefault: true });
        const result = await inTransaction(conn, false, () =>
          sweepMissingReports(conn, { policy, now: now() }),
        );
        deps.log.info({ job: 'deadline-sweep', ...result.total }, 'missing-report sweep');
        const at = now();
        const current = periodOf(currentMonth(at), 'SEMESTER');
        let raised = result.total.raised;
        for (const semester of [previousPeriod(current), current]) {
          const filings = await inTransaction(conn, false, () =>
            judgeFilingSemester(conn, policy, semester.key, at),
          );
          if (filings === null) continue;
          deps.log.info(
            { job: 'deadline-sweep', semester: semester.key, ...filings.total },
            'semester filings sweep',
          );
          raised += filings.total.raised;
        }
        return raised;
      } finally {
        conn.closeSync();
      }
    });

  const safeRun = (): void => {
    if (stopped) return;
    runOnce().catch((error: unknown) => {
      deps.log.error({ job: 'deadline-sweep', err: error }, 'missing-report sweep failed');
    });
  };

  const scheduleMidnight = (): void => {
    midnight = setTimeout(() => {
      safeRun();
      if (!stopped) scheduleMidnight();
    }, msToNextShanghaiMidnight(now()));
    midnight.unref();
  };

  safeRun();
  const every = setInterval(safeRun, deps.intervalMs ?? HOUR);
  every.unref();
  scheduleMidnight();

  return {
    runOnce,
    stop() {
      stopped = true;
      clearInterval(every);
      clearTimeout(midnight);
    },
  };
}
