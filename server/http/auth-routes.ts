/**
 * `/auth`: sign-in, sign-out and "who am I". A thin HTTP adapter over auth/sign-in.ts.
 * Sign-in accepts only application/json: a cross-site HTML form cannot send that without
 * a CORS preflight, which this server never grants, so form-post CSRF cannot sign anyone in.
 */
import { Router, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { sessionCookieName, sessionCookieOptions } from '../auth/auth-config.ts';
import type { AuthDeps } from '../auth/auth-deps.ts';
import { LoginThrottle } from '../auth/login-throttle.ts';
import { readSessionToken } from '../auth/session-middleware.ts';
import { signIn, signOut } from '../auth/sign-in.ts';
import type { Viewer } from '../auth/viewer.ts';
import type { Role, User } from '../db/tables/users.table.ts';

/** Error codes of the /auth routes' JSON bodies `{"error":{"code","message"}}`. */
export type AuthErrorCode =
  'UNAUTHENTICATED' | 'BAD_USER_INPUT' | 'UNSUPPORTED_MEDIA_TYPE' | 'RATE_LIMITED';

/** One message for unknown user, wrong password and disabled account alike. */
export const WRONG_CREDENTIALS = '用户名或密码错误 / Wrong username or password';
const NOT_JSON = '请以 JSON 提交 / Send the sign-in as application/json';
const MISSING = '请填写用户名和密码 / Username and password are required';
const TOO_MANY =
  '登录尝试过于频繁，请一分钟后再试 / Too many sign-in attempts: try again in a minute';
/** The wait says nothing about the account: it is the same for an unknown username. */
function throttled(seconds: number): string {
  if (seconds < 60) {
    return `登录失败次数过多，请 ${seconds} 秒后再试 / Too many failed sign-ins: try again in ${seconds} s`;
  }
  const minutes = Math.ceil(seconds / 60);
  return `登录失败次数过多，请 ${minutes} 分钟后再试 / Too many failed sign-ins: try again in ${minutes} min`;
}

/** Longer "usernames" are refused before touching the warehouse. */
const USERNAME_MAX = 200;

/** The user as the web app sees it: never the hash, the counters or the session. */
export interface PublicUser {
  id: number;
  username: string;
  name: string;
  role: Role;
  inspectorId: string | null;
}

const fromUser = (u: User): PublicUser => ({
  id: u.user_id,
  username: u.username,
  name: u.display_name,
  role: u.role,
  inspectorId: u.inspector_id,
});

const fromViewer = (v: Viewer): PublicUser => ({
  id: v.userId,
  username: v.username,
  name: v.name,
  role: v.role,
  inspectorId: v.inspectorId,
});

function sendError(res: Response, status: number, code: AuthErrorCode, message: string): void {
  res.status(status).json({ error: { code, message } });
}

function field(body: unknown, name: string): string | null {
  const value = typeof body === 'object' && body !== null ? Reflect.get(body, name) : undefined;
  return typeof value === 'string' && value.length > 0 ? value : null;
}

export function authRouter(deps: AuthDeps): Router {
  const router = Router();
  // One per router, so per server process: see login-throttle.ts for why it is in memory.
  const signInDeps = { ...deps, throttle: new LoginThrottle(deps.config) };
  const cookieName = sessionCookieName(deps.config);
  const cookieOptions = sessionCookieOptions(deps.config);
  const limiter = rateLimit({
    windowMs: 60_000,
    limit: deps.config.loginRatePerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, res) => sendError(res, 429, 'RATE_LIMITED', TOO_MANY),
  });

  router.post('/login', limiter, async (req, res) => {
    if (!req.is('application/json')) return sendError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', NOT_JSON);
    const username = field(req.body, 'username');
    const password = field(req.body, 'password');
    if (!username || !password || username.length > USERNAME_MAX) {
      return sendError(res, 400, 'BAD_USER_INPUT', MISSING);
    }
    const result = await signIn(signInDeps, {
      username,
      password,
      ip: req.ip ?? null,
      userAgent: req.get('user-agent')?.slice(0, 300) ?? null,
      previousToken: readSessionToken(req, deps.config),
    });
    if (result.ok) {
      res.cookie(cookieName, result.session.token, cookieOptions);
      return void res.status(200).json({ user: fromUser(result.user) });
    }
    if (result.retryAfterSeconds !== null) {
      const seconds = Math.max(1, result.retryAfterSeconds);
      res.set('Retry-After', String(seconds));
      return sendError(res, 429, 'RATE_LIMITED', throttled(seconds));
    }
    // Unknown user, disabled account and wrong password: the same status, body and headers.
    return sendError(res, 401, 'UNAUTHENTICATED', WRONG_CREDENTIALS);
  });

  router.post('/logout', async (req, res) => {
    const token = readSessionToken(req, deps.config);
    await signOut(deps, { viewer: res.locals.viewer, token, ip: req.ip ?? null });
    res.clearCookie(cookieName, cookieOptions);
    res.status(204).end();
  });

  // Signed out is an answer, not an error: the sign-in page probes this on every load, and a
  // 401 would log a console error in every browser. The body says nothing but "no one".
  router.get('/session', (_req, res) => {
    const viewer = res.locals.viewer;
    res.set('Cache-Control', 'no-store');
    return void res.json({ user: viewer ? fromViewer(viewer) : null });
  });

  return router;
}
