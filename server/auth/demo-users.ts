/**
 * The demo's three sign-ins, one per role. Run after the demo district is loaded and its
 * flags judged, so the supervising inspector is a real inspector of the assignments files
 * with open flags on their schools to act on.
 */
import { randomInt } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { OPEN_FLAG_STATUSES } from '../db/flag-statuses.ts';
import { assignmentPeriodsSql } from '../db/remit.ts';
import type { Database } from '../db/database.ts';
import type { Role } from '../db/tables/users.table.ts';
import type { WarehouseWriter } from '../db/writer.ts';
import {
  findByUsername,
  inspectorName,
  inspectorWithMostOpenFlags,
  insertAudit,
  insertUser,
  setDisabled,
  setPassword,
  updateProfile,
} from '../graphql/users/users.repository.ts';
import { hashPassword, passwordPolicyViolation } from './password.ts';
import { revokeAllForUser } from './sessions.ts';
import { ROLE_LABEL } from '../db/roles.ts';

/** One demo sign-in as the demo prints it (the password is the one passed in). */
export interface DemoUser {
  username: string;
  role: Role;
  name: string;
  /** 督学编号 for the supervising inspector; null for the district-wide roles. */
  inspectorId: string | null;
  /** The school of the demo's school reporter (absent for every other demo user). */
  schoolCode?: string;
  /** The township of the demo's township reviewer (absent for every other demo user). */
  township?: string;
}

/** A demo password the policy refuses: the demo stops and says why before it loads anything. */
export class DemoPasswordError extends Error {}

/** 16 characters without look-alikes (0/O, 1/l/I), typed by hand from the terminal. */
function randomPassword(): string {
  const alphabet = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return Array.from({ length: 16 }, () => alphabet[randomInt(alphabet.length)]).join('');
}

function checkDemoPassword(password: string): void {
  const violation = passwordPolicyViolation(password);
  if (violation) {
    throw new DemoPasswordError(
      `KEHOU_DEMO_PASSWORD 不符合密码规则 / does not meet the password policy: ${violation}`,
    );
  }
}

/**
 * The demo users' password: KEHOU_DEMO_PASSWORD when set (it must pass the same policy as
 * any password, else DemoPasswordError says why), or a random one that passes.
 */
export function demoPassword(env: NodeJS.ProcessEnv = process.env): string {
  const chosen = env.KEHOU_DEMO_PASSWORD;
  if (chosen) {
    checkDemoPassword(chosen);
    return chosen;
  }
  // 16 random characters are long enough and practically never a listed password; the loop
  // makes "practically" certain.
  let password = randomPassword();
  while (passwordPolicyViolation(password)) password = randomPassword();
  return password;
}

/** The demo's sign-ins; the demo generator's casework acts as them (etl/demo). */
export const DEMO_USERNAMES = {
  bureau: 'demo-bureau',
  leader: 'demo-leader',
  inspector: 'demo-inspector',
  school: 'demo-school',
  township: 'demo-township',
} as const;
export const DEMO_BUREAU_NAME = `演示${ROLE_LABEL.BUREAU_INSPECTOR}`;

/** Used when no assignments are loaded: the first id of the demo district's numbering. */
export const FALLBACK_INSPECTOR_ID = 'DX001';

async function demoUsers(db: Kysely<Database>, featured?: string): Promise<DemoUser[]> {
  const inspectorId = featured ?? (await inspectorWithMostOpenFlags(db)) ?? FALLBACK_INSPECTOR_ID;
  const name = (await inspectorName(db, inspectorId)) ?? `演示${ROLE_LABEL.SUPERVISING_INSPECTOR}`;
  return [
    {
      username: DEMO_USERNAMES.bureau,
      role: 'BUREAU_INSPECTOR',
      name: DEMO_BUREAU_NAME,
      inspectorId: null,
    },
    {
      username: DEMO_USERNAMES.leader,
      role: 'LEADERSHIP',
      name: `演示${ROLE_LABEL.LEADERSHIP}`,
      inspectorId: null,
    },
    { username: DEMO_USERNAMES.inspector, role: 'SUPERVISING_INSPECTOR', name, inspectorId },
    ...(await schoolSideUsers(db, inspectorId)),
  ];
}

/**
 * The school side's demo sign-ins: the reporter of the demo 督学's school with the most
 * open flags now (smallest code on ties), so their month has rectifications to answer, and
 * the reviewer of that school's township. None when the 督学 has no school.
 */
async function schoolSideUsers(db: Kysely<Database>, inspectorId: string): Promise<DemoUser[]> {
  const result = await sql<{ school_code: string; school_name: string; township: string }>`
    SELECT p.school_code, any_value(s.school_name) AS school_name, any_value(s.township) AS township
    FROM (${assignmentPeriodsSql(inspectorId)}) p
    JOIN schools s ON s.school_code = p.school_code
    LEFT JOIN flags f ON f.school_code = p.school_code
      AND f.status IN (${sql.join(OPEN_FLAG_STATUSES.map((status) => sql`${status}`))})
    WHERE p.valid_until IS NULL
    GROUP BY p.school_code
    ORDER BY count(f.flag_id) DESC, p.school_code
    LIMIT 1`.execute(db);
  const school = result.rows[0];
  if (!school) return [];
  return [
    {
      username: DEMO_USERNAMES.school,
      role: 'SCHOOL_REPORTER',
      name: `${school.school_name}${ROLE_LABEL.SCHOOL_REPORTER}`,
      inspectorId: null,
      schoolCode: school.school_code,
    },
    {
      username: DEMO_USERNAMES.township,
      role: 'TOWNSHIP_REVIEWER',
      name: `${school.township}${ROLE_LABEL.TOWNSHIP_REVIEWER}`,
      inspectorId: null,
      township: school.township,
    },
  ];
}

/**
 * Creates `demo-bureau`, `demo-leader`, `demo-inspector`, `demo-school` and
 * `demo-township`, or resets them (profile,
 * password, enabled, signed out everywhere) when they exist. Idempotent. Refuses a
 * password the policy refuses (DemoPasswordError), like `users add` does. The
 * supervising inspector is `inspectorId` (the demo generator's featured inspector) when
 * given, else the inspector whose schools have most open flags.
 */
export async function ensureDemoUsers(
  writer: WarehouseWriter,
  db: Kysely<Database>,
  password: string,
  inspectorId?: string,
): Promise<DemoUser[]> {
  checkDemoPassword(password);
  const users = await demoUsers(db, inspectorId);
  const hashes = await Promise.all(users.map(() => hashPassword(password)));
  await writer.write(async ({ db: w }) => {
    for (const [index, user] of users.entries()) {
      const passwordHash = hashes[index]!;
      const profile = {
        displayName: user.name,
        role: user.role,
        inspectorId: user.inspectorId,
        schoolCode: user.schoolCode ?? null,
        township: user.township ?? null,
      };
      const existing = await findByUsername(w, user.username);
      if (existing) {
        await updateProfile(w, existing.user_id, profile);
        await setPassword(w, existing.user_id, passwordHash);
        await setDisabled(w, existing.user_id, false);
        await revokeAllForUser(w, existing.user_id);
      } else {
        await insertUser(w, { username: user.username, passwordHash, ...profile });
      }
      await insertAudit(w, {
        at: new Date(),
        userId: null,
        username: 'demo',
        action: existing ? 'users.reset' : 'users.add',
        target: user.username,
        outcome: 'ok',
        detail: `role=${user.role}`,
        ip: null,
      });
    }
  });
  return users;
}

/** A supervising inspector's sign-in the demo's casework acts as (visits, 整改 steps). */
export interface InspectorAccount {
  username: string;
  name: string;
  inspectorId: string;
}

/**
 * Creates the accounts of the demo's other visiting inspectors, each with a random password
 * nobody is told (the bureau would hand theirs out); existing ones are left as they are.
 * Their visits and steps then carry a real user, as every visit and step must.
 */
export async function ensureInspectorAccounts(
  writer: WarehouseWriter,
  accounts: readonly InspectorAccount[],
): Promise<void> {
  const hashes = await Promise.all(accounts.map(() => hashPassword(demoPassword({}))));
  await writer.write(async ({ db: w }) => {
    for (const [index, account] of accounts.entries()) {
      if (await findByUsername(w, account.username)) continue;
      await insertUser(w, {
        username: account.username,
        passwordHash: hashes[index]!,
        displayName: account.name,
        role: 'SUPERVISING_INSPECTOR',
        inspectorId: account.inspectorId,
      });
      await insertAudit(w, {
        at: new Date(),
        userId: null,
        username: 'demo',
        action: 'users.add',
        target: account.username,
        outcome: 'ok',
        detail: 'role=SUPERVISING_INSPECTOR',
        ip: null,
      });
    }
  });
}
