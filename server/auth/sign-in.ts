/**
 * Signing in and out, free of HTTP: checks a username and password, applies the lockout
 * and starts a new session, auditing every outcome. Unknown, disabled and wrong-password
 * attempts each cost one argon2 verification, so their timing does not tell them apart.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import type { User } from '../db/tables/users.table.ts';
import {
  findById,
  findByUsername,
  insertAudit,
  recordFailure,
  recordSuccess,
} from '../graphql/users/users.repository.ts';
import { clockOf, type AuthDeps } from './auth-deps.ts';
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

export interface SignInAttempt {
  username: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
  /** The session token the browser still presented, if any: it is revoked on success. */
  previousToken: string | undefined;
}

/** Why a sign-in was refused; stored as the reason code in audit_log.detail. */
export type SignInFailure = 'unknown_user' | 'wrong_password' | 'disabled' | 'locked';

export type SignInResult =
  | { ok: true; user: User; session: NewSession }
  /** `lockedUntil` is set exactly when `reason` is 'locked'. */
  | { ok: false; reason: SignInFailure; lockedUntil: Date | null };

interface Attempt {
  deps: AuthDeps;
  input: SignInAttempt;
  now: Date;
  user: User | undefined;
}

function lockedUntil(user: User, now: Date): Date | null {
  if (user.locked_until === null) return null;
  const until = new Date(user.locked_until);
  return until.getTime() > now.getTime() ? until : null;
}

function audit(
  db: Kysely<Database>,
  { input, now, user }: Attempt,
  action: 'auth.login' | 'auth.lockout',
  outcome: 'ok' | 'failed' | 'denied',
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
    action,
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
  until: Date | null = null,
): Promise<SignInResult> {
  await audit(db, attempt, 'auth.login', 'failed', reason);
  attempt.deps.log.info(
    { event: 'auth.login', reason, userId: attempt.user?.user_id },
    'sign-in refused',
  );
  return { ok: false, reason, lockedUntil: until };
}

async function wrongPassword(
  db: Kysely<Database>,
  attempt: Attempt,
  user: User,
): Promise<SignInResult> {
  const { now, deps } = attempt;
  const state = await recordFailure(db, user.user_id, { now, ...deps.config });
  const refused = await refuse(db, attempt, 'wrong_password');
  if (state.lockedUntil === null || state.lockedUntil <= now) return refused;
  const detail = `failures=${state.failedLogins}; until=${state.lockedUntil.toISOString()}`;
  await audit(db, attempt, 'auth.lockout', 'denied', detail);
  deps.log.warn({ event: 'auth.lockout', userId: user.user_id }, 'account locked');
  return { ok: false, reason: 'locked', lockedUntil: state.lockedUntil };
}

async function startSession(
  db: Kysely<Database>,
  attempt: Attempt,
  user: User,
): Promise<SignInResult> {
  const { deps, input, now } = attempt;
  await recordSuccess(db, user.user_id);
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
  await audit(db, attempt, 'auth.login', 'ok', null);
  deps.log.info({ event: 'auth.login', userId: user.user_id }, 'signed in');
  return { ok: true, user, session };
}

/** Decides one sign-in attempt; every write (counters, session, audit) goes through the writer. */
export async function signIn(deps: AuthDeps, input: SignInAttempt): Promise<SignInResult> {
  const now = clockOf(deps)();
  const user = await findByUsername(deps.db, input.username);
  const attempt: Attempt = { deps, input, now, user };
  if (!user || user.disabled) {
    await verifyDummy(input.password);
    return deps.writer.write(({ db }) => refuse(db, attempt, user ? 'disabled' : 'unknown_user'));
  }
  const locked = lockedUntil(user, now);
  if (locked) return deps.writer.write(({ db }) => refuse(db, attempt, 'locked', locked));
  const matches = await verifyPassword(user.password_hash, input.password);
  return deps.writer.write(async ({ db }) => {
    // Re-read under the writer: a concurrent attempt may have locked the account meanwhile.
    const fresh = (await findById(db, user.user_id)) ?? user;
    const until = lockedUntil(fresh, now);
    if (fresh.disabled) return refuse(db, attempt, 'disabled');
    if (until) return refuse(db, attempt, 'locked', until);
    return matches ? startSession(db, attempt, fresh) : wrongPassword(db, attempt, fresh);
  });
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
