/**
 * 报表审核 in the browser, on the fixture district (2025-10: 1000000001, 1000000002 and
 * 1000000003 reported; 东城镇 = 1000000001, 1000000002). The school's submission is seeded
 * behind the app; the 学区审核员 returns it with reasons, it is submitted again and
 * approved; the bureau unlocks it with a logged reason and reads its history.
 */
import { sql } from 'kysely';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage, screenshot, signInAs } from '../../helpers/browser.ts';
import {
  openWebFixture,
  WEB_PASSWORD,
  WEB_USERS,
  type WebFixture,
} from '../../helpers/web-fixture.ts';

let server: WebFixture;
let browser: Browser;

beforeAll(async () => {
  server = await openWebFixture({ now: new Date('2025-11-20T12:00:00+08:00') });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function signedIn(user: keyof typeof WEB_USERS, path: string): Promise<Page> {
  const page = await newPage(browser);
  await signInAs(page, server.url, WEB_USERS[user].username, WEB_PASSWORD, path);
  return page;
}

const submitted = () =>
  server.writer.write(async ({ db }) => {
    await sql`INSERT OR REPLACE INTO unit_reviews (school_code, month, status)
      VALUES ('1000000002', '2025-10', 'SUBMITTED')`.execute(db);
  });

const statusOf = (page: Page, unit: string) =>
  page.locator(`tr[data-unit="${unit}"] .review-status`).innerText();

describe('报表审核', () => {
  it('lets the township reviewer return and approve, and the bureau unlock with a reason', async () => {
    await submitted();
    const township = await signedIn('township', '/reviews?month=2025-10');
    const row = township.locator('tr[data-unit="1000000002|2025-10"]');
    await row.waitFor();
    // Only the township's schools.
    const units = await township
      .locator('tr[data-unit]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-unit')));
    expect(units).toEqual(['1000000001|2025-10', '1000000002|2025-10']);
    await expect(statusOf(township, '1000000002|2025-10')).resolves.toBe('已提交');

    await row.getByRole('button', { name: '退回' }).click();
    await township.locator('[data-reasons]').fill('参加人数与月报不一致\n最晚结束时间漏填');
    await township.getByRole('button', { name: '确定' }).click();
    await expect
      .poll(() => statusOf(township, '1000000002|2025-10'), { timeout: 15_000 })
      .toBe('退回');
    await expect(row.innerText()).resolves.toContain('最晚结束时间漏填');

    await submitted();
    await township.reload();
    await row.waitFor();
    await row.locator('input[type="checkbox"]').check();
    await township.locator('[data-approve-selected]').click();
    await expect
      .poll(() => statusOf(township, '1000000002|2025-10'), { timeout: 15_000 })
      .toBe('已审核');
    // A township reviewer is offered no unlock.
    expect(await row.locator('[data-unlock]').count()).toBe(0);
    await township.close();

    const bureau = await signedIn('bureau', '/reviews?month=2025-10');
    const locked = bureau.locator('tr[data-unit="1000000002|2025-10"]');
    await locked.waitFor();
    await locked.locator('[data-unlock]').click();
    await bureau.locator('[data-reasons]').fill('学校申请更正参加人数');
    await bureau.getByRole('button', { name: '确定' }).click();
    await expect
      .poll(() => statusOf(bureau, '1000000002|2025-10'), { timeout: 15_000 })
      .toBe('退回');
    await locked.getByRole('button', { name: /记录/u }).click();
    const history = await bureau.locator('ol.history').innerText();
    expect(history).toContain('退回：参加人数与月报不一致；最晚结束时间漏填');
    expect(history).toContain('审核通过');
    expect(history).toContain('解锁：学校申请更正参加人数');
    await screenshot(bureau, 'reviews-view');
    await bureau.close();
  });

  it('keeps leaders and 督学 out of the view', async () => {
    const leader = await signedIn('leader', '/reviews');
    await leader.waitForURL((url) => !url.pathname.startsWith('/reviews'));
    expect(await leader.locator('.side-nav').innerText()).not.toContain('报表审核');
    await leader.close();
  });
});
