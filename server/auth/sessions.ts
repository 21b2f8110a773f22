/**
 * Server-side sessions. The cookie carries 32 random bytes; the warehouse keeps only their
 * sha256, so a copied warehouse file cannot be used to sign in. A session ends after
 * `idleMinutes` without use, `absoluteHours` after sign-in, when revoked, or when its user
 * is disabled. Writes take the writer's handle; `findSession` reads the pooled one.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import type { AuthConfig } from './auth-config.ts';
import type { Viewer } from './viewer.ts';

/** Sliding expiry is written at most this often per session, not on every request. */
export const TOUCH_INTERVAL_MS = 60_000;

type Timing = Pick<AuthConfig, 'idleMinutes' | 'absoluteHours'>;

function instant(at: Date) {
  return sql<Date>`CAST(${at.toISOString()} AS TIMESTAMPTZ)`;
}

/** sha256 (hex) of a cookie token: the only form a token is stored or logged in. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A token as issued: 43 base64url characters. Anything else is not looked up. */
export function isWellFormedToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/u.test(token);
}

export interface NewSession {
  /** Goes to the cookie only; never stored, never logged. */
  token: string;
  tokenHash: string;
  expiresAt: Date;
}

/** Starts a session for `userId` at `now`; it can last until now + absoluteHours. */
export async function createSession(
  db: Kysely<Database>,
  input: { userId: number; now: Date; config: Timing; ip: string | null; userAgent: string | null },
): Promise<NewSession> {
  const token = randomBytes(32).toString('base64url');
  const tokenHash = hashToken(token);
  const expiresAt = new Date(input.now.getTime() + input.config.absoluteHours * 3_600_000);
  await db
    .insertInto('sessions')
    .values({
      token_hash: tokenHash,
      user_id: input.userId,
      created_at: instant(input.now),
      last_seen_at: instant(input.now),
      expires_at: instant(expiresAt),
      ip: input.ip,
      user_agent: input.userAgent,
    })
    .execute();
  return { token, tokenHash, expiresAt };
}

/** A live session with its user. */
export interface ActiveSession {
  viewer: Viewer;
  lastSeenAt: Date;
  expiresAt: Date;
}

/** The live session of `token` at `now`, or null: unknown, expired, or its user disabled. */
export async function findSession(
  db: Kysely<Database>,
  token: string,
  now: Date,
  config: Timing,
): Promise<ActiveSession | null> {
  if (!isWellFormedToken(token)) return null;
  const tokenHash = hashToken(token);
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.user_id', 's.user_id')
    .select(['s.last_seen_at', 's.expires_at', 'u.user_id', 'u.username', 'u.display_name'])
    .select(['u.role', 'u.inspector_id', 'u.school_code', 'u.township', 'u.disabled'])
    .where('s.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!row || row.disabled) return null;
  const lastSeenAt = new Date(row.last_seen_at);
  const expiresAt = new Date(row.expires_at);
  const idleUntil = lastSeenAt.getTime() + config.idleMinutes * 60_000;
  if (now.getTime() >= expiresAt.getTime() || now.getTime() >= idleUntil) return null;
  const viewer: Viewer = {
    userId: row.user_id,
    username: row.username,
    name: row.display_name,
    role: row.role,
    inspectorId: row.inspector_id,
    schoolCode: row.school_code,
    township: row.township,
    sessionHash: tokenHash,
  };
  return { viewer, lastSeenAt, expiresAt };
}

/** True when the session's last_seen_at is old enough to be worth writing again. */
export function shouldTouch(session: Pick<ActiveSession, 'lastSeenAt'>, now: Date): boolean {
  return now.getTime() - session.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS;
}

/** Moves last_seen_at forward to `now` (never back: requests may finish out of order). */
export async function touchSession(
  db: Kysely<Database>,
  tokenHash: string,
  now: Date,
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: instant(now) })
    .where('token_hash', '=', tokenHash)
    .where('last_seen_at', '<', instant(now))
    .execute();
}

/** Ends one session (sign-out, or a new sign-in from the same browser). */
export async function revokeSession(db: Kysely<Database>, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

/** Ends every session of a user (disabled, or password changed). */
export async function revokeAllForUser(db: Kysely<Database>, userId: number): Promise<number> {
  const result = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Ends every session of a user but `keepTokenHash` (their own password changed there). */
export async function revokeOthersForUser(
  db: Kysely<Database>,
  userId: number,
  keepTokenHash: string,
): Promise<number> {
  const result = await db
    .deleteFrom('sessions')
    .where('user_id', '=', userId)
    .where('token_hash', '<>', keepTokenHash)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes sessions past their absolute or idle expiry at `now`; returns how many. */
export async function purgeExpiredSessions(
  db: Kysely<Database>,
  now: Date,
  config: Timing,
): Promise<number> {
  const idleSince = new Date(now.getTime() - config.idleMinutes * 60_000);
  const result = await db
    .deleteFrom('sessions')
    .where((eb) =>
      eb.or([eb('expires_at', '<=', instant(now)), eb('last_seen_at', '<=', instant(idleSince))]),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
