/**
 * `GET /metrics`: the operators' monitor's view of the server in the Prometheus text format
 * (`?format=json` for monitors that read JSON). Counts and instants only (ops-metrics.ts).
 *
 * Who may read it: with KEHOU_METRICS_TOKEN set, whoever sends `Authorization: Bearer
 * <token>` (compared in constant time), from anywhere; without it, only a request made on
 * this machine straight to the server. A reverse proxy on the same machine also connects
 * from 127.0.0.1, so a request carrying a proxy's forwarding header is not taken for a
 * local one, whatever KEHOU_TRUST_PROXY says.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Router, type Request } from 'express';
import type { Warehouse } from '../db/connect.ts';
import { readOpsMetrics, type OpsMetrics } from '../db/ops-metrics.ts';
import { shortMessage } from '../db/engine-errors.ts';
import { FLAG_STATUS_VOCABULARY } from '../db/flag-statuses.ts';
import type { Logger } from '../log.ts';

export interface MetricsDeps {
  warehouse: Warehouse;
  log: Logger;
  token: string | null;
  backupRoot: string | null;
  now?: () => Date;
}

const LOOPBACK = /^(?:127\.|::1$|::ffff:127\.)/u;
const FORWARDED = ['x-forwarded-for', 'forwarded', 'x-real-ip'] as const;

const OPEN_LABELS = FLAG_STATUS_VOCABULARY.filter((s) => s.open)
  .map((s) => s.label)
  .join(', ');

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** Equal-length digests, so neither the length nor the first differing byte shows in timing. */
function tokenMatches(header: string | undefined, token: string): boolean {
  const sent = /^Bearer (.+)$/u.exec(header ?? '')?.[1] ?? '';
  return timingSafeEqual(digest(sent), digest(token));
}

function localAndDirect(req: Request): boolean {
  return (
    LOOPBACK.test(req.socket.remoteAddress ?? '') &&
    FORWARDED.every((name) => req.headers[name] === undefined)
  );
}

interface Sample {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  value: number | null;
}

function samples(
  health: { ok: boolean; generation: number },
  metrics: OpsMetrics | null,
  now: Date,
): Sample[] {
  const seconds = (d: Date | null | undefined): number | null =>
    d ? Math.round(d.getTime() / 1000) : null;
  const age = (d: Date | null | undefined): number | null =>
    d ? Math.max(0, Math.round((now.getTime() - d.getTime()) / 1000)) : null;
  const m = metrics;
  return [
    {
      name: 'kehou_warehouse_up',
      help: '1 when a statement runs on the warehouse',
      type: 'gauge',
      value: health.ok ? 1 : 0,
    },
    {
      name: 'kehou_warehouse_generation',
      help: 'DuckDB instances opened since start (1 until a re-open)',
      type: 'gauge',
      value: health.generation,
    },
    {
      name: 'kehou_warehouse_reopens_total',
      help: 'Re-opens after an engine error since start',
      type: 'counter',
      value: health.generation - 1,
    },
    {
      name: 'kehou_load_batches_24h',
      help: 'Load batches recorded in the last 24 hours',
      type: 'gauge',
      value: m?.loadBatches24h ?? null,
    },
    {
      name: 'kehou_load_batches_rejected_24h',
      help: 'Load batches of the last 24 hours with refused school-months or rows',
      type: 'gauge',
      value: m?.loadBatchesRejected24h ?? null,
    },
    {
      name: 'kehou_load_rows_rejected_24h',
      help: 'Rows refused by loads in the last 24 hours',
      type: 'gauge',
      value: m?.rowsRejected24h ?? null,
    },
    {
      name: 'kehou_uploads_failed_24h',
      help: 'Uploads that failed in the last 24 hours',
      type: 'gauge',
      value: m?.uploadsFailed24h ?? null,
    },
    {
      name: 'kehou_last_load_timestamp_seconds',
      help: 'Unix time of the newest load that put data in',
      type: 'gauge',
      value: seconds(m?.lastLoadAt),
    },
    {
      name: 'kehou_flags_open',
      help: `Flags still open (${OPEN_LABELS})`,
      type: 'gauge',
      value: m?.openFlags ?? null,
    },
    {
      name: 'kehou_flags_overdue',
      help: 'Flags past their rectification deadline',
      type: 'gauge',
      value: m?.overdueFlags ?? null,
    },
    {
      name: 'kehou_last_backup_timestamp_seconds',
      help: 'Unix time of the newest backup known',
      type: 'gauge',
      value: seconds(m?.lastBackupAt),
    },
    {
      name: 'kehou_last_backup_age_seconds',
      help: 'Seconds since the newest backup known',
      type: 'gauge',
      value: age(m?.lastBackupAt),
    },
  ];
}

/** Every metric the endpoint can give (the README's table lists the same). */
export function metricNames(): string[] {
  return samples({ ok: true, generation: 1 }, null, new Date()).map((s) => s.name);
}

/** The Prometheus text exposition format 0.0.4; a value not known is left out (alert on absent()). */
export function prometheusText(list: readonly Sample[]): string {
  return list
    .filter((s) => s.value !== null)
    .map((s) => `# HELP ${s.name} ${s.help}\n# TYPE ${s.name} ${s.type}\n${s.name} ${s.value}\n`)
    .join('');
}

export function metricsRouter(deps: MetricsDeps): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    if (deps.token !== null) {
      if (!tokenMatches(req.get('authorization'), deps.token)) {
        res.set('WWW-Authenticate', 'Bearer realm="kehou-metrics"');
        res.status(401).json({
          error: { code: 'UNAUTHENTICATED', message: '需要监控令牌 / A metrics token is required' },
        });
        return;
      }
    } else if (!localAndDirect(req)) {
      res.status(403).json({
        error: {
          code: 'FORBIDDEN',
          message:
            '监控指标仅限本机直接访问，或设置 KEHOU_METRICS_TOKEN / Metrics are for direct local requests only, unless KEHOU_METRICS_TOKEN is set',
        },
      });
      return;
    }
    const now = deps.now?.() ?? new Date();
    const health = await deps.warehouse.check();
    let metrics: OpsMetrics | null = null;
    if (health.ok) {
      try {
        metrics = await readOpsMetrics(deps.warehouse.db, { now, backupRoot: deps.backupRoot });
      } catch (error) {
        // The scrape still answers: kehou_warehouse_up and the generation are what matter then.
        deps.log.warn({ err: { message: shortMessage(error, 300) } }, 'metrics query failed');
      }
    }
    const list = samples(health, metrics, now);
    if (req.query.format === 'json') {
      res.json(
        Object.fromEntries(list.filter((s) => s.value !== null).map((s) => [s.name, s.value])),
      );
      return;
    }
    res.type('text/plain; version=0.0.4; charset=utf-8').send(prometheusText(list));
  });
  return router;
}
