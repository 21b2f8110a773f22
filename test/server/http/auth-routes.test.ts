/**
 * /auth as the browser drives it: the app-wide session middleware, express.json and the
 * router mounted as app.ts mounts them, on an in-memory warehouse and a real socket.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type * as argon2 from '@node-rs/argon2';
import { verify } from '@node-rs/argon2';
import express from 'express';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_AUTH_CONFIG, type AuthConfig } from '../../../server/auth/auth-config.ts';
import type { AuthDeps } from '../../../server/auth/auth-deps.ts';
import { hashPassword } from '../../../server/auth/password.ts';
import { sessionMiddleware } from '../../../server/auth/session-middleware.ts';
import { WarehouseWriter } from '../../../server/db/writer.ts';
import {
  findByUsername,
  insertUser,
  setDisabled,
} from '../../../server/graphql/users/users.repository.ts';
import { authRouter } from '../../../server/http/auth-routes.ts';
import { query, useWarehouse } from '../../helpers/with-warehouse.ts';

// Counts argon2 verifications (the real ones still run): every checked attempt must cost
// exactly one, whether or not the username exists.
vi.mock('@node-rs/argon2', async (importOriginal) => {
  const real = await importOriginal<typeof argon2>();
  return { ...real, verify: vi.fn(real.verify) };
});

const warehouse = useWarehouse();
const PASSWORD = 'Kehou-correct-horse-7';
const T0 = new Date('2025-03-03T08:00:00.000Z');
const WRONG = {
  error: { code: 'UNAUTHENTICATED', message: '用户名或密码错误 / Wrong username or password' },
};
const BASE: AuthConfig = {
  ...DEFAULT_AUTH_CONFIG,
  secureCookies: false,
  loginRatePerMinute: 1000,
};
const throttled = (wait: string) => ({
  error: {
    code: 'RATE_LIMITED',
    message: `登录失败次数过多，请 ${wait.replace(' s', ' 秒').replace(' min', ' 分钟')}后再试 / Too many failed sign-ins: try again in ${wait}`,
  },
});

interface Running {
  url: string;
  userId: number;
  writer: WarehouseWriter;
  /** Every line the server logged. */
  logs: string[];
  /** Moves the injected clock to T0 + minutes. */
  setMinutes(minutes: number): void;
  /** Moves the injected clock forward. */
  advanceSeconds(seconds: number): void;
  login(username: string, password: string, cookie?: string): Promise<Response>;
  /** Signs in from another client address (X-Forwarded-For; the app trusts one proxy hop). */
  loginFrom(ip: string, username: string, password: string): Promise<Response>;
  get(path: string, cookie?: string): Promise<Response>;
  post(path: string, cookie?: string): Promise<Response>;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Whether the session probe names a user (it answers 200 either way). */
async function signedIn(app: Running, cookie: string): Promise<boolean> {
  const res = await app.get('/auth/session', cookie);
  expect(res.status).toBe(200);
  return ((await res.json()) as { user: unknown }).user !== null;
}

async function start(overrides: Partial<AuthConfig> = {}): Promise<Running> {
  const w = warehouse();
  const writer = await WarehouseWriter.open(w);
  // A second server on the same warehouse finds the user already there.
  const existing = await findByUsername(w.db, 'wang.fang');
  const userId =
    existing?.user_id ??
    (await writer.write(async ({ db }) =>
      insertUser(db, {
        username: 'wang.fang',
        displayName: '王芳',
        role: 'SUPERVISING_INSPECTOR',
        inspectorId: 'DX002',
        passwordHash: await hashPassword(PASSWORD),
      }),
    ));
  const logs: string[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void logs.push(line) });
  let now = T0;
  const deps: AuthDeps = {
    db: w.db,
    writer,
    log,
    config: { ...BASE, ...overrides },
    now: () => now,
  };
  const app = express();
  // One proxy hop, so tests can sign in "from" other addresses; without the header the
  // address is the socket's, 127.0.0.1.
  app.set('trust proxy', 1);
  app.use(sessionMiddleware(deps));
  app.use('/auth', express.json({ limit: '8kb' }), authRouter(deps));
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await writer.close();
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const headers = (cookie?: string): Record<string, string> => (cookie ? { cookie } : {});
  return {
    url,
    userId,
    writer,
    logs,
    setMinutes: (minutes) => {
      now = new Date(T0.getTime() + minutes * 60_000);
    },
    advanceSeconds: (seconds) => {
      now = new Date(now.getTime() + seconds * 1000);
    },
    login: (username, password, cookie) =>
      fetch(`${url}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers(cookie) },
        body: JSON.stringify({ username, password }),
      }),
    loginFrom: (ip, username, password) =>
      fetch(`${url}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
        body: JSON.stringify({ username, password }),
      }),
    get: (path, cookie) => fetch(`${url}${path}`, { headers: headers(cookie) }),
    post: (path, cookie) => fetch(`${url}${path}`, { method: 'POST', headers: headers(cookie) }),
  };
}

/** The `name=value` part of the response's one session Set-Cookie. */
function sessionCookie(res: Response): string {
  const cookies = res.headers.getSetCookie();
  expect(cookies).toHaveLength(1);
  return cookies[0]!.split(';')[0]!;
}

const USER = {
  username: 'wang.fang',
  name: '王芳',
  role: 'SUPERVISING_INSPECTOR',
  inspectorId: 'DX002',
};

describe('POST /auth/login', () => {
  it('answers the user and sets an HttpOnly, SameSite=Lax, Path=/ cookie without Secure over http', async () => {
    const app = await start();
    const res = await app.login('wang.fang', PASSWORD);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ user: { ...USER, id: app.userId } });
    const [setCookie] = res.headers.getSetCookie();
    expect(setCookie).toMatch(
      /^kehou_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax$/u,
    );
    const me = await app.get('/auth/session', sessionCookie(res));
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({ user: { ...USER, id: app.userId } });
  });

  it('names the cookie __Host-kehou_session and marks it Secure when secureCookies is on', async () => {
    const app = await start({ secureCookies: true });
    const res = await app.login('wang.fang', PASSWORD);
    const [setCookie] = res.headers.getSetCookie();
    expect(setCookie).toMatch(
      /^__Host-kehou_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; Secure; SameSite=Lax$/u,
    );
    expect((await app.get('/auth/session', sessionCookie(res))).status).toBe(200);
  });

  it('answers the same 401 body for a wrong password, an unknown user and a disabled user', async () => {
    const app = await start();
    const wrong = await app.login('wang.fang', 'not-the-password');
    const unknown = await app.login('nobody', PASSWORD);
    await app.writer.write(({ db }) => setDisabled(db, app.userId, true));
    const disabled = await app.login('wang.fang', PASSWORD);
    for (const res of [wrong, unknown, disabled]) {
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(res.headers.getSetCookie()).toEqual([]);
      expect(await res.json()).toEqual(WRONG);
    }
  });

  it('issues a new token at every sign-in and revokes the one the browser presented', async () => {
    const app = await start();
    const first = sessionCookie(await app.login('wang.fang', PASSWORD));
    const second = sessionCookie(await app.login('wang.fang', PASSWORD, first));
    expect(second).not.toBe(first);
    expect(await signedIn(app, first)).toBe(false);
    expect(await signedIn(app, second)).toBe(true);
    expect(await query(warehouse(), 'SELECT count(*) AS n FROM sessions')).toEqual([{ n: 1 }]);
  });

  it('answers 400 when a field is missing and 415 for anything but JSON', async () => {
    const app = await start();
    const missing = await fetch(`${app.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'wang.fang' }),
    });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({
      error: {
        code: 'BAD_USER_INPUT',
        message: '请填写用户名和密码 / Username and password are required',
      },
    });
    for (const [type, body] of [
      ['application/x-www-form-urlencoded', `username=wang.fang&password=${PASSWORD}`],
      ['text/plain', JSON.stringify({ username: 'wang.fang', password: PASSWORD })],
    ] as const) {
      const res = await fetch(`${app.url}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': type },
        body,
      });
      expect(res.status).toBe(415);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
        'UNSUPPORTED_MEDIA_TYPE',
      );
      expect(res.headers.getSetCookie()).toEqual([]);
    }
  });

  it('answers 429 once an IP exceeds loginRatePerMinute attempts', async () => {
    const app = await start({ loginRatePerMinute: 3 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await app.login('wang.fang', 'wrong')).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const limited = await app.login('wang.fang', PASSWORD);
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
  });
});

/** Everything a client sees of a response but the wall-clock parts (Date, and the rate
 * limit's seconds to its window's reset, which run on the real clock, not the injected one). */
async function seen(res: Response) {
  const headers = Object.fromEntries(
    [...res.headers]
      .filter(([name]) => name !== 'date')
      .map(([name, value]) => [
        name,
        name === 'ratelimit' ? value.replace(/t=\d+/u, 't=…') : value,
      ]),
  );
  return { status: res.status, headers, body: await res.text() };
}

describe('failed sign-ins: the same answer for every username, and no lockout', () => {
  it('answers an unknown username exactly like an existing one with a wrong password, at every attempt', async () => {
    // Two servers alike, each asked by the same address: one about a made-up name, one
    // about a real user. An observer must not tell which is which.
    const unknown = await start();
    const known = await start();
    const argon2 = vi.mocked(verify);
    const counts = (app: Running) => {
      const writes = vi.spyOn(app.writer, 'write');
      return async (attempt: () => Promise<Response>) => {
        argon2.mockClear();
        writes.mockClear();
        const result = await seen(await attempt());
        return {
          result,
          verifications: argon2.mock.calls.length,
          writes: writes.mock.calls.length,
        };
      };
    };
    const askUnknown = counts(unknown);
    const askKnown = counts(known);
    // Eight checked attempts (the clocks move past any wait), then eight thrown at the
    // throttle at once.
    for (const phase of ['checked', 'throttled'] as const) {
      for (let i = 1; i <= 8; i += 1) {
        if (phase === 'checked') for (const app of [unknown, known]) app.advanceSeconds(16 * 60);
        const u = await askUnknown(() => unknown.login('nobody', `Wrong-password-${i}`));
        const k = await askKnown(() => known.login('wang.fang', `Wrong-password-${i}`));
        expect(u.result).toEqual(k.result);
        expect(u.result.status).toBe(phase === 'checked' ? 401 : 429);
        expect(JSON.parse(u.result.body)).toEqual(phase === 'checked' ? WRONG : throttled('4 s'));
        expect(u.result.headers['retry-after']).toBe(phase === 'checked' ? undefined : '4');
        // One argon2 verification per checked attempt (none once throttled), one write each.
        expect([u.verifications, k.verifications]).toEqual(phase === 'checked' ? [1, 1] : [0, 0]);
        expect([u.writes, k.writes]).toEqual([1, 1]);
      }
    }
    // One audit row per attempt on each side; the reason codes stay in there.
    expect(
      await query(
        warehouse(),
        `SELECT username, detail, count(*) AS n FROM audit_log GROUP BY ALL ORDER BY ALL`,
      ),
    ).toEqual([
      { username: 'wang.fang', detail: 'throttled', n: 8 },
      { username: 'wang.fang', detail: 'wrong_password', n: 8 },
      { username: null, detail: 'throttled', n: 8 },
      { username: null, detail: 'unknown_user', n: 8 },
    ]);
  });

  it('lets the user in from another address at once, and from the guessed-at address after the wait', async () => {
    const app = await start();
    for (let i = 1; i <= 8; i += 1) {
      let res = await app.loginFrom('10.0.0.1', 'wang.fang', `Wrong-password-${i}`);
      if (res.status === 429) {
        app.advanceSeconds(Number(res.headers.get('retry-after')));
        res = await app.loginFrom('10.0.0.1', 'wang.fang', `Wrong-password-${i}`);
      }
      expect(res.status).toBe(401);
    }
    // The real user, at their own desk: never held up by someone else's failures.
    const own = await app.loginFrom('10.0.0.2', 'wang.fang', PASSWORD);
    expect(own.status).toBe(200);
    // From the address that failed 8 times, even the right password waits 4 s (5 free, 1, 2, 4).
    const early = await app.loginFrom('10.0.0.1', 'wang.fang', PASSWORD);
    expect(early.status).toBe(429);
    expect(early.headers.get('retry-after')).toBe('4');
    expect(early.headers.getSetCookie()).toEqual([]);
    expect(await early.json()).toEqual(throttled('4 s'));
    app.advanceSeconds(3);
    const still = await app.loginFrom('10.0.0.1', 'wang.fang', PASSWORD);
    expect([still.status, still.headers.get('retry-after')]).toEqual([429, '1']);
    app.advanceSeconds(1);
    expect((await app.loginFrom('10.0.0.1', 'wang.fang', PASSWORD)).status).toBe(200);
    // The success starts the pair afresh: free failures again.
    for (let i = 0; i < 5; i += 1) {
      expect((await app.loginFrom('10.0.0.1', 'wang.fang', 'Wrong-again')).status).toBe(401);
    }
  });

  it('doubles the wait 1 → 2 → 4 … up to loginDelayMaxMinutes', async () => {
    const app = await start({ loginFreeFailures: 3, loginDelayMaxMinutes: 1 });
    const waits: string[] = [];
    // 3 free failures, then a wait before each of the next 8 attempts.
    for (let i = 1; i <= 12; i += 1) {
      let res = await app.login('wang.fang', `Wrong-password-${i}`);
      if (res.status === 429) {
        const wait = res.headers.get('retry-after')!;
        waits.push(wait);
        const seconds = Number(wait);
        expect(await res.json()).toEqual(throttled(seconds < 60 ? `${seconds} s` : '1 min'));
        // Not a second early.
        app.advanceSeconds(seconds - 1);
        expect((await app.login('wang.fang', PASSWORD)).status).toBe(429);
        app.advanceSeconds(1);
        res = await app.login('wang.fang', `Wrong-password-${i}`);
      }
      expect(res.status).toBe(401);
    }
    expect(waits).toEqual(['1', '2', '4', '8', '16', '32', '60', '60']);
  });
});

describe('POST /auth/logout', () => {
  it('answers 204, clears the cookie and kills the server-side session', async () => {
    const app = await start();
    const cookie = sessionCookie(await app.login('wang.fang', PASSWORD));
    const res = await app.post('/auth/logout', cookie);
    expect(res.status).toBe(204);
    expect(res.headers.getSetCookie()).toEqual([
      'kehou_session=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax',
    ]);
    expect(await signedIn(app, cookie)).toBe(false);
    expect(await query(warehouse(), 'SELECT count(*) AS n FROM sessions')).toEqual([{ n: 0 }]);
  });

  it('answers 204 when nobody is signed in', async () => {
    const app = await start();
    expect((await app.post('/auth/logout')).status).toBe(204);
  });
});

describe('GET /auth/session', () => {
  it('answers 200 with no user and no data without a cookie (signed out is not an error)', async () => {
    const app = await start();
    const res = await app.get('/auth/session');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.text()).toBe('{"user":null}');
  });

  it('answers no user for an unknown token', async () => {
    const app = await start();
    await app.login('wang.fang', PASSWORD);
    const res = await app.get('/auth/session', 'kehou_session=' + 'x'.repeat(43));
    expect([res.status, await res.text()]).toEqual([200, '{"user":null}']);
  });

  it('ends a session after 30 idle minutes, however recently it was created', async () => {
    const app = await start();
    const cookie = sessionCookie(await app.login('wang.fang', PASSWORD));
    app.setMinutes(29);
    expect(await signedIn(app, cookie)).toBe(true);
    app.setMinutes(58);
    expect(await signedIn(app, cookie)).toBe(true);
    app.setMinutes(88);
    const expired = await app.get('/auth/session', cookie);
    expect(expired.status).toBe(200);
    expect(await expired.json()).toEqual({ user: null });
    expect(expired.headers.getSetCookie()[0]).toMatch(
      /^kehou_session=; Path=\/; Expires=Thu, 01 Jan 1970/u,
    );
  });

  it('ends a session absoluteHours after sign-in even while it is in use', async () => {
    const app = await start({ absoluteHours: 1 });
    const cookie = sessionCookie(await app.login('wang.fang', PASSWORD));
    for (const minutes of [20, 40, 59]) {
      app.setMinutes(minutes);
      expect(await signedIn(app, cookie)).toBe(true);
    }
    app.setMinutes(60);
    expect(await signedIn(app, cookie)).toBe(false);
  });
});

describe('audit_log', () => {
  it('records every sign-in, failure reason and sign-out, and never a password', async () => {
    const app = await start({ loginFreeFailures: 2 });
    await app.login('nobody', 'typed-the-wrong-thing');
    // A password typed into the username box must not end up in the log.
    await app.login(PASSWORD, 'username-box-got-the-password');
    await app.login('wang.fang', 'wrong-password-1');
    const cookie = sessionCookie(await app.login('wang.fang', PASSWORD));
    await app.post('/auth/logout', cookie);
    await app.login('wang.fang', 'wrong-password-2');
    await app.login('wang.fang', 'wrong-password-3');
    await app.login('wang.fang', 'wrong-password-4');
    await app.login('wang.fang', PASSWORD);
    const rows = await query(
      warehouse(),
      `SELECT user_id, username, action, target, outcome, detail, ip
       FROM audit_log ORDER BY audit_id`,
    );
    const u = app.userId;
    const row = (action: string, outcome: string, detail: string | null, known = true) => ({
      user_id: known ? u : null,
      username: known ? 'wang.fang' : null,
      action,
      target: known ? 'wang.fang' : null,
      outcome,
      detail,
      ip: '127.0.0.1',
    });
    expect(rows).toEqual([
      row('auth.login', 'failed', 'unknown_user', false),
      row('auth.login', 'failed', 'unknown_user', false),
      row('auth.login', 'failed', 'wrong_password'),
      row('auth.login', 'ok', null),
      row('auth.logout', 'ok', null),
      row('auth.login', 'failed', 'wrong_password'),
      row('auth.login', 'failed', 'wrong_password'),
      row('auth.login', 'failed', 'wrong_password'),
      // The third failure in a row (2 free) makes the next attempt wait.
      row('auth.login', 'failed', 'throttled'),
    ]);
    const everything = JSON.stringify(await query(warehouse(), 'SELECT * FROM audit_log'));
    const logs = app.logs.join('');
    for (const secret of [PASSWORD, 'wrong-password', 'typed-the-wrong-thing', 'username-box']) {
      expect(everything).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
    expect(logs).not.toContain(cookie.split('=')[1]);
    expect(logs).toContain('"reason":"throttled"');
  });
});
