/**
 * Signing in and out, free of HTTP: checks a username and password through the throttle
 * and starts a new session, auditing every outcome. From outside, every refusal looks the
 * same whether the username exists or not: an unknown, disabled or wrong-password attempt
 * costs one user lookup, one argon2 verification and one audit row; a throttled one (the
 * throttle keys on the name as typed, existing or not) one lookup and one audit row.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import type { User } from '../db/tables/users.table.ts';
import { findById, findByUsername, insertAudit } from '../graphql/users/users.repository.ts';
import { clockOf, type AuthDeps } from './auth-deps.ts';
import type { LoginThrottle } from './login-throttle.ts';
import { verifyDummy, verifyPassword } from './password.ts';
import {
  createSession,
  hashToken,
  isWellFormedToken,
  purgeExpiredSessions,
  revokeSession,
} from './sessions.ts';
import type { NewSession } from './sessions.ts';
import type { Viewer } from './viewer.ts';

/** Sign-in needs the throttle besides what every auth handler has. */
export interface SignInDeps extends AuthDeps {
  throttle: LoginThrottle;
}

export interface SignInAttempt {
  username: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
  /** The session token the browser still presented, if any: it is revoked on success. */
  previousToken: string | undefined;
}

/** Why a sign-in was refused; stored as the reason code in audit_log.detail, never answered. */
export type SignInFailure = 'unknown_user' | 'wrong_password' | 'disabled' | 'throttled';

export type SignInResult =
  | { ok: true; user: User; session: NewSession }
  /** `retryAfterSeconds` is set exactly when `reason` is 'throttled'. */
  | { ok: false; reason: SignInFailure; retryAfterSeconds: number | null };

interface Attempt {
  deps: SignInDeps;
  input: SignInAttempt;
  now: Date;
  user: User | undefined;
}

function audit(
  db: Kysely<Database>,
  { input, now, user }: Attempt,
  outcome: 'ok' | 'failed',
  detail: string | null,
): Promise<void> {
  // Only known usernames are kept: an unknown "username" is often a password typed into
  // the wrong box, so what was attempted is not recorded (the reason and IP are).
  const name = user?.username ?? null;
  const userId = user?.user_id ?? null;
  return insertAudit(db, {
    at: now,
    userId,
    username: name,
    action: 'auth.login',
    target: name,
    outcome,
    detail,
    ip: input.ip,
  });
}

async function refuse(
  db: Kysely<Database>,
  attempt: Attempt,
  reason: SignInFailure,
  retryAfterSeconds: number | null = null,
): Promise<SignInResult> {
  await audit(db, attempt, 'failed', reason);
  const { log } = attempt.deps;
  const fields = { event: 'auth.login', reason, userId: attempt.user?.user_id };
  if (reason === 'throttled') log.warn({ ...fields, retryAfterSeconds }, 'sign-in throttled');
  else log.info(fields, 'sign-in refused');
  return { ok: false, reason, retryAfterSeconds };
}

async function startSession(
  db: Kysely<Database>,
  attempt: Attempt,
  user: User,
): Promise<SignInResult> {
  const { deps, input, now } = attempt;
  // A new token on every sign-in (no session fixation); the browser's old one dies here.
  if (input.previousToken) await revokeSession(db, hashToken(input.previousToken));
  await purgeExpiredSessions(db, now, deps.config);
  const session = await createSession(db, {
    userId: user.user_id,
    now,
    config: deps.config,
    ip: input.ip,
    userAgent: input.userAgent,
  });
  await audit(db, attempt, 'ok', null);
  deps.log.info({ event: 'auth.login', userId: user.user_id }, 'signed in');
  return { ok: true, user, session };
}

/** Decides one sign-in attempt; every write (session, audit) goes through the writer. */
export async function signIn(deps: SignInDeps, input: SignInAttempt): Promise<SignInResult> {
  const now = clockOf(deps)();
  const admission = deps.throttle.admit(input.username, input.ip, now);
  // Looked up before the throttle's answer is used, so a throttled attempt costs the same
  // for an existing name as for a made-up one (and the audit row can name a real user).
  const user = await findByUsername(deps.db, input.username);
  const attempt: Attempt = { deps, input, now, user };
  if (!admission.admitted) {
    const wait = admission.retryAfterSeconds;
    return deps.writer.write(({ db }) => refuse(db, attempt, 'throttled', wait));
  }
  if (!user || user.disabled) {
    await verifyDummy(input.password);
    return deps.writer.write(({ db }) => refuse(db, attempt, user ? 'disabled' : 'unknown_user'));
  }
  if (!(await verifyPassword(user.password_hash, input.password))) {
    return deps.writer.write(({ db }) => refuse(db, attempt, 'wrong_password'));
  }
  const result = await deps.writer.write(async ({ db }) => {
    // Re-read under the writer: the account may have been disabled meanwhile.
    const fresh = await findById(db, user.user_id);
    if (!fresh || fresh.disabled) return refuse(db, attempt, 'disabled');
    return startSession(db, attempt, fresh);
  });
  if (result.ok) deps.throttle.success(input.username, input.ip);
  return result;
}

/**
 * Ends the browser's session: the viewer's, or a dead one its cookie still names. Audited
 * when someone was signed in; a no-op otherwise.
 */
export async function signOut(
  deps: AuthDeps,
  input: { viewer: Viewer | undefined; token: string | undefined; ip: string | null },
): Promise<void> {
  const { viewer, token, ip } = input;
  const tokenHash =
    viewer?.sessionHash ?? (token && isWellFormedToken(token) ? hashToken(token) : null);
  if (!tokenHash) return;
  await deps.writer.write(async ({ db }) => {
    await revokeSession(db, tokenHash);
    if (!viewer) return;
    const { userId, username } = viewer;
    await insertAudit(db, {
      at: clockOf(deps)(),
      userId,
      username,
      action: 'auth.logout',
      target: username,
      outcome: 'ok',
      detail: null,
      ip,
    });
  });
  if (viewer) deps.log.info({ event: 'auth.logout', userId: viewer.userId }, 'signed out');
}
