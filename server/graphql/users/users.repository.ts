/**
 * Users and the audit log, one query per function. Reads take the pooled handle; writes
 * take the writer's handle (`writer.write(({ db }) => …)`), never the pooled one.
 *
 * Instants are bound as ISO strings cast to TIMESTAMPTZ (the DuckDB driver cannot bind a
 * Date) and come back as JS Dates.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { flagOpenSql } from '../../db/flag-statuses.ts';
import { assignmentPeriodsSql } from '../../db/remit.ts';
import type { AuditLogTable, Role, User } from '../../db/tables/users.table.ts';

/** The rule for usernames (ASCII so they type the same on every keyboard and log). */
export const USERNAME_PATTERN = /^[A-Za-z0-9._-]{2,40}$/u;

/** An instant as a TIMESTAMPTZ parameter. */
function instant(at: Date) {
  return sql<Date>`CAST(${at.toISOString()} AS TIMESTAMPTZ)`;
}

export function findByUsername(db: Kysely<Database>, username: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export function findById(db: Kysely<Database>, userId: number): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

/** Every user, by username. */
export function listUsers(db: Kysely<Database>): Promise<User[]> {
  return db.selectFrom('users').selectAll().orderBy('username').execute();
}

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  /** 督学编号; null for district-wide roles. */
  inspectorId: string | null;
  /** 学校标识码 of a school reporter; null (or absent) for every other role. */
  schoolCode?: string | null;
  /** Township of a township reviewer; null (or absent) for every other role. */
  township?: string | null;
  passwordHash: string;
}

/** Inserts a user and returns its id; a taken username fails on the UNIQUE constraint. */
export async function insertUser(db: Kysely<Database>, user: NewUser): Promise<number> {
  const row = await db
    .insertInto('users')
    .values({
      username: user.username,
      display_name: user.displayName,
      role: user.role,
      inspector_id: user.inspectorId,
      school_code: user.schoolCode ?? null,
      township: user.township ?? null,
      password_hash: user.passwordHash,
    })
    .returning('user_id')
    .executeTakeFirstOrThrow();
  return row.user_id;
}

/** Rewrites name, role and bindings of an existing user (demo reset). */
export async function updateProfile(
  db: Kysely<Database>,
  userId: number,
  profile: Pick<NewUser, 'displayName' | 'role' | 'inspectorId' | 'schoolCode' | 'township'>,
): Promise<void> {
  await db
    .updateTable('users')
    .set({
      display_name: profile.displayName,
      role: profile.role,
      inspector_id: profile.inspectorId,
      school_code: profile.schoolCode ?? null,
      township: profile.township ?? null,
      updated_at: sql`now()`,
    })
    .where('user_id', '=', userId)
    .execute();
}

/** Rewrites name, role and every binding of an existing user (the bureau's user management). */
export async function updateAccount(
  db: Kysely<Database>,
  userId: number,
  account: Pick<NewUser, 'displayName' | 'role' | 'inspectorId'> & {
    schoolCode: string | null;
    township: string | null;
  },
): Promise<void> {
  await db
    .updateTable('users')
    .set({
      display_name: account.displayName,
      role: account.role,
      inspector_id: account.inspectorId,
      school_code: account.schoolCode,
      township: account.township,
      updated_at: sql`now()`,
    })
    .where('user_id', '=', userId)
    .execute();
}

/** A user as the bureau's list shows it: the bindings' names, never the password hash. */
export interface AccountRow {
  user_id: number;
  username: string;
  display_name: string;
  role: Role;
  inspector_id: string | null;
  inspector_name: string | null;
  school_code: string | null;
  school_name: string | null;
  township: string | null;
  disabled: boolean;
  created_at: Date;
  updated_at: Date;
  /** Rows matching the filter, before paging. */
  total: number;
}

export interface AccountFilter {
  role?: Role | null | undefined;
  /** Matched case-insensitively against username, name, 督学编号, school code and township. */
  query?: string | null | undefined;
  /** Only this user (for the answer of a mutation). */
  userId?: number;
}

/** One page of accounts by username, with the names of their bindings. */
export async function accountPage(
  db: Kysely<Database>,
  filter: AccountFilter,
  page: { limit: number; offset: number },
): Promise<AccountRow[]> {
  const text = filter.query?.trim();
  // ILIKE with the user's text as a literal: % and _ typed by someone are not wildcards.
  const pattern = text ? `%${text.replace(/[\\%_]/gu, (c) => `\\${c}`)}%` : null;
  const result = await sql<AccountRow>`
    SELECT u.user_id, u.username, u.display_name, u.role, u.inspector_id, u.school_code,
      u.township, u.disabled, u.created_at, u.updated_at,
      (SELECT i.inspector_name FROM inspectors i WHERE i.inspector_id = u.inspector_id
        ORDER BY i.batch_id DESC LIMIT 1) AS inspector_name,
      (SELECT s.school_name FROM schools s WHERE s.school_code = u.school_code
        ORDER BY s.batch_id DESC LIMIT 1) AS school_name,
      count(*) OVER ()::INTEGER AS total
    FROM users u
    WHERE TRUE
      ${filter.role ? sql`AND u.role = ${filter.role}` : sql``}
      ${filter.userId === undefined ? sql`` : sql`AND u.user_id = ${filter.userId}`}
      ${
        pattern === null
          ? sql``
          : sql`AND (u.username ILIKE ${pattern} ESCAPE '\\' OR u.display_name ILIKE ${pattern} ESCAPE '\\'
              OR coalesce(u.inspector_id, '') ILIKE ${pattern} ESCAPE '\\'
              OR coalesce(u.school_code, '') ILIKE ${pattern} ESCAPE '\\'
              OR coalesce(u.township, '') ILIKE ${pattern} ESCAPE '\\')`
      }
    ORDER BY u.username
    LIMIT ${page.limit} OFFSET ${page.offset}`.execute(db);
  return result.rows;
}

/** Replaces the password hash. */
export async function setPassword(
  db: Kysely<Database>,
  userId: number,
  passwordHash: string,
): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: passwordHash, updated_at: sql`now()` })
    .where('user_id', '=', userId)
    .execute();
}

/** Disables or re-enables a user. */
export async function setDisabled(
  db: Kysely<Database>,
  userId: number,
  disabled: boolean,
): Promise<void> {
  await db
    .updateTable('users')
    .set({ disabled, updated_at: sql`now()` })
    .where('user_id', '=', userId)
    .execute();
}

/** One audit event. Never put a password, token or cookie in any field. */
export interface AuditEntry {
  /** When it happened (the server's clock, injectable in tests). */
  at: Date;
  /** The acting dashboard user, when known. */
  userId: number | null;
  /** The acting user's name (or the OS user for the `users` command). */
  username: string | null;
  /** Dotted action name, e.g. `auth.login`, `users.add`. */
  action: string;
  /** What the action was applied to, e.g. the username changed. */
  target: string | null;
  outcome: AuditLogTable['outcome'];
  /** A reason code or short note such as `wrong_password`. */
  detail: string | null;
  ip: string | null;
}

export async function insertAudit(db: Kysely<Database>, entry: AuditEntry): Promise<void> {
  await insertAudits(db, [entry]);
}

/** Audit rows of one action over many targets (a step on many units), in one statement. */
export async function insertAudits(
  db: Kysely<Database>,
  entries: readonly AuditEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto('audit_log')
    .values(
      entries.map((entry) => ({
        occurred_at: instant(entry.at),
        user_id: entry.userId,
        username: entry.username,
        action: entry.action,
        target: entry.target,
        outcome: entry.outcome,
        detail: entry.detail,
        ip: entry.ip,
      })),
    )
    .execute();
}

/**
 * The demo's supervising inspector: the one whose currently assigned schools carry the
 * most open flags (server/db/flag-statuses.ts), so signing in shows work to act on; ties go to
 * the most current schools, then the smallest id. Undefined when nothing is assigned.
 */
export async function inspectorWithMostOpenFlags(
  db: Kysely<Database>,
): Promise<string | undefined> {
  const result = await sql<{ inspector_id: string }>`
    WITH current_schools AS (
      SELECT DISTINCT inspector_id, school_code FROM (${assignmentPeriodsSql(null)}) p
      WHERE valid_until IS NULL),
    open_flags AS (
      SELECT school_code, count(*) AS n FROM flags f
      WHERE ${flagOpenSql('f')} GROUP BY school_code)
    SELECT c.inspector_id
    FROM current_schools c LEFT JOIN open_flags f ON f.school_code = c.school_code
    GROUP BY c.inspector_id
    ORDER BY coalesce(sum(f.n), 0) DESC, count(*) DESC, c.inspector_id
    LIMIT 1`.execute(db);
  return result.rows[0]?.inspector_id;
}

/** The inspector's name from the latest assignments file, or null when unknown. */
export async function inspectorName(
  db: Kysely<Database>,
  inspectorId: string,
): Promise<string | null> {
  const row = await db
    .selectFrom('inspectors')
    .where('inspector_id', '=', inspectorId)
    .orderBy('batch_id', 'desc')
    .select('inspector_name')
    .limit(1)
    .executeTakeFirst();
  return row?.inspector_name ?? null;
}
