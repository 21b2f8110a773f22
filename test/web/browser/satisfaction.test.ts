import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chartRows,
  chartsSettled,
  launchBrowser,
  newPage,
  screenshot,
  signInAs,
} from '../../helpers/browser.ts';
import { openWebFixture, WEB_PASSWORD, type WebFixture } from '../../helpers/web-fixture.ts';

// Hand counts of test/fixtures/api/满意度问卷-2025秋.csv. Parents, 2025-09..2025-10:
// overall 非常满意(#1) 满意(#2) 不满意(#3) 一般(#4) 非常不满意(#6) → one each;
// content 满意(#1,#4) 一般(#2,#6) 不满意(#3). Student (#5): 非常满意 twice.
const OVERALL = '您对学校课后服务总体是否满意？';
const CONTENT = '您对课后服务的课程内容是否满意？';

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

async function tableRows(page: Page, title: string): Promise<string[][]> {
  return page
    .locator(`[data-table="${title}"] tbody tr`)
    .evaluateAll((rows) =>
      rows.map((r) => [...r.querySelectorAll('td')].map((c) => c.textContent!.trim())),
    );
}

async function card(page: Page, label: string): Promise<string[]> {
  const el = page.locator(`[data-respondent="${label}"]`);
  return [
    (await el.locator('.kpi-value').innerText()).replace(/\s+/g, ''),
    await el.locator('[data-figure="satisfied"]').innerText(),
    await el.locator('[data-figure="responses"]').innerText(),
  ];
}

async function graphql(page: Page, query: string): Promise<Record<string, unknown>> {
  return page.evaluate(async (q) => {
    const res = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: q }),
    });
    return ((await res.json()) as { data: Record<string, unknown> }).data;
  }, query);
}

// Generous: the shared 2-core machine runs several browsers at once.
describe('satisfaction view', { timeout: 90_000 }, () => {
  it('shows the semester cards, item distribution and item table from the fixture answers', async () => {
    const page = await newPage(browser);
    await signInAs(page, fixture.url, 'bureau', WEB_PASSWORD, '/satisfaction?month=2025-10');
    await chartsSettled(page);
    await expect
      .poll(() => page.locator('[data-view-sub]').innerText())
      .toContain('统计区间：2025年9月至2025年10月（本学期）');

    expect(await card(page, '家长')).toEqual(['50.0分', '40.0%', '5 份']);
    expect(await card(page, '学生')).toEqual(['100.0分', '100.0%', '1 份']);
    expect(await card(page, '教师')).toEqual(['—', '—', '0 份']);

    expect(await chartRows(page, '家长问卷各题作答分布')).toEqual([
      [OVERALL, '20.0%', '20.0%', '20.0%', '20.0%', '20.0%'],
      [CONTENT, '0.0%', '40.0%', '40.0%', '20.0%', '0.0%'],
    ]);

    // item, respondent, responses, score, satisfied, counts 非常满意 … 非常不满意
    expect(await tableRows(page, '各题满意度明细')).toEqual([
      [OVERALL, '家长', '5', '50.0', '40.0%', '1', '1', '1', '1', '1'],
      [OVERALL, '学生', '1', '100.0', '100.0%', '1', '0', '0', '0', '0'],
      [CONTENT, '家长', '5', '55.0', '40.0%', '0', '2', '2', '1', '0'],
      [CONTENT, '学生', '1', '100.0', '100.0%', '1', '0', '0', '0', '0'],
    ]);

    // Month by month (responses submitted in the month): September #6 only; October #1–#4.
    expect(await chartRows(page, '家长、学生满意度得分月度趋势')).toEqual(
      expect.arrayContaining([
        ['9月', '0.0', '—'],
        ['10月', '62.5', '100.0'],
      ]),
    );
    // No horizontal page scroll at 1366 wide.
    const scrollWidth = await page.evaluate(
      () =>
        (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } })
          .document.documentElement.scrollWidth,
    );
    expect(scrollWidth).toBeLessThanOrEqual(1366);
    await screenshot(page, 'satisfaction-bureau');
    await page.context().close();
  });

  it('switches respondent and window through the URL and lists the lowest schools with links', async () => {
    const page = await newPage(browser);
    await signInAs(page, fixture.url, 'bureau', WEB_PASSWORD, '/satisfaction?month=2025-10&min=1');
    await chartsSettled(page);
    expect(await tableRows(page, '家长满意度得分最低的学校')).toEqual([
      ['1', '西山中学', '1000000003', '西山乡', '初中', '1', '0.0', '0.0%'],
      ['2', '东城村小', '1000000002', '东城镇', '小学', '1', '50.0', '0.0%'],
      ['3', '东城第一小学', '1000000001', '东城镇', '小学', '3', '66.7', '66.7%'],
    ]);
    const link = page.locator('[data-table="家长满意度得分最低的学校"] a', { hasText: '西山中学' });
    expect(await link.getAttribute('href')).toBe('/schools/1000000003?month=2025-10');

    await page.getByRole('radio', { name: '学生' }).check();
    await expect.poll(() => new URL(page.url()).searchParams.get('respondent')).toBe('student');
    await page.locator('[data-chart="学生问卷各题作答分布"][data-chart-state="drawn"]').waitFor();
    expect(await chartRows(page, '学生问卷各题作答分布')).toEqual([
      [OVERALL, '100.0%', '0.0%', '0.0%', '0.0%', '0.0%'],
      [CONTENT, '100.0%', '0.0%', '0.0%', '0.0%', '0.0%'],
    ]);

    await page.getByRole('radio', { name: '本月' }).check();
    await expect.poll(() => new URL(page.url()).searchParams.get('window')).toBe('month');
    await expect
      .poll(() => page.locator('[data-view-sub]').innerText())
      .toContain('统计区间：2025年10月（本月）');
    // October parents: #1–#4 → 100, 75, 25, 50.
    await expect.poll(() => card(page, '家长')).toEqual(['62.5分', '50.0%', '4 份']);

    // The keyboard reaches the choices.
    await page.getByRole('radio', { name: '近12个月' }).focus();
    await page.keyboard.press('Space');
    await expect.poll(() => new URL(page.url()).searchParams.get('window')).toBe('year');
    await page.context().close();
  });

  it('shows a supervising inspector only their schools', async () => {
    const page = await newPage(browser);
    await signInAs(page, fixture.url, 'dx01', WEB_PASSWORD, '/satisfaction?month=2025-10&min=1');
    await chartsSettled(page);
    const api = (await graphql(
      page,
      `
        {
          satisfaction(from: "2025-09", to: "2025-10") {
            byRespondent {
              respondent
              responses
            }
            lowestSchools(respondent: "parent", minResponses: 1) {
              school {
                code
              }
            }
          }
        }
      `,
    )) as {
      satisfaction: {
        byRespondent: { respondent: string; responses: number }[];
        lowestSchools: { school: { code: string } }[];
      };
    };
    const parents = api.satisfaction.byRespondent.find((r) => r.respondent === 'parent')!;
    // DX01: 1000000001 (#1–#3) and, in September, 1000000003 (#6).
    expect(parents.responses).toBe(4);
    expect((await card(page, '家长'))[2]).toBe(`${parents.responses} 份`);
    const codes = (await tableRows(page, '家长满意度得分最低的学校')).map((r) => r[2]);
    expect(codes).toEqual(api.satisfaction.lowestSchools.map((s) => s.school.code));
    expect(codes).toEqual(['1000000003', '1000000001']);
    expect(await page.locator('[data-table="各题满意度明细"]').innerText()).not.toContain(
      '东城村小',
    );
    await screenshot(page, 'satisfaction-dx01');
    await page.context().close();
  });

  // Last: it loads 2025-11's reports (no answers that month) into the shared fixture.
  it('opens on the newest month with answers in the viewer’s scope and says which', async () => {
    const page = await newPage(browser);
    await signInAs(page, fixture.url, 'bureau', WEB_PASSWORD, '/satisfaction?month=2025-10');
    const monthly = fileURLToPath(new URL('../../fixtures/web/月报-2025-11.csv', import.meta.url));
    const upload = await page.request.post(`${fixture.url}/api/uploads`, {
      multipart: {
        files: { name: '月报-2025-11.csv', mimeType: 'text/csv', buffer: await readFile(monthly) },
      },
    });
    // One bad cell: the file loads with one rejected unit (422), 2025-11 now has reports.
    expect([200, 422]).toContain(upload.status());
    await page.context().close();

    // A new session's default month is 2025-11, which has no answers at all.
    const month = await newPage(browser);
    await signInAs(month, fixture.url, 'bureau', WEB_PASSWORD, '/satisfaction?window=month');
    await chartsSettled(month);
    const notice = month.locator('[data-latest-answers]');
    await expect
      .poll(() => notice.innerText())
      .toBe('显示最近有答卷的月份：2025年10月；2025年11月（本月）暂无答卷。');
    expect(await month.locator('[data-view-sub]').innerText()).toContain(
      '统计区间：2025年10月（本月）',
    );
    // October parents: #1–#4 → 100, 75, 25, 50.
    await expect.poll(() => card(month, '家长')).toEqual(['62.5分', '50.0%', '4 份']);

    // 西山乡's one answer (#6, 003) came in September: that is its newest month.
    await month.goto(`${fixture.url}/satisfaction?window=month&township=西山乡`);
    await chartsSettled(month);
    await expect
      .poll(() => notice.innerText())
      .toBe('显示最近有答卷的月份：2025年9月；2025年11月（本月）暂无答卷。');
    await expect.poll(() => card(month, '家长')).toEqual(['0.0分', '0.0%', '1 份']);

    // The semester to date (2025-09 … 2025-11) has answers: shown as asked, no notice.
    await month.goto(`${fixture.url}/satisfaction`);
    await chartsSettled(month);
    await expect
      .poll(() => month.locator('[data-view-sub]').innerText())
      .toContain('统计区间：2025年9月至2025年11月（本学期）');
    expect(await notice.count()).toBe(0);

    // A month chosen in the URL stays, with a link to the newest month with answers.
    await month.goto(`${fixture.url}/satisfaction?window=month&month=2025-11`);
    await chartsSettled(month);
    await expect
      .poll(() => notice.innerText())
      .toBe('所选区间暂无答卷；最近有答卷的月份：2025年10月');
    expect(await card(month, '家长')).toEqual(['—', '—', '0 份']);
    await notice.getByRole('link', { name: '2025年10月' }).click();
    await expect.poll(() => new URL(month.url()).searchParams.get('month')).toBe('2025-10');
    await expect.poll(() => card(month, '家长')).toEqual(['62.5分', '50.0%', '4 份']);
    await month.context().close();
  });
});
