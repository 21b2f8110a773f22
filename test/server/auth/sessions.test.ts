import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  TOUCH_INTERVAL_MS,
  createSession,
  findSession,
  hashToken,
  purgeExpiredSessions,
  revokeAllForUser,
  revokeSession,
  shouldTouch,
  touchSession,
} from '../../../server/auth/sessions.ts';
import type { Warehouse } from '../../../server/db/connect.ts';
import { WarehouseWriter } from '../../../server/db/writer.ts';
import { insertUser, setDisabled } from '../../../server/graphql/users/users.repository.ts';
import { query, useWarehouse } from '../../helpers/with-warehouse.ts';

const warehouse = useWarehouse();
const config = { idleMinutes: 30, absoluteHours: 12 };
const T0 = new Date('2025-03-03T08:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

async function setUp(): Promise<{ w: Warehouse; writer: WarehouseWriter; userId: number }> {
  const w = warehouse();
  const writer = await WarehouseWriter.open(w);
  const userId = await writer.write(({ db }) =>
    insertUser(db, {
      username: 'li.hua',
      displayName: '李华',
      role: 'SUPERVISING_INSPECTOR',
      inspectorId: 'DX003',
      passwordHash: 'x',
    }),
  );
  return { w, writer, userId };
}

async function start(writer: WarehouseWriter, userId: number, now = T0) {
  return writer.write(({ db }) =>
    createSession(db, { userId, now, config, ip: '10.0.0.7', userAgent: 'vitest' }),
  );
}

describe('createSession', () => {
  it('stores only the sha256 of a 32-byte base64url token, with the expiry 12 h ahead', async () => {
    const { w, writer, userId } = await setUp();
    const session = await start(writer, userId);
    await writer.close();
    expect(session.token).toMatch(/^[A-Za-z0-9_-]{43}$/u);
    expect(Buffer.from(session.token, 'base64url')).toHaveLength(32);
    expect(session.tokenHash).toBe(hashToken(session.token));
    expect(session.tokenHash).toBe(createHash('sha256').update(session.token).digest('hex'));
    expect(session.expiresAt.toISOString()).toBe('2025-03-03T20:00:00.000Z');
    const rows = await query(w, 'SELECT * FROM sessions');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      token_hash: session.tokenHash,
      user_id: userId,
      ip: '10.0.0.7',
    });
    expect(JSON.stringify(rows)).not.toContain(session.token);
  });

  it('issues a different token every time', async () => {
    const { writer, userId } = await setUp();
    const a = await start(writer, userId);
    const b = await start(writer, userId);
    await writer.close();
    expect(a.token).not.toBe(b.token);
  });
});

describe('findSession', () => {
  it('returns the viewer of a live session and returns timestamps as Dates', async () => {
    const { w, writer, userId } = await setUp();
    const { token, tokenHash } = await start(writer, userId);
    await writer.close();
    const found = await findSession(w.db, token, at(5), config);
    expect(found).toEqual({
      viewer: {
        userId,
        username: 'li.hua',
        name: '李华',
        role: 'SUPERVISING_INSPECTOR',
        inspectorId: 'DX003',
        schoolCode: null,
        township: null,
        sessionHash: tokenHash,
      },
      lastSeenAt: T0,
      expiresAt: new Date('2025-03-03T20:00:00.000Z'),
    });
  });

  it('rejects a session idle for 30 minutes, but not for 29:59', async () => {
    const { w, writer, userId } = await setUp();
    const { token } = await start(writer, userId);
    await writer.close();
    expect(
      await findSession(w.db, token, new Date(at(30).getTime() - 1000), config),
    ).not.toBeNull();
    expect(await findSession(w.db, token, at(30), config)).toBeNull();
  });

  it('keeps a used session alive past the idle limit but never past the absolute limit', async () => {
    const { w, writer, userId } = await setUp();
    const { token, tokenHash } = await start(writer, userId);
    for (let minutes = 20; minutes < 12 * 60; minutes += 20) {
      await writer.write(({ db }) => touchSession(db, tokenHash, at(minutes)));
    }
    await writer.close();
    expect(await findSession(w.db, token, at(12 * 60 - 1), config)).not.toBeNull();
    expect(await findSession(w.db, token, at(12 * 60), config)).toBeNull();
  });

  it("rejects a disabled user's session", async () => {
    const { w, writer, userId } = await setUp();
    const { token } = await start(writer, userId);
    await writer.write(({ db }) => setDisabled(db, userId, true));
    await writer.close();
    expect(await findSession(w.db, token, at(1), config)).toBeNull();
  });

  it('rejects unknown and malformed tokens', async () => {
    const { w, writer } = await setUp();
    await writer.close();
    expect(await findSession(w.db, 'A'.repeat(43), T0, config)).toBeNull();
    expect(await findSession(w.db, "x' OR 1=1 --", T0, config)).toBeNull();
  });
});

describe('shouldTouch', () => {
  it('asks for a write only once a minute has passed since last_seen_at', () => {
    expect(TOUCH_INTERVAL_MS).toBe(60_000);
    expect(shouldTouch({ lastSeenAt: T0 }, new Date(T0.getTime() + 59_999))).toBe(false);
    expect(shouldTouch({ lastSeenAt: T0 }, new Date(T0.getTime() + 60_000))).toBe(true);
  });
});

describe('touchSession', () => {
  it('moves last_seen_at forward and never back', async () => {
    const { w, writer, userId } = await setUp();
    const { token, tokenHash } = await start(writer, userId);
    await writer.write(({ db }) => touchSession(db, tokenHash, at(10)));
    await writer.write(({ db }) => touchSession(db, tokenHash, at(4)));
    await writer.close();
    expect((await findSession(w.db, token, at(11), config))?.lastSeenAt).toEqual(at(10));
  });
});

describe('revokeSession and revokeAllForUser', () => {
  it('delete one session, then every session of the user', async () => {
    const { w, writer, userId } = await setUp();
    const a = await start(writer, userId);
    const b = await start(writer, userId);
    const c = await start(writer, userId);
    await writer.write(({ db }) => revokeSession(db, a.tokenHash));
    expect(await findSession(w.db, a.token, at(1), config)).toBeNull();
    expect(await findSession(w.db, b.token, at(1), config)).not.toBeNull();
    expect(await writer.write(({ db }) => revokeAllForUser(db, userId))).toBe(2);
    await writer.close();
    expect(await findSession(w.db, c.token, at(1), config)).toBeNull();
  });
});

describe('purgeExpiredSessions', () => {
  it('deletes idle and absolutely expired sessions and keeps live ones', async () => {
    const { w, writer, userId } = await setUp();
    const old = await start(writer, userId, at(-13 * 60));
    const idle = await start(writer, userId, at(-31));
    const live = await start(writer, userId, at(-29));
    expect(await writer.write(({ db }) => purgeExpiredSessions(db, T0, config))).toBe(2);
    await writer.close();
    const left = await query(w, 'SELECT token_hash FROM sessions');
    expect(left).toEqual([{ token_hash: live.tokenHash }]);
    expect(await findSession(w.db, old.token, T0, config)).toBeNull();
    expect(await findSession(w.db, idle.token, T0, config)).toBeNull();
  });
});
