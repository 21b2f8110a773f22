/**
 * The 数据疑点 view on the fixture district with two doubts written behind the app (the
 * checks' own doubts from loading are removed first): 东城第一小学 (…01, DX01's) and 东城村小
 * (…02, not DX01's), both 2025-10 and OPEN. Both clocks stand at 2025-11-20 10:00 in
 * Asia/Shanghai. The tests run in order: the 督学's review changes what the bureau sees.
 */
import { sql } from 'kysely';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage, screenshot, signInAs } from '../../helpers/browser.ts';
import { seedDoubt } from '../../helpers/seed-doubt.ts';
import {
  openWebFixture,
  WEB_PASSWORD,
  WEB_USERS,
  type WebFixture,
} from '../../helpers/web-fixture.ts';

const NOW = new Date('2025-11-20T10:00:00+08:00');

let fixture: WebFixture;
let browser: Browser;

beforeAll(async () => {
  fixture = await openWebFixture({ now: NOW });
  await fixture.writer.write(async ({ db }) => {
    await sql`DELETE FROM data_doubt_events; DELETE FROM data_doubts;`.execute(db);
  });
  await seedDoubt(fixture.writer, { school: '1000000001', month: '2025-10' });
  await seedDoubt(fixture.writer, {
    school: '1000000002',
    month: '2025-10',
    rule: 'ROUND_NUMBERS.report_counts',
  });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await fixture?.close();
});

async function openAs(user: keyof typeof WEB_USERS, path: string): Promise<Page> {
  const page = await newPage(browser);
  page.setDefaultTimeout(20_000);
  await page.clock.install({ time: NOW });
  await signInAs(page, fixture.url, WEB_USERS[user].username, WEB_PASSWORD, path);
  return page;
}

function poll<T>(fn: () => Promise<T> | T) {
  return expect.poll(fn, { timeout: 20_000 });
}

const table = (page: Page, title = '数据疑点列表') => page.locator(`[data-table="${title}"]`);
const rowTexts = (page: Page, title?: string) =>
  table(page, title).locator('tbody tr').allInnerTexts();
const kpi = (page: Page, label: string) =>
  page.locator(`[data-kpi="${label}"] .kpi-value`).innerText();

describe('数据疑点', () => {
  it('is not offered to leadership, and its address leads home', async () => {
    const page = await openAs('leader', '/doubts?period=2025-10');
    await poll(() => new URL(page.url()).pathname).not.toBe('/doubts');
    expect(await page.locator('nav.side-nav').innerText()).not.toContain('数据疑点');
    await page.close();
  });

  it("shows a 督学 their school's doubt and takes a 要求更正 review", async () => {
    const page = await openAs('dx01', '/doubts?period=2025-10');
    await poll(() => rowTexts(page)).toHaveLength(1);
    const [row] = await rowTexts(page);
    expect(row).toContain('东城第一小学');
    expect(row).toContain('参与人数环比突变');
    expect(row).toContain('参与人数 400 人，是上月（100 人）的 4 倍');
    expect(row).toContain('待核实');
    expect(row).not.toContain('东城村小');
    await poll(() => kpi(page, '待核实')).toBe('1');

    await table(page).locator('[data-review-open]').click();
    const dialog = page.locator('[data-doubt-dialog]');
    await dialog.waitFor();
    await dialog.getByLabel('要求更正').check();
    await dialog.locator('[data-review-submit]').click();
    // A note is required: nothing is sent without one.
    await poll(() => dialog.locator('.form-error').innerText()).toBe('请填写核实说明');
    await dialog.locator('[data-review-note]').fill('人数与名册不符，请重新报送');
    await dialog.locator('[data-review-submit]').click();
    await dialog.waitFor({ state: 'detached' });
    await poll(() => page.locator('.done-message').innerText()).toBe('已标记为「要求更正」');
    await poll(async () => (await rowTexts(page))[0]).toContain('要求更正');
    expect((await rowTexts(page))[0]).toContain('张督学');
    await poll(() => kpi(page, '待核实')).toBe('0');
    await poll(() => kpi(page, '要求更正')).toBe('1');
    await screenshot(page, 'doubts-dx01');
    await page.close();
  });

  it('keeps the list filters in the URL for the bureau', async () => {
    const page = await openAs('bureau', '/doubts?period=2025-10&status=OPEN');
    await poll(() => rowTexts(page)).toHaveLength(1);
    expect((await rowTexts(page))[0]).toContain('东城村小');
    expect(await page.locator('[data-filter="status"]').inputValue()).toBe('OPEN');
    await page.locator('[data-filter="status"]').selectOption('CORRECTION_REQUESTED');
    await poll(() => new URL(page.url()).searchParams.get('status')).toBe('CORRECTION_REQUESTED');
    await poll(async () => (await rowTexts(page))[0] ?? '').toContain('东城第一小学');
    await page.locator('[data-filter="status"]').selectOption('');
    await poll(() => new URL(page.url()).searchParams.has('status')).toBe(false);
    await page.locator('[data-filter="rule"]').selectOption('ROUND_NUMBERS.report_counts');
    await poll(() => new URL(page.url()).searchParams.get('rule')).toBe(
      'ROUND_NUMBERS.report_counts',
    );
    // Wait for the filtered list itself: the lists before it hold one row of another rule,
    // or this row among others.
    await poll(async () => {
      const rows = await rowTexts(page);
      return rows.length === 1 ? rows[0] : `${rows.length} rows`;
    }).toContain('参加人数均为整十');
    await page.close();
  });

  it("lists a school's doubts on its page", async () => {
    const page = await openAs('bureau', '/schools/1000000001?period=2025-10');
    await poll(() => rowTexts(page, '该校数据疑点')).toHaveLength(1);
    const [row] = await rowTexts(page, '该校数据疑点');
    expect(row).toContain('要求更正');
    expect(row).toContain('人数与名册不符，请重新报送');
    await page.close();
  });
});
