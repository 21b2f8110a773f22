/**
 * Small-cell protection in the browser (issue 15), fixture district test/fixtures/api,
 * 2025-10, n = 10. 残疾儿童: 东城第一小学 1 of 2, 东城村小 0 of 1 — the district has 3
 * such pupils, too few to hide among others, so a leader gets "<10" wherever they would
 * stand (card, chart, its data table, the township table); 困难家庭学生 (12 of 20 in the
 * district) is shown exactly. The bureau keeps the exact 1 of 3 for its work.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartsSettled, launchBrowser, newPage, signInAs } from '../../helpers/browser.ts';
import { openWebFixture, WEB_PASSWORD, type WebFixture } from '../../helpers/web-fixture.ts';

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

async function priorityAs(user: string): Promise<Page> {
  const page = await newPage(browser);
  await signInAs(page, fixture.url, user, WEB_PASSWORD, '/priority');
  await page.locator('[data-priority-card]').first().waitFor();
  await chartsSettled(page);
  return page;
}

const squash = (text: string) => text.replace(/\s+/g, '');

async function cardText(page: Page, label: string): Promise<string> {
  return squash(await page.locator(`[data-priority-card="${label}"]`).innerText());
}

async function chartRows(page: Page, title: string): Promise<string[][]> {
  return page
    .locator(`[data-chart="${title}"] [data-chart-table] tr`)
    .evaluateAll((rows) =>
      rows.map((r) =>
        [...r.querySelectorAll('th, td')].map((c) => (c.textContent ?? '').replace(/\s+/g, '')),
      ),
    );
}

describe('small-cell protection in the browser', { timeout: 90_000 }, () => {
  it('shows a leader "<10" for the small group and the exact figures of the others', async () => {
    const page = await priorityAs('leader');
    try {
      const disabled = page.locator('[data-priority-card="残疾儿童"]');
      expect(await disabled.locator('.kpi-value').innerText()).toBe('<10人');
      expect(await cardText(page, '残疾儿童')).toContain('参与<10/在校<10人');
      expect(await disabled.getAttribute('title')).toContain('小群体保护');
      expect(await cardText(page, '残疾儿童')).not.toMatch(/33\.3%|参与1\//u);
      // 困难家庭学生 12 of 20 (60.0%) hides nobody: exact for the leader too.
      expect(await page.locator('[data-priority-card="困难家庭学生"] .kpi-value').innerText()).toBe(
        '60.0%',
      );
      expect(await chartRows(page, '各优先群体参与率（与全体学生比较）')).toEqual([
        ['', '群体参与率'],
        ['留守儿童', '60.0%'],
        ['随迁子女', '75.0%'],
        ['残疾儿童<10人', '<10人'],
        ['困难家庭学生', '60.0%'],
      ]);
      const trend = await chartRows(page, '优先群体参与率月度趋势');
      expect(trend.at(-1)?.[4]).toBe('<10人');
      const cell = page.locator('[data-gap-cell="东城镇|DISABLED"]');
      expect(squash(await cell.innerText())).toBe('<10人');
      expect(await page.locator('[data-small-cell-legend]').innerText()).toContain('“<10”');
    } finally {
      await page.context().close();
    }
  });

  it('keeps the bureau’s work view exact', async () => {
    const page = await priorityAs('bureau');
    try {
      expect(await page.locator('[data-priority-card="残疾儿童"] .kpi-value').innerText()).toBe(
        '33.3%',
      );
      expect(await cardText(page, '残疾儿童')).toContain('参与1/在校3人');
    } finally {
      await page.context().close();
    }
  });
});
