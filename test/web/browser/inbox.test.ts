/**
 * 提醒 in the browser, on the fixture district: the warehouse's flags and reminders are
 * replaced by one OPEN flag on 东城第一小学 (…01, DX01's), then fireReminders judges at
 * 2025-11-20 10:00 (Asia/Shanghai) as the server's job would. 张督学 (dx01) sees the bell's
 * count, the inbox lists the reminder, opening it leads to the flag and marks it read.
 */
import { sql } from 'kysely';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from '../../helpers/browser.ts';
import { seedLateEndFlag } from '../../helpers/seed-flag.ts';
import type { WEB_USERS } from '../../helpers/web-fixture.ts';
import { openPageAs, openWebFixture, type WebFixture } from '../../helpers/web-fixture.ts';
import { readStoredPolicy } from '../../../server/policy/policy-store.ts';
import { fireReminders } from '../../../server/reminders/fire-reminders.ts';

const NOW = new Date('2025-11-20T10:00:00+08:00');

let fixture: WebFixture;
let browser: Browser;
let flagId = '';
/** dx01's reminders after the judging (their unread count). */
let dx01Count = 0;

beforeAll(async () => {
  fixture = await openWebFixture({ now: NOW });
  await fixture.writer.write(async ({ db }) => {
    await sql`DELETE FROM flag_events; DELETE FROM flags; DELETE FROM notifications;`.execute(db);
  });
  flagId = await seedLateEndFlag(fixture.writer, {
    school: '1000000001',
    month: '2025-10',
    createdAt: '2025-11-19T09:00:00+08:00',
  });
  await fixture.writer.write(async ({ db }) => {
    const { policy } = await readStoredPolicy(db);
    await fireReminders(db, policy, NOW);
  });
  const rows = await sql<{ n: number; raised: number }>`SELECT count(*)::INTEGER AS n,
      count(*) FILTER (WHERE kind = 'FLAG_RAISED')::INTEGER AS raised
    FROM notifications n JOIN users u ON u.user_id = n.user_id
    WHERE u.username = 'dx01'`.execute(fixture.warehouse.db);
  dx01Count = rows.rows[0]?.n ?? 0;
  // The one flag reaches its 督学 once; other reminders (a missing October report) may join.
  expect(rows.rows[0]?.raised).toBe(1);
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await fixture?.close();
});

const openAs = (user: keyof typeof WEB_USERS, path: string): Promise<Page> =>
  openPageAs(browser, fixture, user, path, NOW);

function poll<T>(fn: () => Promise<T> | T) {
  return expect.poll(fn, { timeout: 20_000 });
}

const bellLabel = (page: Page) => page.locator('[data-reminder-bell]').getAttribute('aria-label');

describe('提醒', () => {
  it('shows a 督学 the unread count, the reminder, and leads to the flag', async () => {
    const page = await openAs('dx01', '/inbox');
    await poll(() => bellLabel(page)).toBe(`提醒：${dx01Count} 条未读`);
    const item = page.locator('[data-reminder]', { hasText: '新问题线索：东城第一小学' });
    await poll(() => item.count()).toBe(1);
    expect(await item.innerText()).toContain('未读');
    expect(await item.innerText()).toContain('最晚结束时间 18:40');
    await screenshot(page, 'inbox-dx01');

    await item.locator('[data-open]').click();
    await poll(() => new URL(page.url()).pathname + new URL(page.url()).search).toBe(
      `/flags?flag=${flagId}`,
    );
    await poll(() => bellLabel(page)).toBe(
      dx01Count > 1 ? `提醒：${dx01Count - 1} 条未读` : '提醒：没有未读',
    );

    await page.goto(`${fixture.url}/inbox?unread=1`);
    if (dx01Count > 1) {
      await page.locator('[data-mark-all]').click();
      await poll(() => bellLabel(page)).toBe('提醒：没有未读');
    }
    await poll(() => page.locator('[data-inbox-empty]').innerText()).toBe('没有未读提醒');
    await page.close();
  });

  it('gives the bureau an inbox of its own, empty here', async () => {
    const page = await openAs('bureau', '/inbox');
    await poll(() => page.locator('[data-inbox-empty]').innerText()).toBe('暂无提醒');
    expect(await bellLabel(page)).toBe('提醒：没有未读');
    expect(await page.locator('nav.side-nav').innerText()).toContain('提醒');
    await page.close();
  });
});
