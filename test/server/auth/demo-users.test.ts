import { describe, expect, it } from 'vitest';
import {
  DemoPasswordError,
  demoPassword,
  ensureDemoUsers,
} from '../../../server/auth/demo-users.ts';
import { passwordPolicyViolation, verifyPassword } from '../../../server/auth/password.ts';
import { createSession } from '../../../server/auth/sessions.ts';
import type { Warehouse } from '../../../server/db/connect.ts';
import { WarehouseWriter } from '../../../server/db/writer.ts';
import { listUsers, setDisabled } from '../../../server/graphql/users/users.repository.ts';
import { query, useWarehouse } from '../../helpers/with-warehouse.ts';

const warehouse = useWarehouse();

/** school, effective month, inspector — inserted in this order (DX003 before DX002). */
const ASSIGNMENTS: Array<[string, string, string]> = [
  ['S1', '2024-09', 'DX005'],
  ['S2', '2024-09', 'DX005'],
  ['S6', '2024-09', 'DX005'],
  ['S1', '2025-02', 'DX003'],
  ['S6', '2025-02', 'DX003'],
  ['S3', '2024-09', 'DX002'],
  ['S4', '2024-09', 'DX002'],
];

async function loadAssignments(w: Warehouse): Promise<void> {
  const conn = await w.connect();
  try {
    for (const [i, [school, month, inspector]] of ASSIGNMENTS.entries()) {
      await conn.run(
        `INSERT INTO inspector_assignments VALUES ('${inspector}', '${school}', '${month}', 1, 'Sheet1', ${i + 2})`,
      );
    }
    await conn.run(`INSERT INTO inspectors VALUES ('DX002', '赵敏（旧）', 1), ('DX002', '赵敏', 2),
      ('DX003', '钱程', 2), ('DX005', '孙立', 1)`);
  } finally {
    conn.closeSync();
  }
}

/** Inserts flags as (school, status) pairs. */
async function loadFlags(w: Warehouse, flags: Array<[string, string]>): Promise<void> {
  const conn = await w.connect();
  try {
    for (const [school, status] of flags) {
      await conn.run(
        `INSERT INTO flags (school_code, month, code, rule, source, status, detail, raised_by)
         VALUES ($1, '2025-03', 'LATE_END', 'LATE_END.after_cap', 'report', $2, 'd', 'system')`,
        [school, status],
      );
    }
  } finally {
    conn.closeSync();
  }
}

/** The inspector ensureDemoUsers links demo-inspector to. */
async function demoInspectorId(w: Warehouse): Promise<string | null | undefined> {
  const demo = await withWriter(w, (writer) => ensureDemoUsers(writer, w.db, 'demo-password-1'));
  return demo.find((u) => u.username === 'demo-inspector')?.inspectorId;
}

async function withWriter<T>(
  w: Warehouse,
  fn: (writer: WarehouseWriter) => Promise<T>,
): Promise<T> {
  const writer = await WarehouseWriter.open(w);
  try {
    return await fn(writer);
  } finally {
    await writer.close();
  }
}

describe('ensureDemoUsers', () => {
  it('links demo-inspector to the inspector with the most current schools, smallest id on ties, when no flag is open', async () => {
    const w = warehouse();
    await loadAssignments(w);
    // Counting history, DX005 would win with 3 schools; currently DX002 and DX003 have 2 each.
    const demo = await withWriter(w, (writer) => ensureDemoUsers(writer, w.db, 'demo-password-1'));
    expect(demo).toEqual([
      {
        username: 'demo-bureau',
        role: 'BUREAU_INSPECTOR',
        name: '演示教育局督导',
        inspectorId: null,
      },
      { username: 'demo-leader', role: 'LEADERSHIP', name: '演示局领导', inspectorId: null },
      {
        username: 'demo-inspector',
        role: 'SUPERVISING_INSPECTOR',
        name: '赵敏',
        inspectorId: 'DX002',
      },
    ]);
    const rows = await query(
      w,
      `SELECT username, display_name, role, inspector_id, disabled
       FROM users ORDER BY username`,
    );
    expect(rows).toEqual([
      {
        username: 'demo-bureau',
        display_name: '演示教育局督导',
        role: 'BUREAU_INSPECTOR',
        inspector_id: null,
        disabled: false,
      },
      {
        username: 'demo-inspector',
        display_name: '赵敏',
        role: 'SUPERVISING_INSPECTOR',
        inspector_id: 'DX002',
        disabled: false,
      },
      {
        username: 'demo-leader',
        display_name: '演示局领导',
        role: 'LEADERSHIP',
        inspector_id: null,
        disabled: false,
      },
    ]);
    for (const user of await listUsers(w.db)) {
      expect(await verifyPassword(user.password_hash, 'demo-password-1')).toBe(true);
    }
  });

  it('links demo-inspector to the inspector whose current schools have the most open flags', async () => {
    const w = warehouse();
    await loadAssignments(w);
    // Currently DX005 has S2, DX003 S1 and S6, DX002 S3 and S4.
    await loadFlags(w, [
      ['S2', 'OPEN'],
      ['S2', 'RECTIFYING'],
      // S1 was DX005's until 2025-02: its flags count for DX003 only.
      ['S1', 'RECTIFIED'],
      // Finished flags count for nobody (else DX003 would have 3).
      ['S1', 'CLOSED'],
      ['S6', 'DISMISSED'],
      ['S3', 'OPEN'],
    ]);
    expect(await demoInspectorId(w)).toBe('DX005');
  });

  it('breaks a tie of open flags by the most current schools, then the smallest id', async () => {
    const w = warehouse();
    await loadAssignments(w);
    // One open flag each for DX005 (1 school) and DX003 (2 schools).
    await loadFlags(w, [
      ['S2', 'OPEN'],
      ['S6', 'OPEN'],
    ]);
    expect(await demoInspectorId(w)).toBe('DX003');
    // DX002 (2 schools) joins the tie and has the smaller id.
    await loadFlags(w, [['S4', 'OPEN']]);
    expect(await demoInspectorId(w)).toBe('DX002');
  });

  it('adds the reporter of the demo 督学’s school with most open flags and that school’s township reviewer', async () => {
    const w = warehouse();
    await loadAssignments(w);
    const conn = await w.connect();
    try {
      await conn.run(`INSERT INTO schools (school_code, school_name, township, stage, locality,
          ownership, remote, teachers_total, batch_id)
        VALUES ('S3', '甲镇小学', '甲镇', 'primary', 'town', 'public', false, 20, 1),
               ('S4', '乙镇中学', '乙镇', 'junior', 'rural', 'public', true, 30, 1)`);
    } finally {
      conn.closeSync();
    }
    // DX002 (S3, S4) has the most open flags; S4 has two open ones, S3 one open and
    // three closed (closed ones do not count).
    await loadFlags(w, [
      ['S4', 'OPEN'],
      ['S4', 'RECTIFYING'],
      ['S3', 'OPEN'],
      ['S3', 'CLOSED'],
      ['S3', 'CLOSED'],
      ['S3', 'CLOSED'],
    ]);
    const demo = await withWriter(w, (writer) => ensureDemoUsers(writer, w.db, 'demo-password-1'));
    expect(demo.slice(2)).toEqual([
      {
        username: 'demo-inspector',
        role: 'SUPERVISING_INSPECTOR',
        name: '赵敏',
        inspectorId: 'DX002',
      },
      {
        username: 'demo-school',
        role: 'SCHOOL_REPORTER',
        name: '乙镇中学学校填报员',
        inspectorId: null,
        schoolCode: 'S4',
      },
      {
        username: 'demo-township',
        role: 'TOWNSHIP_REVIEWER',
        name: '乙镇学区审核员',
        inspectorId: null,
        township: '乙镇',
      },
    ]);
    expect(
      await query(
        w,
        `SELECT username, role, school_code, township FROM users
        WHERE role IN ('SCHOOL_REPORTER', 'TOWNSHIP_REVIEWER') ORDER BY username`,
      ),
    ).toEqual([
      { username: 'demo-school', role: 'SCHOOL_REPORTER', school_code: 'S4', township: null },
      { username: 'demo-township', role: 'TOWNSHIP_REVIEWER', school_code: null, township: '乙镇' },
    ]);
  });

  it('falls back to DX001 when no assignments are loaded', async () => {
    const w = warehouse();
    const demo = await withWriter(w, (writer) => ensureDemoUsers(writer, w.db, 'demo-password-1'));
    expect(demo[2]).toEqual({
      username: 'demo-inspector',
      role: 'SUPERVISING_INSPECTOR',
      name: '演示责任督学',
      inspectorId: 'DX001',
    });
  });

  it('resets existing demo users: same ids, new password, enabled, signed out', async () => {
    const w = warehouse();
    await withWriter(w, async (writer) => {
      await ensureDemoUsers(writer, w.db, 'demo-password-1');
      const before = await listUsers(w.db);
      const leader = before.find((u) => u.username === 'demo-leader')!;
      await writer.write(async ({ db }) => {
        await setDisabled(db, leader.user_id, true);
        await db.updateTable('users').set({ display_name: 'changed' }).execute();
        await createSession(db, {
          userId: leader.user_id,
          now: new Date(),
          config: { idleMinutes: 30, absoluteHours: 12 },
          ip: null,
          userAgent: null,
        });
      });
      await loadAssignments(w);
      await ensureDemoUsers(writer, w.db, 'demo-password-2');
      const after = await listUsers(w.db);
      expect(after.map((u) => [u.username, u.user_id])).toEqual(
        before.map((u) => [u.username, u.user_id]),
      );
      for (const user of after) {
        expect(user.disabled).toBe(false);
        expect(await verifyPassword(user.password_hash, 'demo-password-2')).toBe(true);
        expect(await verifyPassword(user.password_hash, 'demo-password-1')).toBe(false);
      }
      expect(after.map((u) => u.display_name)).toEqual(['演示教育局督导', '赵敏', '演示局领导']);
      expect(after.find((u) => u.username === 'demo-inspector')?.inspector_id).toBe('DX002');
    });
    expect(await query(w, 'SELECT count(*) AS n FROM sessions')).toEqual([{ n: 0 }]);
    expect(
      await query(w, `SELECT action, count(*) AS n FROM audit_log GROUP BY action ORDER BY action`),
    ).toEqual([
      { action: 'users.add', n: 3 },
      { action: 'users.reset', n: 3 },
    ]);
  });

  it('refuses a password the policy refuses, saying why, and creates nobody', async () => {
    const w = warehouse();
    const run = withWriter(w, (writer) => ensureDemoUsers(writer, w.db, 'demo-pass'));
    await expect(run).rejects.toThrow(DemoPasswordError);
    await expect(run).rejects.toThrow(
      'KEHOU_DEMO_PASSWORD 不符合密码规则 / does not meet the password policy: 密码至少需要 12 个字符 / The password must have at least 12 characters',
    );
    expect(await query(w, 'SELECT count(*) AS n FROM users')).toEqual([{ n: 0 }]);
  });
});

describe('demoPassword', () => {
  it('takes KEHOU_DEMO_PASSWORD when it passes the policy and says why when it does not', () => {
    expect(demoPassword({ KEHOU_DEMO_PASSWORD: 'demo-password-1' })).toBe('demo-password-1');
    expect(() => demoPassword({ KEHOU_DEMO_PASSWORD: 'Password2024' })).toThrow(
      /^KEHOU_DEMO_PASSWORD 不符合密码规则 \/ does not meet the password policy: 这是最常见的密码之一/u,
    );
  });

  it('makes a random 16-character password that passes the policy when none is set', () => {
    const passwords = new Set(Array.from({ length: 50 }, () => demoPassword({})));
    expect(passwords.size).toBe(50);
    for (const password of passwords) {
      expect(password).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{16}$/u);
      expect(passwordPolicyViolation(password)).toBeNull();
    }
  });
});
