/**
 * The 学校 table and the school page against the fixture district (test/fixtures/api):
 * figures hand-computed from its CSVs (see test/server/graphql/schools.e2e.test.ts), the
 * sort kept in the URL, paging, search, export, and a supervising inspector's remit.
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

beforeAll(async () => {
  fixture = await openWebFixture();
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await fixture?.close();
});

const TABLE = '[data-table="学校列表"]';

/** Cell texts of a table's rows (a sparkline's SVG title and the 数据来源 button left out). */
async function tableRows(page: Page, table = TABLE): Promise<string[][]> {
  await page.locator(`${table} tbody tr`).first().waitFor();
  return page.locator(`${table} tbody tr`).evaluateAll((rows) =>
    rows.map((row) =>
      [...row.querySelectorAll('td')].map((td) => {
        const cell = td.cloneNode(true) as typeof td;
        for (const svg of cell.querySelectorAll('[data-sparkline], [data-lineage-open]'))
          svg.remove();
        return (cell.textContent ?? '').replace(/\s+/g, ' ').trim();
      }),
    ),
  );
}

const names = async (page: Page): Promise<string[]> => (await tableRows(page)).map((r) => r[0]!);

async function chartRows(page: Page, title: string): Promise<string[][]> {
  return page
    .locator(`[data-chart="${title}"] [data-chart-table] tbody tr`)
    .evaluateAll((rows) =>
      rows.map((row) =>
        [...row.querySelectorAll('th, td')].map((cell) => (cell.textContent ?? '').trim()),
      ),
    );
}

/** No horizontal page scroll at 1366 wide (tables may scroll inside their panel). */
async function fitsWidth(page: Page): Promise<boolean> {
  const [scroll, client] = await page
    .locator('html')
    .evaluate((html) => [html.scrollWidth, html.clientWidth]);
  return scroll! <= client!;
}

const kpi = (page: Page, label: string): Promise<string> =>
  page.locator(`[data-kpi="${label}"] .kpi-value`).innerText();

// The machine is shared: allow for a slow browser under load.
describe('学校 table', { timeout: 60_000 }, () => {
  it('lists every school of 2025-10 with its figures, sparkline and caption', async () => {
    const page = await newPage(browser);
    await signInAs(page, fixture.url, 'bureau', WEB_PASSWORD, '/schools');
    await page.locator(`${TABLE} [data-sparkline]`).first().waitFor();
    expect(await page.locator(`${TABLE} .panel-caption`).innerText()).toBe('共 4 所学校');
    expect(await tableRows(page)).toEqual([
      // 001: 168/200, 168/170; disabled 1/2 − 0.84; parents 100, 75, 25; 4 + 7 missing flags.
      [
        '东城第一小学',
        '1000000001',
        '东城镇',
        '小学',
        '城区',
        '200',
        '84.0%',
        '98.8%',
        '−34.0个百分点',
        '残疾儿童',
        '66.7 （3份）',
        '11',
        '已报送',
      ],
      // 002: 40/50, 40/40; disabled 0/1 − 0.8.
      [
        '东城村小',
        '1000000002',
        '东城镇',
        '小学',
        '乡村',
        '50',
        '80.0%',
        '100.0%',
        '−80.0个百分点',
        '残疾儿童',
        '50.0 （1份）',
        '11',
        '已报送',
      ],
      // 003: reported no service in 2025-10 (0 of 200, nobody applied).
      [
        '西山中学',
        '1000000003',
        '西山乡',
        '初中',
        '镇区',
        '200',
        '0.0%',
        '—',
        '—',
        '—',
        '0.0 （1份）',
        '11',
        '已报送',
      ],
      [
        '西山九年一贯制学校',
        '1000000004',
        '西山乡',
        '九年一贯制',
        '乡村',
        '—',
        '—',
        '—',
        '—',
        '—',
        '—',
        '9',
        '未报送',
      ],
    ]);
    // 12 months 2024-11 … 2025-10: reports in 2025-09 (70%) and 2025-10 (84%) only.
    const spark = page.locator(`${TABLE} tbody tr`).first().locator('[data-sparkline]');
    expect(await spark.getAttribute('aria-label')).toBe(
      '近12个月参与率：最低 70.0%，最高 84.0%，10月 84.0%',
    );
    expect(await spark.locator('polyline').count()).toBe(1);
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, 'schools-bureau');
    await page.context().close();
  });

  it('sorts on the server, keeps the sort in the URL and restores it from a bookmark', async () => {
    const page = await newPage(browser);
    await signInAs(page, fixture.url, 'bureau', WEB_PASSWORD, '/schools?month=2025-10');
    await tableRows(page);
    await page.locator(`${TABLE} thead`).getByRole('button', { name: '参与率' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('sort')).toBe('participationRate');
    expect(new URL(page.url()).searchParams.get('dir')).toBe('desc');
    expect(new URL(page.url()).searchParams.get('month')).toBe('2025-10');
    await expect
      .poll(() => names(page))
      .toEqual(['东城第一小学', '东城村小', '西山中学', '西山九年一贯制学校']);
    await page.locator(`${TABLE} thead`).getByRole('button', { name: '参与率' }).click();
    // Nulls stay last in both directions.
    await expect
      .poll(() => names(page))
      .toEqual(['西山中学', '东城村小', '东城第一小学', '西山九年一贯制学校']);
    expect(await page.locator(`${TABLE} th[aria-sort="ascending"]`).innerText()).toContain(
      '参与率',
    );

    // 优先群体最大落后: one click puts the largest shortfall first (002: 残疾儿童 0/1 vs 80 %).
    await page.locator(`${TABLE} thead`).getByRole('button', { name: '优先群体最大落后' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('sort')).toBe('priorityShortfall');
    await expect
      .poll(() => names(page))
      .toEqual(['东城村小', '东城第一小学', '西山中学', '西山九年一贯制学校']);
    // 2025-09: 001 留守儿童 −20, 002 留守儿童 −15, 003 留守儿童 −11.7, 004 no group lags.
    await page.goto(`${fixture.url}/schools?month=2025-09&sort=priorityShortfall&dir=desc`);
    await expect
      .poll(async () => (await tableRows(page)).map((r) => [r[0], r[8], r[9]]))
      .toEqual([
        ['东城第一小学', '−20.0个百分点', '留守儿童'],
        ['东城村小', '−15.0个百分点', '留守儿童'],
        ['西山中学', '−11.7个百分点', '留守儿童'],
        ['西山九年一贯制学校', '无落后', '—'],
      ]);
    await page.goto(`${fixture.url}/schools?sort=openFlags&dir=desc&township=西山乡`);
    await expect.poll(() => names(page)).toEqual(['西山中学', '西山九年一贯制学校']);
    expect(await page.locator(`${TABLE} .panel-caption`).innerText()).toBe('共 2 所学校');
    await page.context().close();
  });

  it('pages with 加载更多 and fetches each page’s sparklines', async () => {
    const page = await newPage(browser);
    // Two schools a page instead of 100, so the fixture's four make two pages.
    await page.route('**/graphql', async (route) => {
      const body = route.request().postDataJSON() as {
        query: string;
        variables: Record<string, unknown>;
      };
      if (body.query.includes('query SchoolsPage'))
        await route.continue({
          postData: JSON.stringify({ ...body, variables: { ...body.variables, first: 2 } }),
        });
      else await route.continue();
    });
    await signInAs(page, fixture.url, 'bureau', WEB_PASSWORD, '/schools?month=2025-09');
    expect(await names(page)).toEqual(['东城第一小学', '东城村小']);
    expect(await page.locator(`${TABLE} .panel-caption`).innerText()).toBe(
      '共 4 所学校，已显示 2 所',
    );
    await page.getByRole('button', { name: '加载更多（已显示 2 / 4 所）' }).click();
    await expect
      .poll(() => names(page))
      .toEqual(['东城第一小学', '东城村小', '西山中学', '西山九年一贯制学校']);
    await expect.poll(() => page.locator(`${TABLE} [data-sparkline]`).count()).toBe(4);
    expect(await page.getByRole('button', { name: /加载更多/ }).count()).toBe(0);
    // 2025-09: 004 served 30 of 30.
    expect(
      await page
        .locator(`${TABLE} tbody tr`)
        .nth(3)
        .locator('[data-sparkline]')
        .getAttribute('aria-label'),
    ).toBe('近12个月参与率：最低 100.0%，最高 100.0%，9月 100.0%');
    await page.context().close();
  });

  it('searches by name or code and exports every column but the sparkline', async () => {
    const page = await newPage(browser);
    await signInAs(page, fixture.url, 'bureau', WEB_PASSWORD, '/schools?month=2025-10');
    await tableRows(page);
    const search = page.getByLabel('搜索学校名称或标识码');
    await search.fill('村小');
    await expect.poll(() => names(page)).toEqual(['东城村小']);
    expect(await page.locator(`${TABLE} .panel-caption`).innerText()).toBe(
      '共 4 所学校，搜索“村小”匹配 1 所',
    );
    await search.fill('1000000003');
    await expect.poll(() => names(page)).toEqual(['西山中学']);
    await search.fill('');
    await expect.poll(async () => (await names(page)).length).toBe(4);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator(TABLE).getByRole('button', { name: '导出 CSV' }).click(),
    ]);
    const csv = (await readFile((await download.path())!, 'utf8')).replace(/^\uFEFF/, '');
    // The server's export of the whole scope (test/web/browser/export.test.ts).
    const lines = csv.split('\r\n');
    expect(lines[1]).toBe('统计范围：全区（4所学校）；2025年10月');
    expect(lines).toContain(
      '学校标识码,学校名称,乡镇（街道）,学段,城乡类型,月报,在校生（人）,申请（人）,参与（人）,学生参与率,需求满足率,优先群体最大落后,落后最多的群体,家长满意度,家长答卷（份）,未办结违规预警（条）',
    );
    // A file is small-cell protected for every role: 残疾儿童's 1 of 2 (−34.0 points) is
    // withheld, so the largest gap shown is 留守儿童's 14 of 20 against 168 of 200.
    expect(lines).toContain(
      '1000000001,东城第一小学,东城镇,小学,城区,已报送,200,170,168,84.0%,98.8%,−14.0个百分点,留守儿童,66.7,3,11',
    );
    await page.context().close();
  });

  it('shows a supervising inspector only their schools', async () => {
    const page = await newPage(browser);
    await signInAs(page, fixture.url, 'dx01', WEB_PASSWORD, '/schools?month=2025-09');
    expect(await names(page)).toEqual(['东城第一小学', '西山中学']);
    expect(await page.locator(`${TABLE} .panel-caption`).innerText()).toBe('共 2 所学校');
    // 西山中学 moves to DX02 in 2025-10.
    await page.goto(`${fixture.url}/schools?month=2025-10`);
    await expect.poll(() => names(page)).toEqual(['东城第一小学']);
    await screenshot(page, 'schools-dx01');
    await page.context().close();
  });
});

describe('school page', { timeout: 60_000 }, () => {
  it('shows each priority group’s rate and gap, 不适用 for a group the school does not enrol', async () => {
    const page = await newPage(browser);
    await signInAs(page, fixture.url, 'bureau', WEB_PASSWORD, '/schools/1000000002?month=2025-10');
    // 东城村小 2025-10: 40/50 = 80 %; no migrant pupils.
    expect(await tableRows(page, '[data-table="优先群体参与情况"]')).toEqual([
      ['留守儿童', '20', '10', '50.0%', '−30.0个百分点'],
      ['随迁子女', '0', '不适用', '不适用', '不适用'],
      ['残疾儿童', '1', '0', '0.0%', '−80.0个百分点'],
      ['困难家庭学生', '10', '4', '40.0%', '−40.0个百分点'],
    ]);
    await screenshot(page, 'school-priority-groups');
    await page.context().close();
  });

  it('shows 东城第一小学’s header, key figures, trends, grades, survey and flags', async () => {
    const page = await newPage(browser);
    await signInAs(
      page,
      fixture.url,
      'bureau',
      WEB_PASSWORD,
      '/schools?month=2025-10&township=东城镇',
    );
    await page.getByRole('link', { name: '东城第一小学' }).click();
    await page.locator('[data-school-header]').waitFor();
    const url = new URL(page.url());
    expect(url.pathname).toBe('/schools/1000000001');
    expect(url.searchParams.get('township')).toBe('东城镇');
    expect(url.searchParams.get('month')).toBe('2025-10');
    await chartsSettled(page);

    expect(await page.locator('[data-school-header] h2').innerText()).toBe('东城第一小学');
    const fact = (label: string) => page.locator(`[data-fact="${label}"] dd`).innerText();
    expect(await fact('学校标识码')).toBe('1000000001');
    expect(await fact('学段')).toBe('小学');
    expect(await fact('城乡类型')).toBe('城区');
    expect(await fact('办学性质')).toBe('公办');
    expect(await fact('偏远地区')).toBe('否');
    expect(await fact('教师总数')).toBe('40 人');
    expect(await fact('责任督学')).toBe('张督学（DX01）');
    expect(await fact('统计月份')).toBe('2025年10月');

    // 2025-10: 168 of 200 enrolled, of 170 applicants; 30 of 40 teachers; 130 of 168 all five days.
    expect(await kpi(page, '学生参与率')).toBe('84.0%');
    expect(await kpi(page, '需求满足率')).toBe('98.8%');
    expect(await kpi(page, '教师参与率')).toBe('75.0%');
    expect(await kpi(page, '每周5天参与占比')).toBe('77.4%');
    expect(await kpi(page, '最晚结束时间')).toBe('17:50');
    expect(await kpi(page, '开展天数 / 上学天数')).toBe('20 / 20 天');
    expect(await kpi(page, '日均服务时长')).toBe('120 分钟');
    expect(await kpi(page, '收费标准')).toBe('免费');
    expect(await kpi(page, '家长满意度')).toBe('66.7');

    const trend = await chartRows(page, '学生参与率与需求满足率月度趋势');
    expect(trend.map((r) => r[0])).toEqual([
      '11月',
      '12月',
      '2025年1月',
      '2月',
      '3月',
      '4月',
      '5月',
      '6月',
      '7月',
      '8月',
      '9月',
      '10月',
    ]);
    expect(trend.at(-2)).toEqual(['9月', '70.0%', '100.0%']);
    expect(trend.at(-1)).toEqual(['10月', '84.0%', '98.8%']);
    expect(trend[0]).toEqual(['11月', '—', '—']);
    const satisfaction = await chartRows(page, '家长满意度月度趋势（本学期累计，0–100分）');
    expect(satisfaction.at(-1)).toEqual(['10月', '66.7']);

    expect(await chartRows(page, '分年级报名与参加人数')).toEqual([
      ['一年级', '100', '80', '78'],
      ['二年级', '100', '90', '90'],
    ]);
    expect(await chartRows(page, '分年级参与率与需求满足率')).toEqual([
      ['一年级', '78.0%', '97.5%'],
      ['二年级', '90.0%', '100.0%'],
    ]);
    // Five-day share: 60 of 78, 70 of 90.
    expect(await tableRows(page, '[data-table="分年级参与情况"]')).toEqual([
      ['一年级', '100', '80', '78', '78.0%', '97.5%', '76.9%'],
      ['二年级', '100', '90', '90', '90.0%', '100.0%', '77.8%'],
    ]);

    // Priority groups of 2025-10 against the school's 168/200 = 84 %.
    expect(await tableRows(page, '[data-table="优先群体参与情况"]')).toEqual([
      ['留守儿童', '20', '14', '70.0%', '−14.0个百分点'],
      ['随迁子女', '20', '15', '75.0%', '−9.0个百分点'],
      ['残疾儿童', '2', '1', '50.0%', '−34.0个百分点'],
      ['困难家庭学生', '10', '8', '80.0%', '−4.0个百分点'],
    ]);
    expect(
      (await chartRows(page, '优先群体参与率（虚线为全校参与率）')).map((r) => r.slice(0, 2)),
    ).toEqual([
      ['留守儿童', '70.0%'],
      ['随迁子女', '75.0%'],
      ['残疾儿童', '50.0%'],
      ['困难家庭学生', '80.0%'],
    ]);

    // Parents' overall item: 非常满意, 满意, 不满意 (one each).
    const parents = await chartRows(page, '家长问卷各题答题分布');
    expect(parents[0]).toEqual([
      '您对学校课后服务总体是否满意？',
      '33.3%',
      '33.3%',
      '0.0%',
      '33.3%',
      '0.0%',
    ]);
    const items = await tableRows(page, '[data-table="问卷各题得分"]');
    expect(items[0]).toEqual([
      '家长',
      '您对学校课后服务总体是否满意？（总体）',
      '3',
      '66.7',
      '66.7%',
    ]);

    // 4 report flags (2024-10, 2025-09 twice, 2025-10) and 7 missing reports
    // (2024-11 … 2025-06 without February), all open; newest month first.
    const flagTable = '[data-table="该校违规预警"]';
    const flags = await tableRows(page, flagTable);
    expect(flags.map((r) => r[0])).toEqual([
      '2025年10月',
      '2025年9月',
      '2025年9月',
      '2025年6月',
      '2025年5月',
      '2025年4月',
      '2025年3月',
      '2025年1月',
      '2024年12月',
      '2024年11月',
      '2024年10月',
    ]);
    expect(flags[0]?.slice(1, 2)).toEqual(['优先群体保障不足']);
    expect(new Set(flags.map((r) => r[4]))).toEqual(new Set(['待处理']));
    expect(await page.locator(`${flagTable} .panel-caption`).innerText()).toBe(
      '共 11 条，其中未办结 11 条',
    );
    const flagHref = await page.locator(`${flagTable} tbody a`).first().getAttribute('href');
    expect(flagHref).toMatch(/^\/flags\?/);
    const flagQuery = new URL(flagHref!, fixture.url).searchParams;
    expect(flagQuery.get('school')).toBe('1000000001');
    expect(flagQuery.get('township')).toBe('东城镇');
    expect(flagQuery.get('flag')).toMatch(/^\d+$/);
    await page.locator('[data-table="督导检查记录"] .state-box').waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, 'school-bureau');

    await page.getByRole('link', { name: '← 返回学校列表' }).click();
    await page.locator(TABLE).waitFor();
    const back = new URL(page.url());
    expect(back.pathname).toBe('/schools');
    expect(back.searchParams.get('township')).toBe('东城镇');
    await page.context().close();
  });

  it('says a month without a report has no figures', async () => {
    const page = await newPage(browser);
    await signInAs(page, fixture.url, 'bureau', WEB_PASSWORD, '/schools/1000000004?month=2025-10');
    await page.locator('[data-school-header]').waitFor();
    expect(await page.getByText('该校本月未报送月报，以下月报指标暂无数据').count()).toBe(1);
    expect(await kpi(page, '学生参与率')).toBe('—');
    await page.context().close();
  });

  it('shows the same not-found state for a foreign, a missing and a malformed code', async () => {
    const page = await newPage(browser);
    await signInAs(page, fixture.url, 'dx01', WEB_PASSWORD, '/schools/1000000001?month=2025-09');
    await page.locator('[data-school-header]').waitFor();
    const texts: string[] = [];
    for (const path of [
      '/schools/1000000002?month=2025-09',
      '/schools/1000000003?month=2025-10',
      '/schools/9999999999',
      '/schools/abc',
    ]) {
      await page.goto(`${fixture.url}${path}`);
      await page.locator('[data-school-not-found]').waitFor();
      expect(await page.locator('[data-school-header]').count()).toBe(0);
      texts.push(await page.locator('[data-school-not-found]').innerText());
    }
    expect(new Set(texts)).toEqual(new Set(['未找到该学校，或不在您的督导范围内']));
    await screenshot(page, 'school-not-found-dx01');
    // 西山中学 is DX01's in 2025-09.
    await page.goto(`${fixture.url}/schools/1000000003?month=2025-09`);
    await page.locator('[data-school-header]').waitFor();
    expect(await page.locator('[data-fact="责任督学"] dd').innerText()).toBe('张督学（DX01）');
    await page.context().close();
  });
});
