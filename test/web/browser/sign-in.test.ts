import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage, screenshot, signInAs } from '../../helpers/browser.ts';
import {
  openWebFixture,
  WEB_PASSWORD,
  WEB_USERS,
  type WebFixture,
} from '../../helpers/web-fixture.ts';

let fixture: WebFixture;
let browser: Browser;

beforeAll(async () => {
  fixture = await openWebFixture();
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await fixture?.close();
});

const navOf = async (page: Page): Promise<string[]> =>
  page.locator('nav[aria-label="主导航"] a').allInnerTexts();

describe('sign-in and navigation', () => {
  it('refuses a wrong password with a Chinese message and stays on the sign-in page', async () => {
    const page = await newPage(browser);
    await page.goto(`${fixture.url}/overview`);
    await page.getByLabel('用户名').fill('bureau');
    await page.getByLabel('密码').fill('wrong-password');
    await page.getByRole('button', { name: '登录' }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toContain('用户名或密码错误');
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.context().close();
  });

  it('shows the wait in Chinese once a username has failed too often from this address', async () => {
    // An unknown name on purpose: the answer is the same as for a real one.
    const fail = async () => {
      const res = await fetch(`${fixture.url}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'nobody-here', password: 'wrong-password-1' }),
      });
      expect(res.status).toBe(401);
    };
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    for (let i = 0; i < 6; i += 1) await fail(); // 5 free failures, then 1 s of wait
    const page = await newPage(browser);
    await page.goto(`${fixture.url}/login`);
    await page.getByLabel('用户名').fill('nobody-here');
    await page.getByLabel('密码').fill('wrong-password-2');
    await sleep(1100);
    await fail(); // the 7th: the next attempt waits 2 s
    await page.getByRole('button', { name: '登录' }).click();
    await expect
      .poll(() => page.getByRole('alert').innerText())
      .toMatch(/^登录失败次数过多，请 [12] 秒后再试$/u);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.context().close();
  });

  it('shows a bureau inspector every view, their name, role and district scope', async () => {
    const page = await newPage(browser);
    await signInAs(page, fixture.url, 'bureau', WEB_PASSWORD);
    await page.waitForURL('**/overview');
    expect(await navOf(page)).toEqual([
      '总览',
      '优先群体',
      '学校',
      '满意度',
      '违规预警',
      '数据疑点',
      '走访计划',
      '投诉与举报',
      '月度报告',
      '年度考核',
      '报送情况',
      '报表审核',
      '学期备案',
      '四不两直',
      '数据上传',
      '审计日志',
      '用户管理',
      '提醒',
    ]);
    expect(await page.locator('[data-user-name]').innerText()).toBe(WEB_USERS.bureau.name);
    expect(await page.locator('[data-user-role]').innerText()).toBe('教育局督导');
    expect(await page.locator('[data-user-scope]').innerText()).toBe('全区 · 4 所学校');
    await screenshot(page, 'sign-in-bureau-overview');
    await page.context().close();
  });

  it('lands leadership on the monthly report without the upload view', async () => {
    const page = await newPage(browser);
    await signInAs(page, fixture.url, 'leader', WEB_PASSWORD);
    await page.waitForURL('**/report');
    expect(await navOf(page)).toEqual([
      '总览',
      '优先群体',
      '学校',
      '满意度',
      '违规预警',
      '月度报告',
      '年度考核',
      '提醒',
    ]);
    await page.goto(`${fixture.url}/upload`);
    await page.waitForURL('**/report');
    expect(await page.locator('[data-view="upload"], h2:has-text("数据上传")').count()).toBe(0);
    await page.context().close();
  });

  it('shows a supervising inspector their assigned schools as scope and no upload view', async () => {
    const page = await newPage(browser);
    await signInAs(page, fixture.url, 'dx01', WEB_PASSWORD, '/upload');
    await page.waitForURL('**/overview');
    const nav = await navOf(page);
    expect(nav).not.toContain('数据上传');
    expect(nav).not.toContain('审计日志');
    expect(nav).not.toContain('四不两直');
    expect(nav).toEqual(expect.arrayContaining(['数据疑点', '报送情况']));
    expect(await page.locator('[data-user-scope]').innerText()).toMatch(
      /^责任督学 DX01 · 挂牌学校 \d+ 所$/,
    );
    await page.context().close();
  });

  it('returns to the sign-in page after signing out, and protected views need a new sign-in', async () => {
    const page = await newPage(browser);
    await signInAs(page, fixture.url, 'bureau', WEB_PASSWORD);
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByLabel('用户名').waitFor();
    await page.goto(`${fixture.url}/schools`);
    await page.getByLabel('用户名').waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.context().close();
  });
});
