/**
 * Headless Debian Chromium driven by playwright-core (Playwright's own browser download
 * does not work here). Screenshots go to test-results/ (git-ignored).
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.KEHOU_CHROMIUM ?? '/usr/bin/chromium';
export const RESULTS_DIR = fileURLToPath(new URL('../../test-results/', import.meta.url));

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** A fresh context (own cookies) at an office screen's size, Beijing time, zh-CN. */
export async function newPage(
  browser: Browser,
  viewport: { width: number; height: number } = { width: 1366, height: 768 },
): Promise<Page> {
  const context = await browser.newContext({
    viewport,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: true,
  });
  return context.newPage();
}

/** Signs in through the sign-in page and waits for the first view's frame. */
export async function signInAs(
  page: Page,
  baseUrl: string,
  username: string,
  password: string,
  path = '/',
): Promise<void> {
  await page.goto(`${baseUrl}${path}`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('[data-user-name]').waitFor();
}

/** The little of the DOM the page-side check needs (this project's Node code has no DOM types). */
interface PageGlobals {
  document: {
    querySelectorAll(selector: string): ArrayLike<{ getAttribute(name: string): string | null }>;
  };
}

/**
 * Runs in the page (a function, not a string: the dashboard's CSP forbids eval): true when
 * the page has charts and each has drawn or shows its empty or error state.
 */
export const chartsSettledInPage = (): boolean => {
  const charts = Array.from(
    (globalThis as unknown as PageGlobals).document.querySelectorAll('[data-chart-state]'),
  );
  return (
    charts.length > 0 &&
    charts.every((c) =>
      ['drawn', 'empty', 'error'].includes(c.getAttribute('data-chart-state') ?? ''),
    )
  );
};

/** Waits until every chart on the page has drawn or shows its empty state. */
export async function chartsSettled(page: Page, timeout = 15_000): Promise<void> {
  await page.waitForFunction(chartsSettledInPage, undefined, { timeout, polling: 'raf' });
}

/** Body rows of a chart's data table ("查看数据"): the category, then each series as shown. */
export async function chartRows(page: Page, title: string): Promise<string[][]> {
  return page
    .locator(`[data-chart="${title}"] [data-chart-table] tbody tr`)
    .evaluateAll((rows) =>
      rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent?.trim() ?? '')),
    );
}

interface ViewportGlobals {
  innerWidth: number;
  document: { documentElement: { scrollWidth: number } };
}

/** True when the page needs no sideways scrolling (runs in the page). */
export const fitsWidthInPage = (): boolean => {
  const g = globalThis as unknown as ViewportGlobals;
  return g.document.documentElement.scrollWidth <= g.innerWidth;
};

export async function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate(fitsWidthInPage);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  await page.screenshot({ path: `${RESULTS_DIR}${name}.png`, fullPage: true });
}
