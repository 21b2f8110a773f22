import { describe, expect, it } from 'vitest';
import {
  authConfigFromEnv,
  sessionCookieName,
  sessionCookieOptions,
} from '../../../server/auth/auth-config.ts';

describe('authConfigFromEnv', () => {
  it('defaults to 30 idle minutes, 12 hours, 10 sign-ins a minute and 5 free failures before waits of 1 s doubling up to 15 min', () => {
    expect(authConfigFromEnv({}, { https: false })).toEqual({
      secureCookies: false,
      idleMinutes: 30,
      absoluteHours: 12,
      loginRatePerMinute: 10,
      loginFreeFailures: 5,
      loginDelayBaseSeconds: 1,
      loginDelayMaxMinutes: 15,
      loginThrottleMaxPairs: 10_000,
      loginThrottleForgetHours: 24,
    });
  });

  it('takes overrides from KEHOU_* variables and secure cookies from https', () => {
    const env = {
      KEHOU_SESSION_IDLE_MIN: '10',
      KEHOU_SESSION_ABSOLUTE_HOURS: '8',
      KEHOU_LOGIN_RATE_PER_MIN: '20',
      KEHOU_LOGIN_FREE_FAILURES: '3',
      KEHOU_LOGIN_DELAY_BASE_S: '2',
      KEHOU_LOGIN_DELAY_MAX_MIN: '60',
      KEHOU_LOGIN_THROTTLE_MAX_PAIRS: '50000',
      KEHOU_LOGIN_THROTTLE_FORGET_HOURS: '6',
    };
    expect(authConfigFromEnv(env, { https: true })).toEqual({
      secureCookies: true,
      idleMinutes: 10,
      absoluteHours: 8,
      loginRatePerMinute: 20,
      loginFreeFailures: 3,
      loginDelayBaseSeconds: 2,
      loginDelayMaxMinutes: 60,
      loginThrottleMaxPairs: 50_000,
      loginThrottleForgetHours: 6,
    });
  });

  it('refuses a value that is not a positive number instead of weakening a limit', () => {
    expect(() => authConfigFromEnv({ KEHOU_LOGIN_FREE_FAILURES: '0' }, { https: false })).toThrow(
      'KEHOU_LOGIN_FREE_FAILURES 必须是正数 / must be a positive number (got "0")',
    );
    expect(() => authConfigFromEnv({ KEHOU_SESSION_IDLE_MIN: 'abc' }, { https: false })).toThrow(
      /KEHOU_SESSION_IDLE_MIN/u,
    );
  });
});

describe('sessionCookieName and sessionCookieOptions', () => {
  it('use the __Host- prefix and Secure only over https', () => {
    expect(sessionCookieName({ secureCookies: true })).toBe('__Host-kehou_session');
    expect(sessionCookieName({ secureCookies: false })).toBe('kehou_session');
    expect(sessionCookieOptions({ secureCookies: true })).toEqual({
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secure: true,
    });
    expect(sessionCookieOptions({ secureCookies: false }).secure).toBe(false);
  });
});
