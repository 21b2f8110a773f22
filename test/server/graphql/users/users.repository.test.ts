import { describe, expect, it } from 'vitest';
import { WarehouseWriter } from '../../../../server/db/writer.ts';
import {
  findByUsername,
  insertUser,
  setDisabled,
  setPassword,
} from '../../../../server/graphql/users/users.repository.ts';
import { useWarehouse } from '../../../helpers/with-warehouse.ts';

const warehouse = useWarehouse();

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

describe('setPassword and setDisabled', () => {
  it('replace the hash and toggle the account, nothing else', async () => {
    await withUser(async (writer, userId) => {
      await writer.write(({ db }) => setPassword(db, userId, 'y'));
      await writer.write(({ db }) => setDisabled(db, userId, true));
      expect(await findByUsername(warehouse().db, 'chen.jing')).toMatchObject({
        user_id: userId,
        display_name: '陈静',
        password_hash: 'y',
        disabled: true,
      });
      await writer.write(({ db }) => setDisabled(db, userId, false));
      expect((await findByUsername(warehouse().db, 'chen.jing'))?.disabled).toBe(false);
    });
  });

  it('leave no sign-in lock columns behind (migration 5 dropped them)', async () => {
    await withUser(async () => {
      const user = await findByUsername(warehouse().db, 'chen.jing');
      expect(Object.keys(user ?? {})).not.toContain('failed_logins');
      expect(Object.keys(user ?? {})).not.toContain('locked_until');
    });
  });
});
