import { describe, expect, it } from 'vitest';
import { WarehouseWriter } from '../../../../server/db/writer.ts';
import {
  findByUsername,
  insertUser,
  recordFailure,
  recordSuccess,
} from '../../../../server/graphql/users/users.repository.ts';
import { useWarehouse } from '../../../helpers/with-warehouse.ts';

const warehouse = useWarehouse();
const T0 = new Date('2025-03-03T08:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const policy = (now: Date) => ({ now, maxFailures: 3, lockMinutes: 15 });

async function withUser<T>(fn: (writer: WarehouseWriter, userId: number) => Promise<T>) {
  const writer = await WarehouseWriter.open(warehouse());
  try {
    const userId = await writer.write(({ db }) =>
      insertUser(db, {
        username: 'chen.jing',
        displayName: '陈静',
        role: 'LEADERSHIP',
        inspectorId: null,
        passwordHash: 'x',
      }),
    );
    return await fn(writer, userId);
  } finally {
    await writer.close();
  }
}

describe('recordFailure', () => {
  it('counts failures and locks for lockMinutes when the count reaches maxFailures', async () => {
    await withUser(async (writer, userId) => {
      const fail = (now: Date) => writer.write(({ db }) => recordFailure(db, userId, policy(now)));
      expect(await fail(T0)).toEqual({ failedLogins: 1, lockedUntil: null });
      expect(await fail(at(1))).toEqual({ failedLogins: 2, lockedUntil: null });
      expect(await fail(at(2))).toEqual({ failedLogins: 3, lockedUntil: at(17) });
    });
  });

  it('starts the count afresh once a lock has run out', async () => {
    await withUser(async (writer, userId) => {
      const fail = (now: Date) => writer.write(({ db }) => recordFailure(db, userId, policy(now)));
      for (const minutes of [0, 1, 2]) await fail(at(minutes));
      expect(await fail(at(17))).toEqual({ failedLogins: 1, lockedUntil: null });
    });
  });
});

describe('recordSuccess', () => {
  it('clears the failure count and the lock', async () => {
    await withUser(async (writer, userId) => {
      for (const minutes of [0, 1, 2]) {
        await writer.write(({ db }) => recordFailure(db, userId, policy(at(minutes))));
      }
      await writer.write(({ db }) => recordSuccess(db, userId));
      const user = await findByUsername(warehouse().db, 'chen.jing');
      expect(user).toMatchObject({ failed_logins: 0, locked_until: null });
    });
  });
});
