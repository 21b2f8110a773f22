import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chartsSettled,
  launchBrowser,
  newPage,
  RESULTS_DIR,
  screenshot,
  signInAs,
} from '../../helpers/browser.ts';
import {
  openWebFixture,
  WEB_PASSWORD,
  WEB_USERS,
  type WebFixture,
} from '../../helpers/web-fixture.ts';
import type { ReportMonthlyQuery } from '../../../web/src/api/__generated__/graphql.ts';
import { REPORT_MONTHLY } from '../../../web/src/api/queries/report.ts';
import { countDelta, dateTime, percent, points } from '../../../web/src/format/format.ts';
import { groupGap, groupRate } from '../../../web/src/format/small-cell.ts';

type Report = ReportMonthlyQuery['monthlyReport'];

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

/**
 * The same question the view asks, through the signed-in page's session: as an export (the
 * report is printed and handed on, so it gets small-cell-protected figures for every role).
 */
async function apiReport(page: Page, month: string): Promise<Report> {
  const body = await page.evaluate(
    async ({ query, month }) => {
      const res = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-kehou-disclosure': 'export' },
        body: JSON.stringify({ query, variables: { period: month } }),
      });
      return (await res.json()) as { data: ReportMonthlyQuery | null; errors?: unknown[] };
    },
    { query: REPORT_MONTHLY, month },
  );
  expect(body.errors).toBeUndefined();
  return body.data!.monthlyReport;
}

async function kpi(page: Page, label: string): Promise<{ value: string; changes: string[] }> {
  const card = page.locator(`[data-report] [data-kpi="${label}"]`);
  return {
    value: await card.locator('.kpi-value').innerText(),
    changes: (await card.locator('.kpi-changes li').allInnerTexts()).map((t) =>
      t.replace(/\s+/g, ''),
    ),
  };
}

async function tableRows(page: Page, title: string): Promise<string[][]> {
  return page
    .locator(`[data-report] [data-table="${title}"] tbody tr`)
    .evaluateAll((rows) =>
      rows.map((r) => [...r.querySelectorAll('td')].map((c) => c.textContent!.trim())),
    );
}

/** 环比 / 同比 lines as KpiCard shows them (whitespace removed). */
const change = (c: Report['overview']['changes'][number] | undefined, f: typeof points) =>
  [
    ['环比', c?.monthOnMonth],
    ['同比', c?.yearOnYear],
  ].map(([name, d]) => {
    const delta = d as number | null | undefined;
    return `${name as string}${delta ? (delta > 0 ? '▲' : '▼') : ''}${f(delta)}`.replace(
      /\s+/g,
      '',
    );
  });

// Generous: the shared 2-core machine runs several browsers at once.
describe('monthly report view', { timeout: 90_000 }, () => {
  it('lands leadership on the report with the KPI figures and findings of the API', async () => {
    const page = await newPage(browser);
    await signInAs(page, fixture.url, 'leader', WEB_PASSWORD, '/?month=2025-10');
    expect(new URL(page.url()).pathname).toBe('/report');
    await page.locator('[data-finding]').first().waitFor();
    await chartsSettled(page);
    const api = await apiReport(page, '2025-10');
    const metric = (m: string) => api.overview.changes.find((c) => c.metric === m);

    // Hand-checked: 2025-10 participants 78+90+40+0 = 208 of 100+100+50+200 = 450 enrolled.
    expect(api.overview.participationRate).toBeCloseTo(208 / 450, 12);
    expect(await kpi(page, '学生参与率')).toEqual({
      value: '46.2%',
      changes: change(metric('PARTICIPATION_RATE'), points),
    });
    expect((await kpi(page, '学校覆盖率')).value).toBe(percent(api.overview.schoolCoverageRate));
    expect((await kpi(page, '需求满足率')).value).toBe(percent(api.overview.demandMetRate));
    expect((await kpi(page, '教师参与率')).value).toBe(
      percent(api.overview.teacherParticipationRate),
    );
    // Parents 2025-09..10 (semester to date): 100, 75, 25, 50, 0 → 50.
    expect((await kpi(page, '家长满意度')).value).toBe('50.0分');
    expect(await kpi(page, '未办结违规预警')).toEqual({
      value: `${api.overview.openFlags}条`,
      changes: change(metric('OPEN_FLAGS'), countDelta),
    });
    expect((await kpi(page, '整改逾期')).value).toBe(`${api.overview.overdueFlags}条`);

    const findings = page.locator('[data-report] [data-finding]');
    expect(await findings.locator('[data-finding-text]').allInnerTexts()).toEqual(
      api.findings.map((f) => f.text),
    );
    const badge = { ALERT: '需督办', WARNING: '需关注', INFO: '情况' } as const;
    expect(await findings.locator('[data-finding-severity]').allInnerTexts()).toEqual(
      api.findings.map((f) => badge[f.severity]),
    );
    expect(api.findings.map((f) => f.code)).toContain('COVERAGE');
    const coverage = page.locator('[data-finding="COVERAGE"] a');
    expect(await coverage.allInnerTexts()).toEqual(['西山中学', '西山九年一贯制学校']);
    expect(await coverage.first().getAttribute('href')).toBe('/schools/1000000003?month=2025-10');

    const top = await tableRows(page, `学生参与率前${api.topSchools.length}名学校`);
    expect(top.map((r) => r[1])).toEqual(api.topSchools.map((s) => s.school.name));
    // 东城第一小学 2025-10: 168 of 200.
    expect(top[0]).toEqual(['1', '东城第一小学', '东城镇', '200', '168', '84.0%', '98.8%']);
    const bottom = await tableRows(page, `学生参与率后${api.bottomSchools.length}名学校`);
    expect(bottom.map((r) => r[1])).toEqual(api.bottomSchools.map((s) => s.school.name));

    const newFlags = await tableRows(page, `本月新增违规预警（${api.newFlags.length}条）`);
    expect(newFlags.map((r) => [r[2], r[3]])).toEqual(
      api.newFlags.map((f) => [f.codeLabel, f.detail]),
    );
    expect(api.closedFlags).toHaveLength(0);
    expect(await page.locator('[data-table="本月办结违规预警（0条）"]').innerText()).toContain(
      '本月无办结违规预警',
    );

    // Leaders see the letterhead on screen too.
    const header = page.locator('[data-report-header]');
    expect(await header.locator('[data-report-user]').innerText()).toBe(WEB_USERS.leader.name);
    expect(await header.locator('[data-report-data-as-of]').innerText()).toBe(
      dateTime(api.dataAsOf),
    );
    // No horizontal page scroll at 1366 wide.
    const scrollWidth = await page.evaluate(
      () =>
        (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } })
          .document.documentElement.scrollWidth,
    );
    expect(scrollWidth).toBeLessThanOrEqual(1366);
    await screenshot(page, 'report-leader');

    // The button prints (window.print stubbed: headless Chromium has no print dialog).
    await page.evaluate(() => {
      const g = globalThis as unknown as { print: () => void; printed?: boolean };
      g.print = () => {
        g.printed = true;
      };
    });
    await page.getByRole('button', { name: '打印 / 导出PDF' }).click();
    expect(await page.evaluate(() => (globalThis as { printed?: boolean }).printed)).toBe(true);
    await page.context().close();
  });

  it('prints an A4 report without navigation, with the filters and data date', async () => {
    const page = await newPage(browser);
    await signInAs(page, fixture.url, 'bureau', WEB_PASSWORD, '/report?month=2025-10');
    await page.locator('[data-finding]').first().waitFor();
    await chartsSettled(page);
    const api = await apiReport(page, '2025-10');

    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('nav[aria-label="主导航"]').isVisible()).toBe(false);
    expect(await page.locator('.filter-bar').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: '打印 / 导出PDF' }).isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: '导出 Excel' }).first().isVisible()).toBe(false);
    const header = page.locator('[data-report-header]');
    expect(await header.isVisible()).toBe(true);
    expect(await header.innerText()).toContain('课后服务督导月度报告');
    expect(await header.locator('[data-report-month]').innerText()).toBe('2025年10月');
    expect(await header.locator('[data-report-filters]').innerText()).toBe(
      '月份：2025年10月；乡镇（街道）：全部；学段：全部；城乡类型：全部',
    );
    expect(await header.locator('[data-report-data-as-of]').innerText()).toBe(
      dateTime(api.dataAsOf),
    );
    // Nothing is wider than the printable 186 mm (≈ 703 px).
    const wide = await page
      .locator('[data-report] canvas, [data-report] table, [data-report] [data-finding]')
      .evaluateAll((els) =>
        els
          .filter((e) => e.getBoundingClientRect().width > 704)
          .map((e) => e.outerHTML.slice(0, 80)),
      );
    expect(wide).toEqual([]);
    await page.setViewportSize({ width: 794, height: 1123 });
    await screenshot(page, 'report-print');

    const pdf = await page.pdf({ format: 'A4', printBackground: false });
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(`${RESULTS_DIR}report-2025-10.pdf`, pdf);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(20_000);
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? [];
    expect(pages.length).toBeGreaterThanOrEqual(1);
    expect(pages.length).toBeLessThanOrEqual(4);
    await page.context().close();
  });

  it("covers only a supervising inspector's schools", async () => {
    const page = await newPage(browser);
    await signInAs(page, fixture.url, 'dx01', WEB_PASSWORD, '/report?month=2025-09');
    await page.locator('[data-finding]').first().waitFor();
    const api = await apiReport(page, '2025-09');
    const mine = new Set(['1000000001', '1000000003']);
    const named = [
      ...api.topSchools.map((s) => s.school.code),
      ...api.bottomSchools.map((s) => s.school.code),
      ...api.newFlags.map((f) => f.schoolCode),
      ...api.findings.flatMap((f) => f.schools.map((s) => s.code)),
    ];
    expect(named.length).toBeGreaterThan(0);
    expect(named.every((code) => mine.has(code))).toBe(true);

    // Two ranked schools: one in each list.
    const top = await tableRows(page, `学生参与率前${api.topSchools.length}名学校`);
    const bottom = await tableRows(page, `学生参与率后${api.bottomSchools.length}名学校`);
    expect([...top, ...bottom].map((r) => r[1]).sort()).toEqual(['东城第一小学', '西山中学']);
    expect(top).toHaveLength(1);
    const text = await page.locator('[data-report]').innerText();
    expect(text).not.toContain('东城村小');
    expect(text).not.toContain('西山九年一贯制学校');
    expect(await page.locator('[data-report-remit]').innerText()).toBe(
      '责任督学 张督学（DX01）挂牌学校（2所学校）；2025年9月',
    );
    // A 督学's working copy is not headed for leaders.
    const kicker = await page.locator('[data-report-audience]').innerText();
    expect(kicker).toBe('课后服务督导 · 责任督学工作用');
    await page.context().close();
  });

  it('shows the priority groups, satisfaction and open flags, and no school twice', async () => {
    const page = await newPage(browser);
    await signInAs(page, fixture.url, 'leader', WEB_PASSWORD, '/report?month=2025-10');
    await page.locator('[data-finding]').first().waitFor();
    const api = await apiReport(page, '2025-10');

    // Each group's rate and gap as the server measures them (Overview.priorityGroups).
    const groups = await tableRows(page, '优先群体学生参与率');
    expect(groups.map((r) => r[0])).toEqual(['留守儿童', '随迁子女', '残疾儿童', '困难家庭学生']);
    // 残疾儿童 (1 of 3 in the district) is a small group: "<10人" for its rate and gap.
    expect(groups.map((r) => [r[3], r[4]])).toEqual(
      api.overview.priorityGroups.map((g) => [groupRate(g, g.rate), groupGap(g, g.gap)]),
    );
    expect(groups[2]?.slice(1)).toEqual(['<10', '<10', '<10人', '<10人']);
    expect(api.overview.priorityGroups.some((g) => g.rate !== null)).toBe(true);

    // Parents 100, 75, 25, 50, 0 in 2025-09..10; one student 100.
    const satisfaction = page.locator('[data-report] [data-table="家长、学生满意度"]');
    expect(await satisfaction.locator('.panel-caption').innerText()).toBe(
      '统计期间：2025年9月至2025年10月（本学期累计）',
    );
    expect(await tableRows(page, '家长、学生满意度')).toEqual([
      ['家长', '5', '50.0', '40.0%'],
      ['学生', '1', '100.0', '100.0%'],
    ]);

    // 42 open flags of 2024-10..2025-10 (test/server/graphql/report); how many are past 180
    // days depends on the app's real clock, so the sentence is the API's.
    const open = api.findings.find((f) => f.code === 'FLAGS.OPEN');
    expect(open?.text).toMatch(
      /^42条违规预警未销号，其中\d+条超过180天未销号（最早自2024年11月1日起）。$/u,
    );
    expect(await page.locator('[data-finding="FLAGS.OPEN"] [data-finding-text]').innerText()).toBe(
      open?.text,
    );

    // Three ranked schools: two on top, one at the bottom, none in both.
    const top = await tableRows(page, '学生参与率前2名学校');
    const bottom = await tableRows(page, '学生参与率后1名学校');
    expect(top.map((r) => r[1])).toEqual(['东城第一小学', '东城村小']);
    expect(bottom.map((r) => r[1])).toEqual(['西山中学']);
    await page.context().close();
  });

  it('states the filtered scope it really covers, on paper and in its exports', async () => {
    const page = await newPage(browser);
    await signInAs(
      page,
      fixture.url,
      'leader',
      WEB_PASSWORD,
      '/report?month=2025-10&township=%E8%A5%BF%E5%B1%B1%E4%B9%A1',
    );
    await page.locator('[data-finding]').first().waitFor();
    // 西山乡 has 西山中学 and 西山九年一贯制学校 of the district's 4.
    const remit = page.locator('[data-report-remit]');
    expect(await remit.innerText()).toBe('全区 · 西山乡（2所学校）；2025年10月');
    expect(await page.locator('[data-report-audience]').innerText()).toBe(
      '课后服务督导 · 领导参阅',
    );
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page
        .locator('[data-report] [data-table^="学生参与率"]')
        .first()
        .getByRole('button', { name: '导出 CSV' })
        .click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\r\n').slice(0, 2)).toEqual([
      '\uFEFF课后服务督导月度报告 2025年10月',
      '统计范围：全区 · 西山乡（2所学校）；2025年10月',
    ]);
    await page.context().close();
  });
});
