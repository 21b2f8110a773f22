/**
 * 审计日志 and 报送情况 in the browser, on the fixture district (test/fixtures/api, loaded
 * through the real ETL; every report arrived after its deadline, 1000000004 sent none for
 * 2025-10). The bureau's own sign-in is in the trail the moment it happened; the filters
 * ride in the URL and the CSV link carries them. Leaders reach neither view; a 督学's grid
 * holds their schools only.
 */
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

const rowsOf = (page: Page, selector: string) =>
  page
    .locator(`${selector} tbody tr`)
    .evaluateAll((rows) =>
      rows.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim())),
    );

describe('审计日志', () => {
  it('shows the bureau its own sign-in, filters by the URL and exports the same', async () => {
    const page = await signedIn('bureau', '/audit');
    await page.locator('[data-audit-table]').waitFor();
    const signIn = page.locator('[data-audit-table] tr[data-action="auth.login"]').first();
    await expect(signIn.innerText()).resolves.toContain('督导科王老师（bureau）');
    await expect(signIn.innerText()).resolves.toContain('成功');

    await page.locator('select[name="category"]').selectOption('登录');
    await page.waitForURL(/category=/u);
    expect(decodeURIComponent(page.url())).toContain('category=登录');
    const others = page.locator('[data-audit-table] tbody tr:not([data-action="auth.login"])');
    await expect.poll(() => others.count(), { timeout: 15_000 }).toBe(0);
    const rows = await rowsOf(page, '[data-audit-table]');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r[2] === '登录')).toBe(true);

    const href = await page.locator('[data-audit-export]').getAttribute('href');
    expect(href).toBe('/api/export/audit?category=%E7%99%BB%E5%BD%95');
    const csv = await page.request.get(`${server.url}${href}`);
    expect(csv.status()).toBe(200);
    const text = await csv.text();
    expect(text).toContain('筛选条件：全部日期；类别 登录');
    expect(text).toContain(',bureau,督导科王老师,登录,登录,auth.login,');
    await screenshot(page, 'audit-view');
    await page.close();
  });
});

describe('报送情况', () => {
  it('draws every school × month for the bureau, with a 督学 filter in the URL', async () => {
    const page = await signedIn('bureau', '/submissions?month=2025-10');
    const grid = page.locator('[data-submission-matrix]');
    await grid.waitFor();
    const schools = await grid
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-school')));
    expect(schools).toEqual(['1000000001', '1000000002', '1000000003', '1000000004']);
    const state = (school: string, month: string) =>
      grid
        .locator(`tr[data-school="${school}"] td[data-month="${month}"]`)
        .getAttribute('data-state');
    await expect(state('1000000004', '2025-10')).resolves.toBe('MISSING');
    await expect(state('1000000001', '2025-10')).resolves.toBe('LATE');
    await expect(state('1000000001', '2025-08')).resolves.toBe('NOT_DUE'); // no service in August
    // The cell says it in words too (grey print, screen readers).
    await expect(
      grid.locator('tr[data-school="1000000004"] td[data-month="2025-10"]').innerText(),
    ).resolves.toContain('缺');
    await expect(page.locator('.submission-legend').innerText()).resolves.toContain('未报送');

    await page.locator('[data-inspector-filter]').selectOption('DX01');
    await page.waitForURL(/inspector=DX01/u);
    await expect.poll(() => grid.locator('tbody tr').count(), { timeout: 15_000 }).toBe(2);
    await screenshot(page, 'submissions-view');
    await page.close();
  });

  it('gives a 督学 their schools only, and leaders neither view', async () => {
    const dx01 = await signedIn('dx01', '/submissions?month=2025-10');
    await dx01.locator('[data-submission-matrix]').waitFor();
    const schools = await dx01
      .locator('[data-submission-matrix] tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-school')));
    expect(schools).toEqual(['1000000001', '1000000003']);
    await dx01.goto(`${server.url}/audit`);
    await dx01.waitForURL((url) => !url.pathname.startsWith('/audit'));
    await dx01.close();

    const leader = await signedIn('leader', '/submissions');
    await leader.waitForURL((url) => url.pathname === '/report');
    const nav = await leader.locator('.side-nav').innerText();
    expect(nav).not.toContain('报送情况');
    expect(nav).not.toContain('审计日志');
    await leader.goto(`${server.url}/audit`);
    await leader.waitForURL((url) => url.pathname === '/report');
    await leader.close();
  });
});
