/**
 * Query.auditEvents / auditCategories over the eight rows of audit-seed.ts (ids 1–8 in
 * time order): labels and families from the one vocabulary, each filter, paging, and
 * bureau inspectors only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../../helpers/api-fixture.ts';
import { seedAudit } from './audit-seed.ts';

let api: ApiFixture;
let base = 0;
beforeAll(async () => {
  api = await openApiFixture({ now: new Date('2025-11-20T12:00:00+08:00') });
  await api.writer.write(async ({ db }) => {
    // The fixture district's load may already have written rows; ids are counted from here.
    await db.deleteFrom('audit_log').execute();
    await seedAudit(db);
  });
  const { data } = await api.run(VIEWERS.bureau, '{ auditEvents(first: 200) { items { id } } }');
  const ids = (data?.auditEvents as { items: { id: string }[] }).items.map((i) => Number(i.id));
  base = Math.min(...ids) - 1;
});
afterAll(async () => {
  await api.close();
});

const EVENTS = `query ($from: String, $to: String, $username: String, $category: String,
    $outcome: AuditOutcome, $text: String, $first: Int, $after: String) {
  auditEvents(from: $from, to: $to, username: $username, category: $category,
      outcome: $outcome, text: $text, first: $first, after: $after) {
    total endCursor
    items { id occurredAt username userName action actionLabel category target outcome detail ip } } }`;

interface Page {
  total: number;
  endCursor: string | null;
  items: Record<string, unknown>[];
}

async function events(vars: Record<string, unknown> = {}) {
  const { data, errors } = await api.run(VIEWERS.bureau, EVENTS, vars);
  expect(errors).toBeUndefined();
  return data?.auditEvents as Page;
}

/** The seed's row numbers (1–8) of a page. */
const seq = (page: Page) => page.items.map((i) => Number(i.id) - base);

describe('Query.auditEvents', () => {
  it('lists every event newest first, labelled from the vocabulary', async () => {
    const page = await events();
    expect(page.total).toBe(8);
    expect(seq(page)).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    expect(page.items[0]).toMatchObject({
      occurredAt: '2025-11-04T10:00:00+08:00',
      username: 'bureau',
      userName: '王科长',
      action: 'DOUBT_VERIFIED',
      actionLabel: '疑点核实无误',
      category: '数据疑点',
      target: 'doubt:3',
      outcome: 'OK',
    });
    // Unknown actions show as themselves under 其他; a failed sign-in has no user row.
    expect(page.items[1]).toMatchObject({ actionLabel: 'something.new', category: '其他' });
    expect(page.items[2]).toMatchObject({
      username: 'mallory',
      userName: null,
      actionLabel: '登录',
      category: '登录',
      outcome: 'FAILED',
      ip: '10.0.0.9',
    });
    expect(page.items.map((i) => i.category)).toEqual([
      '数据疑点',
      '其他',
      '登录',
      '用户管理',
      '督导检查',
      '问题处理',
      '上传',
      '登录',
    ]);
  });

  it('filters by Asia/Shanghai dates, inclusive', async () => {
    // Row 4 is 2025-11-02 16:30 UTC, but 11-03 in Beijing.
    expect(seq(await events({ from: '2025-11-03', to: '2025-11-03' }))).toEqual([5, 4]);
    expect(seq(await events({ to: '2025-11-02' }))).toEqual([3, 2, 1]);
    expect(seq(await events({ from: '2025-11-04' }))).toEqual([8, 7, 6]);
  });

  it('filters by category, outcome, user and text', async () => {
    expect(seq(await events({ category: '登录' }))).toEqual([6, 1]);
    expect(seq(await events({ category: '其他' }))).toEqual([7]);
    expect(seq(await events({ category: '问题处理' }))).toEqual([3]);
    expect((await events({ category: '考核' })).total).toBe(0);
    expect(seq(await events({ outcome: 'FAILED' }))).toEqual([7, 6]);
    expect(seq(await events({ outcome: 'DENIED' }))).toEqual([4]);
    expect(seq(await events({ username: 'dx01' }))).toEqual([4, 3]);
    // Display name, detail (case-insensitive) and target.
    expect(seq(await events({ text: '张督学' }))).toEqual([4, 3]);
    expect(seq(await events({ text: 'WRONG' }))).toEqual([6]);
    expect(seq(await events({ text: 'flag:7' }))).toEqual([3]);
    expect(seq(await events({ category: '登录', outcome: 'OK' }))).toEqual([1]);
  });

  it('pages with a cursor and keeps the total past the end', async () => {
    const first = await events({ first: 3 });
    expect(seq(first)).toEqual([8, 7, 6]);
    const second = await events({ first: 3, after: first.endCursor });
    expect(seq(second)).toEqual([5, 4, 3]);
    const third = await events({ first: 3, after: second.endCursor });
    expect(seq(third)).toEqual([2, 1]);
    expect(third.endCursor).toBeNull();
  });

  it('refuses malformed filters', async () => {
    for (const vars of [
      { from: '2025-11' },
      { from: '2025-11-05', to: '2025-11-01' },
      { category: '其它' },
      { text: 'x'.repeat(101) },
      { first: 201 },
    ]) {
      const { errors } = await api.run(VIEWERS.bureau, EVENTS, vars);
      expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});

describe('Query.auditCategories', () => {
  it('lists the families present, in the vocabulary order', async () => {
    const { data } = await api.run(VIEWERS.bureau, '{ auditCategories }');
    expect(data?.auditCategories).toEqual([
      '登录',
      '上传',
      '问题处理',
      '督导检查',
      '数据疑点',
      '用户管理',
      '其他',
    ]);
  });

  it('is FORBIDDEN for every role but the bureau', async () => {
    for (const viewer of [VIEWERS.leader, VIEWERS.dx01]) {
      for (const query of ['{ auditCategories }', '{ auditEvents { total } }']) {
        const { data, errors } = await api.run(viewer, query);
        expect(errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        expect(data).toBeNull();
      }
    }
  });
});
