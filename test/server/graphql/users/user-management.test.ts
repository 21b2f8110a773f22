/**
 * User management and self-service password over GraphQL (issue 17), on the API fixture
 * district (1000000002 东城村小 of 东城镇; no township 南山镇 in its registry).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../../../server/auth/password.ts';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../../helpers/api-fixture.ts';

const TEMP = 'Temporary-pass-2025';
const KNOWN = 'Known-password-2025';
const NEXT = 'Brand-new-pass-2025';
const FIELDS = 'id username name role schoolCode schoolName township disabled';

let fx: ApiFixture;
beforeAll(async () => {
  fx = await openApiFixture();
  const hash = await hashPassword(KNOWN);
  await fx.writer.write(async ({ db }) => {
    for (const v of [VIEWERS.bureau, VIEWERS.leader]) {
      await sql`INSERT INTO users (user_id, username, display_name, role, password_hash)
        VALUES (${v.userId}, ${v.username}, ${v.name}, ${v.role}, ${hash})`.execute(db);
    }
    // Past the explicit ids above, so addUser's ids never collide with them.
    await sql`SELECT nextval('user_seq') FROM range(10)`.execute(db);
  });
});
afterAll(async () => {
  await fx?.close();
});

const bureau = (q: string, v?: Record<string, unknown>) => fx.run(VIEWERS.bureau, q, v);
const ADD = `mutation ($input: AddUserInput!) { addUser(input: $input) { ${FIELDS} } }`;
const messageOf = (r: Awaited<ReturnType<typeof bureau>>) => r.errors?.[0]?.message;

async function sessions(userId: number): Promise<string[]> {
  const r = await sql<{ token_hash: string }>`
    SELECT token_hash FROM sessions WHERE user_id = ${userId} ORDER BY token_hash`.execute(
    fx.warehouse.db,
  );
  return r.rows.map((row) => row.token_hash);
}
async function openSessions(userId: number, hashes: string[]): Promise<void> {
  await fx.writer.write(async ({ db }) => {
    for (const h of hashes)
      await sql`INSERT INTO sessions (token_hash, user_id, expires_at)
        VALUES (${h}, ${userId}, now() + INTERVAL 1 HOUR)`.execute(db);
  });
}

describe('the bureau manages accounts', () => {
  it('adds a 学校填报员 of a registry school (named after it) and a 学区审核员 of a known township', async () => {
    const school = await bureau(ADD, {
      input: {
        username: 'school02b',
        binding: { role: 'SCHOOL_REPORTER', schoolCode: '1000000002' },
        password: TEMP,
      },
    });
    expect(school.errors).toBeUndefined();
    expect(school.data?.addUser).toMatchObject({
      username: 'school02b',
      name: '东城村小',
      role: 'SCHOOL_REPORTER',
      schoolCode: '1000000002',
      schoolName: '东城村小',
      township: null,
      disabled: false,
    });
    const township = await bureau(ADD, {
      input: {
        username: 'dongcheng-b',
        name: '东城学区',
        binding: { role: 'TOWNSHIP_REVIEWER', township: '东城镇' },
        password: TEMP,
      },
    });
    expect(township.data?.addUser).toMatchObject({ name: '东城学区', township: '东城镇' });

    const list = await bureau(
      `{ all: users { total } reporters: users(role: SCHOOL_REPORTER) { total items { username } }
         found: users(query: "东城镇") { items { username } } }`,
    );
    // bureau, leader and the two added.
    expect(list.data).toEqual({
      all: { total: 4 },
      reporters: { total: 1, items: [{ username: 'school02b' }] },
      found: { items: [{ username: 'dongcheng-b' }] },
    });
  });

  it('refuses a binding the role does not take or the registry does not know, bilingually', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [
        { role: 'SCHOOL_REPORTER', schoolCode: '1999999999' },
        '学校名录中没有学校标识码 1999999999 / The school code 1999999999 is not in the registry',
      ],
      [
        { role: 'TOWNSHIP_REVIEWER', township: '南山镇' },
        '学校名录中没有乡镇（街道）“南山镇” / The registry knows no township "南山镇"',
      ],
      [
        { role: 'SCHOOL_REPORTER' },
        '学校填报员须指定学校标识码（--school） / A SCHOOL_REPORTER needs a school code (--school)',
      ],
      [
        { role: 'LEADERSHIP', township: '东城镇' },
        '局领导不能指定乡镇（街道）（--township） / A LEADERSHIP takes no township (--township)',
      ],
    ];
    for (const [binding, message] of cases) {
      const r = await bureau(ADD, { input: { username: 'refused', binding, password: TEMP } });
      expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(messageOf(r)).toBe(message);
    }
    const none = await sql<{ n: number }>`
      SELECT count(*)::INTEGER AS n FROM users WHERE username = 'refused'`.execute(fx.warehouse.db);
    expect(none.rows[0]?.n).toBe(0);
  });

  it('a temporary password, a disabled account and a new binding each end the user’s sessions; audited without the password', async () => {
    const added = await bureau(ADD, {
      input: { username: 'reset-me', binding: { role: 'LEADERSHIP' }, password: TEMP },
    });
    const id = (added.data?.addUser as { id: string }).id;
    await openSessions(Number(id), ['a1', 'a2']);
    const reset = await bureau(
      `mutation ($id: ID!) { resetUserPassword(id: $id, password: "Other-temp-pass-2025") { id } }`,
      { id },
    );
    expect(reset.errors).toBeUndefined();
    expect(await sessions(Number(id))).toEqual([]);

    await openSessions(Number(id), ['b1']);
    const disabled = await bureau(
      `mutation ($id: ID!) { setUserDisabled(id: $id, disabled: true) { disabled } }`,
      { id },
    );
    expect(disabled.data).toEqual({ setUserDisabled: { disabled: true } });
    expect(await sessions(Number(id))).toEqual([]);

    await openSessions(Number(id), ['c1']);
    const renamed = await bureau(
      `mutation ($id: ID!) { updateUser(id: $id, input: { name: "改名" }) { name role } }`,
      { id },
    );
    // A new name alone keeps the sessions; a new role ends them.
    expect(renamed.data).toEqual({ updateUser: { name: '改名', role: 'LEADERSHIP' } });
    expect(await sessions(Number(id))).toEqual(['c1']);
    const rebound = await bureau(
      `mutation ($id: ID!) { updateUser(id: $id, input: { binding: { role: SCHOOL_REPORTER, schoolCode: "1000000002" } }) { role schoolCode } }`,
      { id },
    );
    expect(rebound.data).toEqual({
      updateUser: { role: 'SCHOOL_REPORTER', schoolCode: '1000000002' },
    });
    expect(await sessions(Number(id))).toEqual([]);

    const audit = await sql<{ action: string; detail: string | null }>`
      SELECT action, detail FROM audit_log WHERE target = 'reset-me' ORDER BY audit_id`.execute(
      fx.warehouse.db,
    );
    expect(audit.rows).toEqual([
      { action: 'users.add', detail: 'role=LEADERSHIP' },
      { action: 'users.passwd', detail: null },
      { action: 'users.disable', detail: null },
      { action: 'users.update', detail: 'name' },
      { action: 'users.update', detail: 'role=SCHOOL_REPORTER; school=1000000002' },
    ]);
    const all = JSON.stringify(
      (await sql`SELECT * FROM audit_log`.execute(fx.warehouse.db)).rows,
      (_key, value: unknown) => (typeof value === 'bigint' ? Number(value) : value),
    );
    expect(all).not.toContain(TEMP);
    expect(all).not.toContain('Other-temp-pass-2025');
  });

  it('never lets the bureau disable itself', async () => {
    const r = await bureau(
      `mutation ($id: ID!) { setUserDisabled(id: $id, disabled: true) { id } }`,
      { id: String(VIEWERS.bureau.userId) },
    );
    expect(messageOf(r)).toBe('不能停用自己的账号 / You cannot disable your own account');
  });
});

describe('changeMyPassword', () => {
  const CHANGE = `mutation ($current: String!, $next: String!) { changeMyPassword(current: $current, next: $next) }`;

  it('needs the current password; ends every other session, keeps this one', async () => {
    const me = VIEWERS.bureau;
    await openSessions(me.userId, [me.sessionHash, 'other-device']);
    const wrong = await fx.run(me, CHANGE, { current: 'not-it-at-all', next: NEXT });
    expect(messageOf(wrong)).toBe('当前密码不正确 / The current password is wrong');
    expect(await sessions(me.userId)).toEqual(['other-device', me.sessionHash].sort());

    const ok = await fx.run(me, CHANGE, { current: KNOWN, next: NEXT });
    expect(ok.data).toEqual({ changeMyPassword: true });
    expect(await sessions(me.userId)).toEqual([me.sessionHash]);
    const row = await sql<{ password_hash: string }>`
      SELECT password_hash FROM users WHERE user_id = ${me.userId}`.execute(fx.warehouse.db);
    expect(await verifyPassword(row.rows[0]?.password_hash ?? '', NEXT)).toBe(true);
  });

  it('is throttled like sign-in: five free failures, then a wait', async () => {
    const me = VIEWERS.leader;
    // The clock stands still: the sixth failure is checked at once and starts a 1 s wait.
    for (let i = 0; i < 6; i += 1) {
      const r = await fx.run(me, CHANGE, { current: `wrong-${i}`, next: NEXT });
      expect(messageOf(r)).toBe('当前密码不正确 / The current password is wrong');
    }
    // The seventh waits 1 s (loginDelayBaseSeconds), even with the right password.
    const sixth = await fx.run(me, CHANGE, { current: KNOWN, next: NEXT });
    expect(messageOf(sixth)).toBe(
      '尝试次数过多，请 1 秒后再试 / Too many attempts: try again in 1 s',
    );
    const failed = await sql<{ detail: string }>`
      SELECT detail FROM audit_log WHERE action = 'auth.change_password' AND username = 'leader'
      ORDER BY audit_id`.execute(fx.warehouse.db);
    expect(failed.rows.map((r) => r.detail)).toEqual([
      'wrong_password',
      'wrong_password',
      'wrong_password',
      'wrong_password',
      'wrong_password',
      'wrong_password',
      'throttled',
    ]);
  });
});
