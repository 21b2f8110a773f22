/**
 * Eight audit rows, one of each family the trail shows plus a failed sign-in and an action
 * the vocabulary does not know, at fixed Asia/Shanghai times (row 4 at 00:30 on 11-03 is
 * still 11-02 in UTC), and the two users they name.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../../server/db/database.ts';
import { insertAudit } from '../../../../server/graphql/users/users.repository.ts';

type Row = [
  string,
  number | null,
  string,
  string,
  string | null,
  'ok' | 'denied' | 'failed',
  string | null,
  string | null,
];

// at (+08:00), user_id, username, action, target, outcome, detail, ip
export const AUDIT_SEED: readonly Row[] = [
  ['2025-11-01T09:00:00', 1, 'bureau', 'auth.login', null, 'ok', null, '10.0.0.1'],
  ['2025-11-01T09:05:00', 1, 'bureau', 'upload', '月报.csv', 'ok', '{"files":1}', '10.0.0.1'],
  [
    '2025-11-02T23:30:00',
    3,
    'dx01',
    'flags.request_rectification',
    'flag:7',
    'ok',
    'OPEN→RECTIFYING',
    null,
  ],
  ['2025-11-03T00:30:00', 3, 'dx01', 'visits.record', '1000000002', 'denied', 'not_assigned', null],
  [
    '2025-11-03T10:00:00',
    null,
    'root',
    'users.add',
    'dx03',
    'ok',
    'role=SUPERVISING_INSPECTOR',
    null,
  ],
  [
    '2025-11-04T08:00:00',
    null,
    'mallory',
    'auth.login',
    null,
    'failed',
    'wrong_password',
    '10.0.0.9',
  ],
  ['2025-11-04T09:00:00', 1, 'bureau', 'something.new', null, 'failed', 'xyz', null],
  ['2025-11-04T10:00:00', 1, 'bureau', 'DOUBT_VERIFIED', 'doubt:3', 'ok', '核实无误', null],
];

export async function seedAudit(db: Kysely<Database>): Promise<void> {
  await db
    .insertInto('users')
    .values([
      {
        user_id: 1,
        username: 'bureau',
        display_name: '王科长',
        role: 'BUREAU_INSPECTOR',
        inspector_id: null,
        password_hash: 'x',
      },
      {
        user_id: 3,
        username: 'dx01',
        display_name: '张督学',
        role: 'SUPERVISING_INSPECTOR',
        inspector_id: 'DX01',
        password_hash: 'x',
      },
    ] as never)
    .execute();
  for (const [at, userId, username, action, target, outcome, detail, ip] of AUDIT_SEED)
    await insertAudit(db, {
      at: new Date(`${at}+08:00`),
      userId,
      username,
      action,
      target,
      outcome,
      detail,
      ip,
    });
}
