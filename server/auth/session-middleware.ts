/**
 * App-wide: turns the session cookie into `res.locals.viewer`. A request without a live
 * session simply has no viewer; each route decides what that means (GraphQL answers
 * UNAUTHENTICATED, /auth/session 401, the dashboard's files are public).
 */
import type { Request, RequestHandler } from 'express';
import { parse } from 'cookie';
import type { Viewer } from './viewer.ts';
import { sessionCookieName, sessionCookieOptions, type AuthConfig } from './auth-config.ts';
import { clockOf, type AuthDeps } from './auth-deps.ts';
import { findSession, shouldTouch, touchSession } from './sessions.ts';

declare global {
  // Express's own augmentation point for res.locals; a namespace is the only way in.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** The signed-in user; undefined when the request has no live session. */
      viewer?: Viewer;
    }
  }
}

/** The session token the request's cookie carries, if any. */
export function readSessionToken(req: Request, config: AuthConfig): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  const token = parse(header)[sessionCookieName(config)];
  return token === undefined || token === '' ? undefined : token;
}

export function sessionMiddleware(deps: AuthDeps): RequestHandler {
  const clock = clockOf(deps);
  const name = sessionCookieName(deps.config);
  const options = sessionCookieOptions(deps.config);
  return async (req, res, next) => {
    const token = readSessionToken(req, deps.config);
    if (token === undefined) return next();
    const now = clock();
    const session = await findSession(deps.db, token, now, deps.config);
    if (!session) {
      // A dead cookie would otherwise be looked up again on every request.
      res.clearCookie(name, options);
      return next();
    }
    res.locals.viewer = session.viewer;
    if (shouldTouch(session, now)) {
      // Waiting behind a long upload would stall every request, so wait only when the
      // writer is idle (then the next request surely sees the new last_seen_at).
      const idle = deps.writer.queued === 0;
      const touch = deps.writer
        .write(({ db }) => touchSession(db, session.viewer.sessionHash, now))
        .catch((error: unknown) => deps.log.warn({ err: error }, 'session touch failed'));
      if (idle) await touch;
    }
    return next();
  };
}
