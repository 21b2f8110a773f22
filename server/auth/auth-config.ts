/**
 * Sign-in and session settings. Defaults follow OWASP's session guidance for an office
 * dashboard: a session dies after 30 idle minutes or 12 hours whatever happens, and five
 * wrong passwords lock an account for 15 minutes.
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
  /** Consecutive wrong passwords that lock an account. */
  maxFailures: number;
  /** How long a locked account refuses every sign-in, minutes. */
  lockMinutes: number;
  /** Sign-in attempts allowed per client IP per minute (then 429). */
  loginRatePerMinute: number;
}

export const DEFAULT_AUTH_CONFIG: Readonly<Omit<AuthConfig, 'secureCookies'>> = {
  idleMinutes: 30,
  absoluteHours: 12,
  maxFailures: 5,
  lockMinutes: 15,
  loginRatePerMinute: 10,
};

/** Environment variable → setting it overrides. */
const ENV_NAMES = {
  idleMinutes: 'KEHOU_SESSION_IDLE_MIN',
  absoluteHours: 'KEHOU_SESSION_ABSOLUTE_HOURS',
  maxFailures: 'KEHOU_LOGIN_MAX_FAILURES',
  lockMinutes: 'KEHOU_LOGIN_LOCK_MIN',
  loginRatePerMinute: 'KEHOU_LOGIN_RATE_PER_MIN',
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
