/**
 * Sign-in and session settings. Defaults follow OWASP's session guidance for an office
 * dashboard: a session dies after 30 idle minutes or 12 hours whatever happens. Wrong
 * passwords never lock an account (anyone could lock anyone out by typing their name):
 * after five failures of one (username, client address) pair, that pair waits 1 s, 2 s,
 * 4 s … at most 15 min before its next attempt is checked (auth/login-throttle.ts).
 */
import type { CookieOptions } from 'express';

/** Session and sign-in limits; every duration is in the unit its name says. */
export interface AuthConfig {
  /** Served over HTTPS: the cookie is `Secure` and named with the `__Host-` prefix. */
  secureCookies: boolean;
  /** A session unused this many minutes is over. */
  idleMinutes: number;
  /** A session is over this many hours after sign-in, used or not. */
  absoluteHours: number;
  /** Sign-in attempts allowed per client IP per minute (then 429). */
  loginRatePerMinute: number;
  /** Failed sign-ins of one (username, client address) pair that cost no wait. */
  loginFreeFailures: number;
  /** The wait after the first failure beyond the free ones, seconds; each further one doubles it. */
  loginDelayBaseSeconds: number;
  /** The longest wait between two attempts of one pair, minutes. */
  loginDelayMaxMinutes: number;
  /** Pairs the throttle remembers at most (least recently seen forgotten first). */
  loginThrottleMaxPairs: number;
  /** A pair whose last checked attempt is this many hours old starts afresh. */
  loginThrottleForgetHours: number;
}

export const DEFAULT_AUTH_CONFIG: Readonly<Omit<AuthConfig, 'secureCookies'>> = {
  idleMinutes: 30,
  absoluteHours: 12,
  loginRatePerMinute: 10,
  loginFreeFailures: 5,
  loginDelayBaseSeconds: 1,
  loginDelayMaxMinutes: 15,
  // About 10,000 × 0.5 KB: a few MB. Filling it takes 10,000 failures, which the per-address
  // limit spreads over 1,000 minutes per address.
  loginThrottleMaxPairs: 10_000,
  loginThrottleForgetHours: 24,
};

/** Environment variable → setting it overrides. */
const ENV_NAMES = {
  idleMinutes: 'KEHOU_SESSION_IDLE_MIN',
  absoluteHours: 'KEHOU_SESSION_ABSOLUTE_HOURS',
  loginRatePerMinute: 'KEHOU_LOGIN_RATE_PER_MIN',
  loginFreeFailures: 'KEHOU_LOGIN_FREE_FAILURES',
  loginDelayBaseSeconds: 'KEHOU_LOGIN_DELAY_BASE_S',
  loginDelayMaxMinutes: 'KEHOU_LOGIN_DELAY_MAX_MIN',
  loginThrottleMaxPairs: 'KEHOU_LOGIN_THROTTLE_MAX_PAIRS',
  loginThrottleForgetHours: 'KEHOU_LOGIN_THROTTLE_FORGET_HOURS',
} as const satisfies Record<keyof typeof DEFAULT_AUTH_CONFIG, string>;

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  // A typo must stop the server, not silently weaken (or disable) a security limit.
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${name} 必须是正数 / must be a positive number (got "${raw}")`);
  }
  return value;
}

/** Reads the settings from the environment; `https` comes from the server config. */
export function authConfigFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  { https }: { https: boolean },
): AuthConfig {
  const config: AuthConfig = { secureCookies: https, ...DEFAULT_AUTH_CONFIG };
  for (const key of Object.keys(ENV_NAMES) as Array<keyof typeof ENV_NAMES>) {
    config[key] = positive(env, ENV_NAMES[key], DEFAULT_AUTH_CONFIG[key]);
  }
  return config;
}

/**
 * `__Host-kehou_session` over HTTPS (the browser then insists on Secure, Path=/ and no
 * Domain, so a sibling subdomain cannot plant one), plain `kehou_session` otherwise.
 */
export function sessionCookieName(config: Pick<AuthConfig, 'secureCookies'>): string {
  return config.secureCookies ? '__Host-kehou_session' : 'kehou_session';
}

/**
 * Attributes of the session cookie. No Max-Age: a browser-session cookie, gone when the
 * browser closes on a shared office computer; the server enforces the real expiry.
 */
export function sessionCookieOptions(config: Pick<AuthConfig, 'secureCookies'>): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', path: '/', secure: config.secureCookies };
}
