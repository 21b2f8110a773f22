/**
 * The 投诉与举报 view on the fixture district. Both clocks stand at 2025-11-20 10:00 in
 * Asia/Shanghai. The tests run in order: the 督学 records and handles a complaint of
 * 东城第一小学 (…01, DX01's); the bureau then reads it with its complainant.
 */
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot } from '../../helpers/browser.ts';
import type { WEB_USERS } from '../../helpers/web-fixture.ts';
import { browserSuite, poll } from '../../helpers/browser-suite.ts';

const NOW = new Date('2025-11-20T10:00:00+08:00');

const suite = browserSuite(NOW);
const openAs = (user: keyof typeof WEB_USERS, path: string): Promise<Page> =>
  suite.openAs(user, path);

const rowTexts = (page: Page) => page.locator('[data-complaints-table] tbody tr').allInnerTexts();

describe('投诉与举报', () => {
  it('is not offered to leadership, and its address leads home', async () => {
    const page = await openAs('leader', '/complaints');
    await poll(() => new URL(page.url()).pathname).not.toBe('/complaints');
    expect(await page.locator('nav.side-nav').innerText()).not.toContain('投诉与举报');
    await page.close();
  });

  it('lets a 督学 record a complaint, raise a flag from it and close it', async () => {
    const page = await openAs('dx01', '/complaints');
    await poll(() => page.locator('[data-complaints-caption]').innerText()).toBe('共 0 件');
    await page.locator('[data-record-complaint]').click();
    const form = page.locator('[data-complaint-form]');
    await form.locator('[data-field="school"]').fill('1000000001');
    await form.locator('[data-field="source"]').selectOption('HOTLINE_12345');
    await form.locator('[data-field="category"]').selectOption('ILLEGAL_FEES');
    await form.locator('[data-field="receivedOn"]').fill('2025-11-18');
    await form.locator('[data-field="name"]').fill('陈女士');
    await form.locator('button[type="submit"]').click();
    // The allegation is required: nothing is sent without it.
    await poll(() => form.locator('.error').innerText()).toBe('请填写反映内容');
    await form.locator('[data-field="allegation"]').fill('课后服务另收教辅费每人200元');
    await form.locator('button[type="submit"]').click();

    const drawer = page.locator('[data-complaint-drawer]');
    await drawer.waitFor();
    await poll(() => new URL(page.url()).searchParams.has('open')).toBe(true);
    expect(await drawer.locator('[data-complaint-status]').innerText()).toBe('待办理');
    // 2025-11-18 + 15 days (policy complaints.handling_days).
    expect(await drawer.locator('[data-complaint-deadline]').innerText()).toContain('2025');
    expect(await drawer.locator('[data-complainant]').innerText()).toContain('陈女士');

    await drawer.locator('[data-step="RAISE_FLAG"]').click();
    await drawer.locator('[data-step-text]').fill('核实收取教辅费');
    await drawer.locator('button[type="submit"]').click();
    await poll(() => drawer.locator('[data-complaint-flag]').innerText()).toContain('违规收费');
    await poll(() => drawer.locator('[data-complaint-status]').innerText()).toBe('核查中');

    await drawer.locator('[data-step="CLOSE"]').click();
    await drawer.locator('[data-step-text]').fill('情况属实，已责令退费');
    await drawer.getByLabel('属实', { exact: true }).check();
    await drawer.locator('button[type="submit"]').click();
    await poll(() => drawer.locator('[data-complaint-status]').innerText()).toBe('已办结');
    const history = await drawer.locator('[data-complaint-history] li').allInnerTexts();
    expect(history.map((h) => h.split(' · ').at(-1)?.split('：')[0])).toEqual([
      '登记',
      '转为违规预警',
      '办结',
    ]);
    await screenshot(page, 'complaints-dx01');
    await drawer.getByRole('button', { name: '关闭' }).click();
    await poll(() => new URL(page.url()).searchParams.has('open')).toBe(false);
    await poll(() => rowTexts(page)).toHaveLength(1);
    expect((await rowTexts(page))[0]).toContain('已办结');
    await page.close();
  }, 120_000);

  it('keeps the list filters in the URL for the bureau', async () => {
    const page = await openAs('bureau', '/complaints?status=RECEIVED');
    await poll(() => page.locator('[data-complaints-caption]').innerText()).toBe('共 0 件');
    await page.locator('[data-filter="status"]').selectOption('CLOSED');
    await poll(() => new URL(page.url()).searchParams.get('status')).toBe('CLOSED');
    await poll(() => rowTexts(page)).toHaveLength(1);
    expect((await rowTexts(page))[0]).toContain('东城第一小学');
    await page.locator('[data-complaints-table] button').first().click();
    const drawer = page.locator('[data-complaint-drawer]');
    await drawer.waitFor();
    expect(await drawer.locator('[data-complainant]').innerText()).toContain('陈女士');
    const rows = await sql<{ n: number }>`SELECT count(*)::INTEGER AS n FROM flags
      WHERE rule = 'ILLEGAL_FEES.complaint'`.execute(suite.fixture.warehouse.db);
    expect(rows.rows[0]?.n).toBe(1);
    await page.close();
  });

  it("lists a school's complaints on its page", async () => {
    const page = await openAs('bureau', '/schools/1000000001?period=2025-11');
    const section = page.locator('[data-school-complaints]');
    await poll(() => section.locator('.caption').innerText()).toBe('共 1 件，其中未办结 0 件');
    expect(await section.innerText()).toContain('违规收费');
    await page.close();
  });
});
