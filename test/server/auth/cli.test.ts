/**
 * The `users` command as an administrator runs it: a child process with KEHOU_DB set and
 * the password piped on stdin.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runScript, type ScriptExit } from '../../helpers/run-script.ts';
import { verifyPassword } from '../../../server/auth/password.ts';
import { openWarehouse } from '../../../server/db/connect.ts';

const PASSWORD = 'Shui-Xian-2025!';
const COMMON =
  '这是最常见的密码之一（或只在其前后加了数字、符号），请另选一个 / The password is one of the most common ones (or one with only digits or symbols added): choose another';

const users = (db: string, args: string[], stdin = ''): Promise<ScriptExit> =>
  runScript('server/auth/cli.ts', args, { env: { KEHOU_DB: db }, stdin });

/**
 * Reads the warehouse file in this process. Through Kysely on purpose: Warehouse.close()
 * releases the file lock only once the Kysely handle has been used.
 */
async function rows(db: string, statement: string): Promise<Array<Record<string, unknown>>> {
  const w = await openWarehouse(db);
  try {
    const result = await sql.raw<Record<string, unknown>>(statement).execute(w.db);
    return result.rows.map((row) =>
      Object.fromEntries(
        Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]),
      ),
    );
  } finally {
    await w.close();
  }
}

let dir: string;
let db: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kehou-users-'));
  db = join(dir, 'kehou.duckdb');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const add = (username: string, ...rest: string[]) => ['add', username, ...rest];
/** Each run starts Node, tsx and DuckDB (~2 s, more on a busy machine). */
const SLOW = { timeout: 120_000 };

describe('users add / list', SLOW, () => {
  it('adds a user with the password from stdin, lists it, and never prints the password', async () => {
    const added = await users(
      db,
      add('zhou.li', '--role', 'BUREAU_INSPECTOR', '--name', '周丽'),
      `${PASSWORD}\n`,
    );
    expect(added).toMatchObject({
      code: 0,
      stdout: '已添加用户 added user zhou.li (BUREAU_INSPECTOR)\n',
      stderr: '',
    });
    const supervising = await users(
      db,
      add('wu.gang', '--role', 'SUPERVISING_INSPECTOR', '--inspector', 'DX004'),
      `${PASSWORD}\nsecond line ignored\n`,
    );
    expect(supervising.code).toBe(0);
    const listed = await users(db, ['list', '--json']);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual({
      users: [
        {
          username: 'wu.gang',
          name: 'wu.gang',
          role: 'SUPERVISING_INSPECTOR',
          inspectorId: 'DX004',
          disabled: false,
        },
        {
          username: 'zhou.li',
          name: '周丽',
          role: 'BUREAU_INSPECTOR',
          inspectorId: null,
          disabled: false,
        },
      ],
    });
    const table = await users(db, ['list']);
    // Chinese characters take two terminal columns: the columns still line up.
    expect(table.stdout.split('\n')).toEqual([
      '用户名 username  姓名 name  角色 role                       督学编号 inspector  停用 disabled',
      'wu.gang          wu.gang    责任督学 SUPERVISING_INSPECTOR  DX004               no',
      'zhou.li          周丽       教育局督导 BUREAU_INSPECTOR     -                   no',
      '',
    ]);
    const [user] = await rows(db, `SELECT password_hash FROM users WHERE username = 'zhou.li'`);
    expect(await verifyPassword(String(user?.password_hash), PASSWORD)).toBe(true);
    const audit = await rows(
      db,
      'SELECT action, target, outcome, detail FROM audit_log ORDER BY audit_id',
    );
    expect(audit).toEqual([
      { action: 'users.add', target: 'zhou.li', outcome: 'ok', detail: 'role=BUREAU_INSPECTOR' },
      {
        action: 'users.add',
        target: 'wu.gang',
        outcome: 'ok',
        detail: 'role=SUPERVISING_INSPECTOR; inspector=DX004',
      },
    ]);
    for (const run of [added, supervising, listed, table]) {
      expect(run.stdout + run.stderr).not.toContain(PASSWORD);
    }
  });

  it('refuses a duplicate username with a clear message and exit status 1', async () => {
    await users(db, add('zhou.li', '--role', 'LEADERSHIP'), `${PASSWORD}\n`);
    const again = await users(db, add('zhou.li', '--role', 'LEADERSHIP'), `${PASSWORD}\n`);
    expect(again).toMatchObject({ code: 1, stdout: '' });
    expect(again.stderr).toBe('用户名 zhou.li 已存在 / The username zhou.li is already taken\n');
  });

  it('refuses passwords under 12 characters and common ones in any case, storing nothing', async () => {
    const tooShort = await users(db, add('zhou.li', '--role', 'LEADERSHIP'), 'Qh7-vine-la\n');
    expect(tooShort).toMatchObject({
      code: 1,
      stdout: '',
      stderr: '密码至少需要 12 个字符 / The password must have at least 12 characters\n',
    });
    // A listed password of 12 characters, capitalised; and "password" padded with digits.
    for (const common of ['UnBelievable', 'PASSWORD1234']) {
      const run = await users(db, add('zhou.li', '--role', 'LEADERSHIP'), `${common}\n`);
      expect(run).toMatchObject({ code: 1, stdout: '', stderr: `${COMMON}\n` });
      expect(run.stderr).not.toContain(common);
    }
    expect(await rows(db, 'SELECT count(*) AS n FROM users')).toEqual([{ n: 0 }]);
    const twelve = await users(db, add('zhou.li', '--role', 'LEADERSHIP'), 'Qh7-vine-lab\n');
    expect(twelve.code).toBe(0);
    const [user] = await rows(db, 'SELECT password_hash FROM users');
    expect(await verifyPassword(String(user?.password_hash), 'Qh7-vine-lab')).toBe(true);
    // passwd applies the same policy and keeps the old password.
    const passwd = await users(db, ['passwd', 'zhou.li'], 'scandinavian\n');
    expect(passwd).toMatchObject({ code: 1, stderr: `${COMMON}\n` });
    expect(await rows(db, 'SELECT password_hash FROM users')).toEqual([user]);
  });

  it('requires --inspector for a supervising inspector and refuses it for other roles', async () => {
    const missing = await users(
      db,
      add('wu.gang', '--role', 'SUPERVISING_INSPECTOR'),
      `${PASSWORD}\n`,
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('--inspector');
    const extra = await users(
      db,
      add('wu.gang', '--role', 'LEADERSHIP', '--inspector', 'DX004'),
      `${PASSWORD}\n`,
    );
    expect(extra.code).toBe(1);
    const badRole = await users(db, add('wu.gang', '--role', 'ADMIN'), `${PASSWORD}\n`);
    expect(badRole.code).toBe(1);
    expect(badRole.stderr).toBe(
      '--role 必须是 must be one of: BUREAU_INSPECTOR（教育局督导）, SUPERVISING_INSPECTOR（责任督学）, LEADERSHIP（局领导）, SCHOOL_REPORTER（学校填报员）, TOWNSHIP_REVIEWER（学区审核员）\n',
    );
    const badName = await users(db, add('王 刚', '--role', 'LEADERSHIP'), `${PASSWORD}\n`);
    expect(badName.code).toBe(1);
    expect(await rows(db, 'SELECT count(*) AS n FROM users')).toEqual([{ n: 0 }]);
  });

  it('binds a school reporter to a school of the registry and a township reviewer to a township it knows', async () => {
    // One registry row: 1000000002 东城村小 of 东城镇 (as a load would leave it).
    await rows(
      db,
      `INSERT INTO schools VALUES ('1000000002', '东城村小', '东城镇', 'primary', 'rural', 'public',
        FALSE, 10, NULL, NULL, NULL, 1, '学校名录', 2)`,
    );
    const school = await users(
      db,
      add('school02', '--role', 'SCHOOL_REPORTER', '--school', '1000000002'),
      `${PASSWORD}\n`,
    );
    expect(school).toMatchObject({
      code: 0,
      stdout: '已添加用户 added user school02 (SCHOOL_REPORTER)\n',
    });
    const township = await users(
      db,
      add('dongcheng', '--role', 'TOWNSHIP_REVIEWER', '--township', '东城镇'),
      `${PASSWORD}\n`,
    );
    expect(township.code).toBe(0);
    // The display name defaults to the school's registry name, or the township's.
    expect(
      await rows(
        db,
        'SELECT username, display_name, role, school_code, township FROM users ORDER BY username',
      ),
    ).toEqual([
      {
        username: 'dongcheng',
        display_name: '东城镇',
        role: 'TOWNSHIP_REVIEWER',
        school_code: null,
        township: '东城镇',
      },
      {
        username: 'school02',
        display_name: '东城村小',
        role: 'SCHOOL_REPORTER',
        school_code: '1000000002',
        township: null,
      },
    ]);
    expect(
      await rows(db, "SELECT detail FROM audit_log WHERE action = 'users.add' ORDER BY audit_id"),
    ).toEqual([
      { detail: 'role=SCHOOL_REPORTER; school=1000000002' },
      { detail: 'role=TOWNSHIP_REVIEWER; township=东城镇' },
    ]);

    const unknownSchool = await users(
      db,
      add('school09', '--role', 'SCHOOL_REPORTER', '--school', '1000000009'),
      `${PASSWORD}\n`,
    );
    expect(unknownSchool).toMatchObject({
      code: 1,
      stderr:
        '学校名录中没有学校标识码 1000000009 / The school code 1000000009 is not in the registry\n',
    });
    const unknownTownship = await users(
      db,
      add('xishan', '--role', 'TOWNSHIP_REVIEWER', '--township', '西山乡'),
      `${PASSWORD}\n`,
    );
    expect(unknownTownship).toMatchObject({
      code: 1,
      stderr: '学校名录中没有乡镇（街道）“西山乡” / The registry knows no township "西山乡"\n',
    });
    const noSchool = await users(db, add('school10', '--role', 'SCHOOL_REPORTER'), `${PASSWORD}\n`);
    expect(noSchool).toMatchObject({
      code: 1,
      stderr:
        '学校填报员须指定学校标识码（--school） / A SCHOOL_REPORTER needs a school code (--school)\n',
    });
    const schoolForBureau = await users(
      db,
      add('zhou.li', '--role', 'BUREAU_INSPECTOR', '--school', '1000000002'),
      `${PASSWORD}\n`,
    );
    expect(schoolForBureau).toMatchObject({
      code: 1,
      stderr:
        '教育局督导不能指定学校标识码（--school） / A BUREAU_INSPECTOR takes no school code (--school)\n',
    });
    expect(await rows(db, 'SELECT count(*) AS n FROM users')).toEqual([{ n: 2 }]);
  });

  it('refuses a password given on the command line', async () => {
    const run = await users(db, [
      ...add('wu.gang', '--role', 'LEADERSHIP'),
      '--password',
      PASSWORD,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^Unknown option '--password'/u);
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
  });
});

describe('users passwd / disable / enable', SLOW, () => {
  it('changes the hash, disables and enables, auditing each change', async () => {
    await users(db, add('zhou.li', '--role', 'LEADERSHIP'), `${PASSWORD}\n`);
    const [before] = await rows(db, 'SELECT password_hash FROM users');
    const passwd = await users(db, ['passwd', 'zhou.li'], 'Another-Password-9\n');
    expect(passwd).toMatchObject({ code: 0, stderr: '', stdout: '已完成 done: passwd zhou.li\n' });
    const [after] = await rows(db, 'SELECT password_hash FROM users');
    expect(after?.password_hash).not.toBe(before?.password_hash);
    expect(await verifyPassword(String(after?.password_hash), 'Another-Password-9')).toBe(true);
    expect(await users(db, ['disable', 'zhou.li'])).toMatchObject({ code: 0, stderr: '' });
    expect(await rows(db, 'SELECT disabled FROM users')).toEqual([{ disabled: true }]);
    expect((await users(db, ['enable', 'zhou.li'])).code).toBe(0);
    expect(await rows(db, 'SELECT disabled FROM users')).toEqual([{ disabled: false }]);
    const missing = await users(db, ['disable', 'nobody']);
    expect(missing).toMatchObject({ code: 1, stderr: '没有用户 nobody / No user named nobody\n' });
    const audit = await rows(db, 'SELECT action FROM audit_log ORDER BY audit_id');
    expect(audit.map((r) => r.action)).toEqual([
      'users.add',
      'users.passwd',
      'users.disable',
      'users.enable',
    ]);
  });
});

describe('users while another process holds the warehouse', SLOW, () => {
  it('exits 1 at once with a message saying to stop the server', async () => {
    const held = await openWarehouse(db);
    try {
      await held.db.selectFrom('users').select('user_id').execute(); // see rows()
      const run = await users(db, ['list']);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(`数据仓库 ${db} 正被另一个进程占用`);
      expect(run.stderr).toContain(
        `The warehouse ${db} is held by another process (pid ${process.pid})`,
      );
      expect(run.stderr).not.toContain('Could not set lock');
      expect(run.ms).toBeLessThan(10_000);
    } finally {
      await held.close();
    }
  });
});
