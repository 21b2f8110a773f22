/**
 * Growing delays for failed sign-ins, per (username, client address) pair, in place of an
 * account lock: someone guessing from one address waits 1 s, 2 s, 4 s … (capped) between
 * attempts, while the real user, from their own address, is never held up by it.
 *
 * The state lives in the server's memory, not in the warehouse:
 * - every failure would otherwise be a write queued on the single writer (behind uploads),
 *   and a flood of made-up usernames would grow a table nobody reads;
 * - one process owns the warehouse, so there is no second server to share the state with;
 * - a restart forgets it, which an attacker cannot cause and which costs them little: the
 *   per-address rate limit (express-rate-limit, also in memory) still applies.
 * The map is bounded (least recently seen pair forgotten first), so random usernames cannot
 * exhaust memory; filling it takes as many failures as it has room for, which the
 * per-address limit spreads over hours for any one address.
 */
import type { AuthConfig } from './auth-config.ts';

export type ThrottleSettings = Pick<
  AuthConfig,
  | 'loginFreeFailures'
  | 'loginDelayBaseSeconds'
  | 'loginDelayMaxMinutes'
  | 'loginThrottleMaxPairs'
  | 'loginThrottleForgetHours'
>;

/** Whether an attempt may be checked now; if not, how many seconds until it may. */
export type Admission = { admitted: true } | { admitted: false; retryAfterSeconds: number };

interface Pair {
  /** Attempts admitted since the last success; each counts as failed until it succeeds. */
  failures: number;
  /** Epoch ms before which the pair's next attempt is not checked. */
  nextAttemptAt: number;
  /** Epoch ms of the pair's latest admitted attempt. */
  lastAttemptAt: number;
}

export class LoginThrottle {
  readonly #pairs = new Map<string, Pair>();
  readonly #settings: ThrottleSettings;

  constructor(settings: ThrottleSettings) {
    this.#settings = settings;
  }

  /** Pairs currently remembered. */
  get size(): number {
    return this.#pairs.size;
  }

  /** The wait after `failures` consecutive failures, ms: none for the free ones, then doubling. */
  delayMs(failures: number): number {
    const { loginFreeFailures, loginDelayBaseSeconds, loginDelayMaxMinutes } = this.#settings;
    const beyond = failures - loginFreeFailures;
    if (beyond <= 0) return 0;
    return Math.min(
      loginDelayBaseSeconds * 1000 * 2 ** (beyond - 1),
      loginDelayMaxMinutes * 60_000,
    );
  }

  /**
   * Decides whether this attempt is checked. An admitted attempt is counted as a failure
   * at once, and its wait starts now; success() undoes that. Counting before the check means
   * attempts sent in parallel cannot all slip through the same opening.
   */
  admit(username: string, ip: string | null, now: Date): Admission {
    const key = JSON.stringify([ip, username]);
    const at = now.getTime();
    let pair = this.#pairs.get(key);
    if (pair && at - pair.lastAttemptAt >= this.#settings.loginThrottleForgetHours * 3_600_000) {
      pair = undefined;
    }
    if (pair && at < pair.nextAttemptAt) {
      this.#remember(key, pair); // still being tried: keep it from being forgotten first
      return { admitted: false, retryAfterSeconds: Math.ceil((pair.nextAttemptAt - at) / 1000) };
    }
    const failures = (pair?.failures ?? 0) + 1;
    this.#remember(key, {
      failures,
      nextAttemptAt: at + this.delayMs(failures),
      lastAttemptAt: at,
    });
    return { admitted: true };
  }

  /** A successful sign-in: the pair starts afresh. */
  success(username: string, ip: string | null): void {
    this.#pairs.delete(JSON.stringify([ip, username]));
  }

  /** Moves `key` to the most recent end (a Map iterates in insertion order), evicting the oldest. */
  #remember(key: string, pair: Pair): void {
    this.#pairs.delete(key);
    this.#pairs.set(key, pair);
    while (this.#pairs.size > this.#settings.loginThrottleMaxPairs) {
      const oldest = this.#pairs.keys().next();
      if (oldest.done) break;
      this.#pairs.delete(oldest.value);
    }
  }
}
