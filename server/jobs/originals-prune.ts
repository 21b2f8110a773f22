/**
 * The originals store (server/db/originals.ts) is pruned by the running server once a day,
 * in the single writer's turn so no upload keeps a file meanwhile: originals no current
 * figure comes from and no batch loaded within the retention period
 * (KEHOU_ORIGINALS_RETENTION_DAYS, server/config.ts) go. The first run waits a while after
 * start, so starting the server stays quick.
 */
import type { Warehouse } from '../db/connect.ts';
import { pruneOriginals, type PruneResult } from '../db/originals.ts';
import type { WarehouseWriter } from '../db/writer.ts';
import type { Logger } from '../log.ts';

export interface OriginalsPruneDeps {
  warehouse: Warehouse;
  writer: WarehouseWriter;
  log: Logger;
  retentionDays: number;
  now?: () => Date;
}

export interface OriginalsPrune {
  runOnce(): Promise<PruneResult>;
  stop(): void;
}

const DAY = 24 * 60 * 60 * 1000;
const FIRST_RUN_AFTER = 10 * 60 * 1000;

export function startOriginalsPrune(deps: OriginalsPruneDeps): OriginalsPrune {
  const now = deps.now ?? (() => new Date());
  let stopped = false;
  const runOnce = (): Promise<PruneResult> =>
    deps.writer.exclusive(async () => {
      const conn = await deps.warehouse.connect();
      try {
        const result = await pruneOriginals(deps.warehouse, conn, {
          retentionDays: deps.retentionDays,
          now: now(),
        });
        deps.log.info(
          {
            job: 'originals-prune',
            removed: result.removed.length,
            bytes: result.bytes,
            kept: result.kept,
          },
          'originals pruned',
        );
        return result;
      } finally {
        conn.closeSync();
      }
    });
  const safeRun = (): void => {
    if (stopped) return;
    runOnce().catch((error: unknown) => {
      deps.log.error({ job: 'originals-prune', err: error }, 'pruning the originals failed');
    });
  };
  const first = setTimeout(safeRun, FIRST_RUN_AFTER);
  first.unref();
  const every = setInterval(safeRun, DAY);
  every.unref();
  return {
    runOnce,
    stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(every);
    },
  };
}
