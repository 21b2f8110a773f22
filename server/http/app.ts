/**
 * The HTTP application: helmet, health check, sign-in routes, the GraphQL endpoint, the
 * upload route and the dashboard's static files. Framework-free pieces (auth, GraphQL,
 * the writer) are passed in, so tests build the same app on an in-memory warehouse.
 */
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { expressMiddleware } from '@as-integrations/express5';
import compression from 'compression';
import express, { type ErrorRequestHandler, type Express } from 'express';
import helmet from 'helmet';
import type { ApolloServer } from '@apollo/server';
import type { AuthConfig } from '../auth/auth-config.ts';
import { sessionMiddleware } from '../auth/session-middleware.ts';
import type { Warehouse } from '../db/connect.ts';
import { isEngineFailure, WarehouseUnavailableError } from '../db/engine-errors.ts';
import type { WarehouseWriter } from '../db/writer.ts';
import { createApollo } from '../graphql/apollo.ts';
import type { GraphQLContext } from '../graphql/context.ts';
import { isExportRequest } from '../graphql/scope/disclosure.ts';
import { UnauthenticatedError } from '../graphql/errors.ts';
import type { ServerConfig } from '../config.ts';
import type { Logger } from '../log.ts';
import type { DistrictPolicy } from '../policy/policy.ts';
import { loadPolicy } from '../policy/policy.ts';
import { fromPackageRoot } from '../package-root.ts';
import { authRouter } from './auth-routes.ts';
import { bodyDeadline, queryDeadline } from './deadlines.ts';
import { evidenceRouter } from './evidence-route.ts';
import { originalsRouter } from './originals-download.ts';
import { templatesRouter } from './templates-route.ts';
import { exportRouter } from './scoped-export.ts';
import { auditExportRouter } from './audit-export.ts';
import { metricsRouter } from './metrics-route.ts';
import { uploadsRouter, type UploadsDeps } from './uploads-route.ts';

export const WEB_DIST = fromPackageRoot('web/dist/');

export interface AppDeps {
  warehouse: Warehouse;
  writer: WarehouseWriter;
  /**
   * The writer of sign-ins, sessions and their audit rows, on a connection of its own so
   * that signing in never waits behind an upload (default: `writer`).
   */
  authWriter?: WarehouseWriter;
  config: ServerConfig;
  auth: AuthConfig;
  log: Logger;
  /** Drained on shutdown when given. */
  httpServer?: Server;
  /** The district policy; default: KEHOU_POLICY or server/policy/district-policy.yaml. */
  policy?: DistrictPolicy;
  /** Clock for session expiry, "today" and overdue flags (tests). */
  now?: () => Date;
  /** Tests only: see UploadsDeps.beforeCommit. */
  uploadBeforeCommit?: UploadsDeps['beforeCommit'];
}

export interface KehouApp {
  app: Express;
  apollo: ApolloServer<GraphQLContext>;
}

export async function createApp(deps: AppDeps): Promise<KehouApp> {
  const { warehouse, writer, config, log } = deps;
  const policy = deps.policy ?? loadPolicy();
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use(
    helmet({
      // Apollo's landing page in development loads from a CDN; the dashboard is same-origin.
      contentSecurityPolicy: config.development ? false : undefined,
      strictTransportSecurity: config.https,
    }),
  );
  // The dashboard's scripts and the API's JSON shrink about 3–4× with gzip.
  app.use(compression());
  // A real statement on the warehouse: 503 while DuckDB is unusable or being re-opened,
  // so a load balancer or systemd watchdog sees what users see.
  app.get('/healthz', async (_req, res) => {
    const health = await warehouse.check();
    res.set('Cache-Control', 'no-store');
    if (health.ok) res.json({ ok: true });
    else res.status(503).json({ ok: false, state: health.state });
  });
  // The monitor's counts (metrics-route.ts): before the session, it signs in by token or locality.
  app.use(
    '/metrics',
    metricsRouter({
      warehouse,
      log,
      token: config.metricsToken,
      backupRoot: config.backupRoot,
      ...(deps.now ? { now: deps.now } : {}),
    }),
  );
  app.use(bodyDeadline(config.bodyTimeoutMs, { uploads: config.uploadTimeoutMs }));

  const authDeps = {
    db: warehouse.db,
    writer: deps.authWriter ?? writer,
    log,
    config: deps.auth,
    ...(deps.now ? { now: deps.now } : {}),
  };
  app.use(sessionMiddleware(authDeps));
  app.use('/auth', express.json({ limit: '8kb' }), authRouter(authDeps));
  app.use(
    '/api/uploads',
    uploadsRouter({
      warehouse,
      writer,
      config,
      log,
      ...(deps.uploadBeforeCommit ? { beforeCommit: deps.uploadBeforeCommit } : {}),
    }),
  );

  app.use('/api/originals', originalsRouter({ warehouse, writer, log }));
  app.use(
    '/api/templates',
    templatesRouter({ warehouse, log, ...(deps.now ? { now: deps.now } : {}) }),
  );
  app.use(
    '/api/evidence',
    evidenceRouter({
      warehouse,
      writer,
      log,
      limits: { maxFileBytes: config.maxEvidenceBytes, maxPerOwner: config.maxEvidencePerOwner },
      ...(deps.now ? { now: deps.now } : {}),
    }),
  );

  app.use(
    '/api/export/audit',
    auditExportRouter({ db: warehouse.db, writer, log, ...(deps.now ? { now: deps.now } : {}) }),
  );
  app.use(
    '/api/export',
    exportRouter({ db: warehouse.db, log, policy, ...(deps.now ? { now: deps.now } : {}) }),
  );

  const apollo = createApollo({
    production: config.production,
    development: config.development,
    log,
    ...(deps.httpServer ? { httpServer: deps.httpServer } : {}),
  });
  await apollo.start();
  app.use(
    '/graphql',
    express.json({ limit: '64kb' }),
    // After the body parser: its callbacks run outside the request's async context.
    queryDeadline(config.queryTimeoutMs, log),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const viewer = res.locals.viewer;
        if (!viewer) throw new UnauthenticatedError('请先登录 / Sign in first');
        return {
          viewer,
          db: warehouse.db,
          writer,
          log,
          policy,
          now: deps.now ?? (() => new Date()),
          exportRequest: isExportRequest(req.headers),
        } satisfies GraphQLContext;
      },
    }),
  );

  if (existsSync(WEB_DIST)) {
    // Hashed asset names change with their content, so they are cached for a year; the page
    // itself is revalidated, so a new build reaches users at once.
    app.use(
      '/assets',
      express.static(`${WEB_DIST}assets`, { immutable: true, maxAge: '365d', fallthrough: false }),
    );
    app.use(express.static(WEB_DIST, { index: false, maxAge: 0 }));
    app.get('/{*path}', (_req, res) => {
      res.set('Cache-Control', 'no-cache');
      res.sendFile('index.html', { root: WEB_DIST });
    });
  } else {
    app.get('/', (_req, res) => {
      res
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('仪表盘尚未构建 / The dashboard has not been built (web/dist is missing).\n');
    });
  }
  app.use(jsonErrors(log));
  return { app, apollo };
}

/** Errors that escape a route become JSON without internals (body-parser's keep their status). */
function jsonErrors(log: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) return next(error);
    const status = (error as { status?: number }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const tooLarge = status === 413;
      res.status(status).json({
        error: {
          code: tooLarge ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST',
          message: tooLarge ? '请求过大 / Request body too large' : '请求无效 / Bad request',
        },
      });
      return;
    }
    // The session lookup runs before any route: while the warehouse re-opens it fails,
    // and the client should hear "retry shortly", not "internal error".
    if (error instanceof WarehouseUnavailableError || isEngineFailure(error)) {
      res.set('Retry-After', '5');
      res.status(503).json({
        error: { code: 'WAREHOUSE_UNAVAILABLE', message: new WarehouseUnavailableError().message },
      });
      return;
    }
    log.error({ err: { name: (error as Error)?.name } }, 'unhandled route error');
    res.status(500).json({
      error: { code: 'INTERNAL_SERVER_ERROR', message: '服务器内部错误 / Internal server error' },
    });
  };
}
