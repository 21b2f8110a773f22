import { describe, expect, it } from 'vitest';
import { DEFAULT_AUTH_CONFIG } from '../../../server/auth/auth-config.ts';
import { LoginThrottle, type ThrottleSettings } from '../../../server/auth/login-throttle.ts';

const T0 = new Date('2025-03-03T08:00:00.000Z').getTime();
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const SETTINGS: ThrottleSettings = {
  loginFreeFailures: 3,
  loginDelayBaseSeconds: 1,
  loginDelayMaxMinutes: 1,
  loginThrottleMaxPairs: 100,
  loginThrottleForgetHours: 24,
};

/** Fails `n` checked attempts of the pair, each as soon as the throttle lets it; returns the clock. */
function failChecked(throttle: LoginThrottle, n: number, ip = '10.0.0.1', from = 0): number {
  let seconds = from;
  for (let i = 0; i < n; i += 1) {
    let admission = throttle.admit('wang.fang', ip, at(seconds));
    if (!admission.admitted) {
      seconds += admission.retryAfterSeconds;
      admission = throttle.admit('wang.fang', ip, at(seconds));
    }
    expect(admission).toEqual({ admitted: true });
  }
  return seconds;
}

describe('LoginThrottle', () => {
  it('lets the free failures through, then doubles the wait from the base up to the cap', () => {
    const throttle = new LoginThrottle(SETTINGS);
    const waits = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => throttle.delayMs(n) / 1000);
    expect(waits).toEqual([0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 60]);
    expect(throttle.delayMs(10_000)).toBe(60_000);
  });

  it('defaults to 5 free failures, 1 s doubling, at most 15 minutes', () => {
    const throttle = new LoginThrottle(DEFAULT_AUTH_CONFIG);
    expect([5, 6, 7, 8, 15, 16, 40].map((n) => throttle.delayMs(n) / 1000)).toEqual([
      0, 1, 2, 4, 512, 900, 900,
    ]);
  });

  it('refuses the pair until its wait is over and answers the seconds left', () => {
    const throttle = new LoginThrottle(SETTINGS);
    const seconds = failChecked(throttle, 5); // 3 free, then a 1 s wait, then 2 s
    expect(seconds).toBe(1);
    expect(throttle.admit('wang.fang', '10.0.0.1', at(seconds))).toEqual({
      admitted: false,
      retryAfterSeconds: 2,
    });
  });

  it('keys on the pair: another address, or another username, is not held up', () => {
    const throttle = new LoginThrottle(SETTINGS);
    const seconds = failChecked(throttle, 8);
    expect(throttle.admit('wang.fang', '10.0.0.1', at(seconds)).admitted).toBe(false);
    expect(throttle.admit('wang.fang', '10.0.0.2', at(seconds))).toEqual({ admitted: true });
    expect(throttle.admit('li.na', '10.0.0.1', at(seconds))).toEqual({ admitted: true });
  });

  it('counts an admitted attempt at once, so parallel attempts cannot share one opening', () => {
    const throttle = new LoginThrottle(SETTINGS);
    failChecked(throttle, 3);
    // The 4th and 5th arrive together: the 4th is checked, the 5th waits for it.
    expect(throttle.admit('wang.fang', '10.0.0.1', at(0)).admitted).toBe(true);
    expect(throttle.admit('wang.fang', '10.0.0.1', at(0))).toEqual({
      admitted: false,
      retryAfterSeconds: 1,
    });
  });

  it('starts the pair afresh after a success', () => {
    const throttle = new LoginThrottle(SETTINGS);
    const seconds = failChecked(throttle, 8);
    throttle.success('wang.fang', '10.0.0.1');
    expect(throttle.size).toBe(0);
    for (let i = 0; i < 3; i += 1) {
      expect(throttle.admit('wang.fang', '10.0.0.1', at(seconds)).admitted).toBe(true);
    }
  });

  it('forgets a pair not tried for loginThrottleForgetHours', () => {
    const throttle = new LoginThrottle({ ...SETTINGS, loginThrottleForgetHours: 1 });
    const seconds = failChecked(throttle, 6);
    const later = seconds + 3600;
    for (let i = 0; i < 3; i += 1) {
      expect(throttle.admit('wang.fang', '10.0.0.1', at(later)).admitted).toBe(true);
    }
  });

  it('remembers at most loginThrottleMaxPairs pairs, however many usernames are tried', () => {
    const throttle = new LoginThrottle(DEFAULT_AUTH_CONFIG);
    for (let i = 0; i < 100_000; i += 1) throttle.admit(`random-${i}`, '10.0.0.9', at(i / 1000));
    expect(throttle.size).toBe(DEFAULT_AUTH_CONFIG.loginThrottleMaxPairs);
    expect(throttle.size).toBe(10_000);
  });

  it('forgets the least recently tried pair first, not one still being tried', () => {
    const throttle = new LoginThrottle({ ...SETTINGS, loginThrottleMaxPairs: 3 });
    let seconds = failChecked(throttle, 6); // wang.fang waits 4 s now
    throttle.admit('a', '10.0.0.1', at(seconds));
    throttle.admit('b', '10.0.0.1', at(seconds));
    // Refused, but tried again: wang.fang becomes the most recent pair.
    expect(throttle.admit('wang.fang', '10.0.0.1', at(seconds)).admitted).toBe(false);
    throttle.admit('c', '10.0.0.1', at(seconds)); // evicts 'a'
    expect(throttle.size).toBe(3);
    seconds += 1;
    expect(throttle.admit('wang.fang', '10.0.0.1', at(seconds))).toEqual({
      admitted: false,
      retryAfterSeconds: 3,
    });
  });
});
