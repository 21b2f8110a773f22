/**
 * The 走访计划 view on the fixture district (both clocks at 2025-11-20 10:00, Shanghai), for
 * the plan of 2025-10: a 督学 sees their one school ranked with its reasons in words and
 * opens the visit form on it from 记录走访; the bureau sees the district, one 督学's
 * schools by 督学编号, and the schools no one visited this semester; leadership is kept out.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot } from '../../helpers/browser.ts';
import type { WEB_USERS } from '../../helpers/web-fixture.ts';
import { browserSuite, poll } from '../../helpers/browser-suite.ts';

const NOW = new Date('2025-11-20T10:00:00+08:00');

const suite = browserSuite(NOW);
const openAs = (user: keyof typeof WEB_USERS, path: string): Promise<Page> =>
  suite.openAs(user, path);

const planSchools = (page: Page) =>
  page
    .locator('[data-plan-list] > li')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-school')));

describe('走访计划', () => {
  it('is not offered to leadership, and its address leads home', async () => {
    const page = await openAs('leader', '/plan');
    await poll(() => new URL(page.url()).pathname).not.toBe('/plan');
    expect(await page.locator('nav.side-nav').innerText()).not.toContain('走访计划');
    await page.close();
  });

  it('ranks a 督学’s school with its reasons, and 记录走访 opens the visit form on it', async () => {
    const page = await openAs('dx01', '/plan?planMonth=2025-10');
    await poll(() => planSchools(page)).toEqual(['1000000001']);
    const item = page.locator('[data-plan-list] > li').first();
    const text = await item.innerText();
    expect(text).toContain('东城第一小学');
    expect(text).toContain('没有走访记录（按 6 个月计）');
    expect(text).toContain('未办结违规预警');
    expect(text).toMatch(/高风险|中风险|低风险/);
    expect(text).not.toContain('东城村小');
    expect(await page.locator('[data-plan-caption]').innerText()).toContain('2025年10月31日');
    await screenshot(page, 'plan-dx01');

    await item.locator('[data-record-visit]').click();
    await poll(() => new URL(page.url()).pathname).toBe('/flags');
    const form = page.locator('[data-visit-form]');
    await form.waitFor();
    expect(await form.locator('select').first().inputValue()).toBe('1000000001');
    await page.close();
  });

  it('gives the bureau the district, one 督学’s schools, and the unvisited list', async () => {
    const page = await openAs('bureau', '/plan?planMonth=2025-10');
    await poll(() => planSchools(page)).toHaveLength(4);
    await poll(() => page.locator('[data-kpi="学校数"] .kpi-value').innerText()).toBe('4');
    expect(await page.locator('[data-plan-list]').innerText()).toContain('李督学（DX02）');

    await page.locator('[data-filter="inspector"]').fill('DX02');
    await page.locator('[data-filter="inspector"]').press('Enter');
    await poll(() => new URL(page.url()).searchParams.get('inspector')).toBe('DX02');
    await poll(async () => (await planSchools(page)).sort()).toEqual([
      '1000000002',
      '1000000003',
      '1000000004',
    ]);

    await page.locator('[data-plan-tab="unvisited"]').click();
    const rows = page.locator('[data-unvisited] tbody tr');
    await poll(() => rows.count()).toBe(4);
    expect(await page.locator('[data-unvisited]').innerText()).toContain('2025-2026学年第一学期');
    expect(await rows.first().innerText()).toContain('张督学');
    await screenshot(page, 'plan-unvisited');
    await page.close();
  });
});
