/**
 * The filter bar's 月 / 学期 / 学年 in the browser against the fixture district
 * (test/fixtures/api): reports in 2024-10 (001 alone) and in 2025-09 (all four) and
 * 2025-10 (001, 002, 003; 003 served 0 days). The semester 2025-2026学年第一学期 is
 * 2025-09..2026-01, all service months in the fixture policy; its figures are the sums of
 * the two reported months, hand-computed from 月报.csv:
 *   participants 235 + 208 = 443, enrolled 380 + 450 = 830 → 53.4 % (the mean of the
 *   monthly rates, 61.8 % and 46.2 %, would be 54.0 %);
 *   school-months: 4 schools × 5 months = 20 in scope, 4 + 3 = 7 reported, 4 + 2 = 6 served.
 * 同比 is 2024-2025学年第一学期: 001 in 2024-10, 54 / 90 = 60.0 %.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chartsSettled,
  launchBrowser,
  newPage,
  screenshot,
  signInAs,
} from '../../helpers/browser.ts';
import { openWebFixture, WEB_PASSWORD, type WebFixture } from '../../helpers/web-fixture.ts';

let fixture: WebFixture;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  fixture = await openWebFixture();
  browser = await launchBrowser();
  page = await newPage(browser);
  await signInAs(page, fixture.url, 'bureau', WEB_PASSWORD, '/overview');
}, 60_000);

afterAll(async () => {
  await page?.context().close();
  await browser?.close();
  await fixture?.close();
});

const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 15_000 });
const query = (key: string) => new URL(page.url()).searchParams.get(key);

async function kpi(label: string): Promise<string[]> {
  const card = page.locator(`[data-kpi="${label}"]`);
  return [
    await card.locator('.kpi-value').innerText(),
    await card.locator('.kpi-hint').innerText(),
    ...(await card.locator('.kpi-changes li').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ')),
  ];
}

/** The options of a filter bar select, as shown. */
async function options(selector: string): Promise<string[]> {
  return (await page.locator(`.filter-bar ${selector} option`).allInnerTexts()).map((t) =>
    t.trim(),
  );
}

describe('periods in the filter bar', { timeout: 60_000 }, () => {
  it('opens on the newest month, then 学期 puts the semester in the URL and its sums on the cards', async () => {
    await page.locator('[data-kpi]').first().waitFor();
    expect(await page.locator('.filter-bar [data-period-kind]').inputValue()).toBe('MONTH');
    expect(await page.locator('.filter-bar [data-period]').inputValue()).toBe('2025-10');
    expect(await options('[data-period-kind]')).toEqual(['月', '学期', '学年']);
    expect((await kpi('学生参与率')).slice(0, 2)).toEqual(['46.2%', '参与 208 / 在校 450 人']);

    await page.locator('.filter-bar').getByLabel('统计周期').selectOption({ label: '学期' });
    await poll(() => Promise.resolve(query('period'))).toBe('2025-2026-1');
    // Semesters holding a reported month, newest first.
    expect(await options('[data-period]')).toEqual([
      '2025-2026学年第一学期',
      '2024-2025学年第一学期',
    ]);
    await poll(async () => (await kpi('学生参与率'))[0]).toBe('53.4%');
    expect(await kpi('学生参与率')).toEqual([
      '53.4%',
      '参与 443 / 在校 830 人次',
      // 环比: 2024-2025学年第二学期 has no report.
      '环比 不可比',
      // 53.4 % − 60.0 %.
      '同比▼ −6.6个百分点',
    ]);
    expect((await kpi('学校覆盖率')).slice(0, 2)).toEqual([
      '85.7%',
      '开展 6 · 未开展 1 · 未报送 13 校次',
    ]);
    expect(await page.locator('[data-overview-sub]').innerText()).toBe(
      '范围：全区 · 统计周期：2025-2026学年第一学期；乡镇（街道）：全部；学段：全部；城乡类型：全部 · 已报送 7 / 20 校次',
    );
    await chartsSettled(page);
    await screenshot(page, 'periods-overview-semester-1366');
  });

  it('keeps the period across views, and an old ?month= link still opens that month', async () => {
    await page
      .getByRole('navigation', { name: '主导航' })
      .getByRole('link', { name: '学校' })
      .click();
    await poll(() => Promise.resolve(new URL(page.url()).pathname)).toBe('/schools');
    expect(query('period')).toBe('2025-2026-1');
    expect(await page.locator('.filter-bar [data-period]').inputValue()).toBe('2025-2026-1');

    await page.goto(`${fixture.url}/overview?month=2025-09`);
    await page.locator('[data-kpi]').first().waitFor();
    expect(await page.locator('.filter-bar [data-period]').inputValue()).toBe('2025-09');
    await poll(async () => (await kpi('学生参与率'))[0]).toBe('61.8%');
    // 学年 from September 2025: the school year holding it; the old month leaves the URL.
    await page.locator('.filter-bar').getByLabel('统计周期').selectOption({ label: '学年' });
    await poll(() => Promise.resolve(query('period'))).toBe('2025-2026');
    expect(query('month')).toBeNull();
    expect(await options('[data-period]')).toEqual(['2025-2026学年', '2024-2025学年']);
    await poll(async () => (await kpi('学生参与率'))[0]).toBe('53.4%');
  });

  it('shows a school’s semester as the sums of its months', async () => {
    // 东城第一小学 (001): 2025-09 grade 1 70 of 100 (70 applied), 16 of 16 days, 28 teachers;
    // 2025-10 grades 1–2 168 of 200 (170 applied), 20 of 20 days, 30 teachers.
    await page.goto(`${fixture.url}/schools/1000000001?period=2025-2026-1`);
    await page.locator('[data-school-header]').waitFor();
    const fact = (label: string) => page.locator(`[data-fact="${label}"] dd`).innerText();
    expect(await fact('统计周期')).toBe('2025-2026学年第一学期');
    await poll(async () => (await kpi('学生参与率'))[0]).toBe('79.3%');
    expect(await kpi('学生参与率')).toEqual(['79.3%', '参加 238 人次 / 在校生 300 人次']);
    expect((await kpi('需求满足率'))[0]).toBe('99.2%');
    expect((await kpi('开展天数 / 上学天数'))[0]).toBe('36 / 36 天');
    expect((await kpi('教师参与率'))[1]).toBe('参与教师 58 人次（已报送各月合计）');
  });

  it('exports the schools of the semester headed by its scope, and prints a 学期报告', async () => {
    await page.goto(`${fixture.url}/schools?period=2025-2026-1`);
    const table = page.locator('[data-table="学校列表"]');
    await table.locator('tbody tr').first().waitFor();
    expect(await page.locator('.view-sub').first().innerText()).toBe(
      '统计周期：2025-2026学年第一学期；乡镇（街道）：全部；学段：全部；城乡类型：全部',
    );
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      table.getByRole('button', { name: '导出 CSV' }).click(),
    ]);
    const lines = (await readFile((await download.path())!))
      .toString('utf8')
      .replace(/^\uFEFF/u, '')
      .split('\r\n');
    expect(lines[1]).toBe('统计范围：全区（4所学校）；2025-2026学年第一学期');

    await page.goto(`${fixture.url}/report?period=2025-2026-1`);
    await page.locator('[data-report-header]').waitFor();
    expect(await page.locator('[data-report-header] .report-title').innerText()).toBe(
      '课后服务督导学期报告',
    );
    expect(await page.locator('[data-report-month]').innerText()).toBe('2025-2026学年第一学期');
    // The report's 学生参与率 card: the same sums as the 总览's.
    await poll(async () => (await kpi('学生参与率'))[0]).toBe('53.4%');
    expect((await kpi('学生参与率'))[1]).toBe('参与 443 人次 / 在校生 830 人次');
  });

  it('counts the semester’s survey answers as the window of 满意度', async () => {
    // Parents' answers submitted in the semester's months: 001 100, 75, 25; 002 50; 003 0.
    await page.goto(`${fixture.url}/satisfaction?period=2025-2026-1`);
    const parent = page.locator('[data-respondent="家长"]');
    await poll(() => parent.locator('[data-figure="responses"]').innerText()).toBe('5 份');
    expect(await parent.locator('.kpi-value').innerText()).toBe('50.0分');
    // The semester is the window: no 本学期 / 本月 / 近12个月 choice beside it.
    expect(await page.locator('[data-view-sub]').innerText()).toContain(
      '统计周期：2025-2026学年第一学期',
    );
    expect(await page.getByRole('group', { name: '统计区间' }).count()).toBe(0);
  });
});
