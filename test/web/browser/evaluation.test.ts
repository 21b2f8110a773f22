/**
 * The 年度考核 view against the fixture district (test/fixtures/api, 4 schools; reports in
 * 2024-10, 2025-09 and 2025-10, so the view opens on the school year 2025-2026): the ranked
 * table, a school's card, the 考核结果表 export, publishing (→ 已发布 第1版), leadership's
 * summary, a 责任督学 seeing only their schools, the school page's 同类学校对比, and axe.
 * Figures are the API's (default scheme 2024.1) for the fixture: e.g. 东城第一小学 学生参与率
 * = 参与 238 / 在校 300 = 79.3% → 13.5 / 15 points; 西山中学 is vetoed (本月未开展课后服务).
 */
import ExcelJS from 'exceljs';
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installAxe, seriousViolations } from '../../helpers/axe.ts';
import {
  chartRows,
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

const RANKED = '[data-table="学校考核排名"]';

async function tableRows(page: Page, table: string): Promise<string[][]> {
  await page.locator(`${table} tbody tr`).first().waitFor();
  return page.locator(`${table} tbody tr`).evaluateAll((rows) =>
    rows.map((row) =>
      [...row.querySelectorAll('td')].map((td) => {
        // The 数据来源 button is not part of the figure.
        const cell = td.cloneNode(true) as typeof td;
        for (const button of cell.querySelectorAll('[data-lineage-open]')) button.remove();
        return (cell.textContent ?? '').replace(/\s+/g, ' ').trim();
      }),
    ),
  );
}

describe('年度考核', { timeout: 90_000 }, () => {
  it('bureau: ranked table, school card, 考核结果表 export, publish → 已发布 第1版', async () => {
    const page = await newPage(browser);
    await installAxe(page.context());
    await signInAs(page, fixture.url, 'bureau', WEB_PASSWORD, '/evaluation');
    await page.locator(`${RANKED} tbody tr`).first().waitFor();
    expect(new URL(page.url()).pathname).toBe('/evaluation');
    await expect.poll(() => page.locator('[data-period-picker]').inputValue()).toBe('2025-2026');
    expect(await page.locator('.view-sub').first().innerText()).toBe(
      '全区（4所学校）；2025-2026学年',
    );
    expect(await page.locator('[data-scheme]').innerText()).toBe(
      '义务教育学校课后服务年度考核方案（默认）（2024.1）',
    );
    expect(await page.locator('[data-publication]').innerText()).toBe('未发布（实时计算）');

    const rows = await tableRows(page, RANKED);
    expect(rows.map((r) => r.slice(0, 6))).toEqual([
      ['1', '西山九年一贯制学校', '西山乡', '九年一贯制学校·乡村（第1/1名）', '69.2', '合格'],
      ['2', '东城村小', '东城镇', '小学·乡村（第1/1名）', '40.0', '不合格'],
      ['3', '东城第一小学', '东城镇', '小学·城区（第1/1名）', '36.9', '不合格'],
      ['4', '西山中学', '西山乡', '初中·镇区（第1/1名）', '7.7', '不合格'],
    ]);
    // 东城第一小学 scored 37.6 in 2024-2025.
    expect(rows[2]?.[6]).toBe('−0.7分');
    expect(rows[3]?.[7]).toContain('一票否决：无正当理由不开展课后服务');
    expect(rows[3]?.[7]).toContain('数据不足');

    // Grade distribution over the scope, and grades by township behind the stacked bars.
    const counts = await page
      .locator('[data-grade-counts] li')
      .evaluateAll((items) => items.map((i) => (i.textContent ?? '').replace(/\s+/g, '')));
    expect(counts).toEqual(['参评学校4', '优秀0', '良好0', '合格1', '不合格3']);
    await chartsSettled(page);
    expect(await chartRows(page, '各乡镇（街道）考核等级分布')).toEqual([
      ['东城镇', '0', '0', '0', '2'],
      ['西山乡', '0', '0', '1', '1'],
    ]);
    expect(
      (await tableRows(page, '[data-table="退步最大的学校"]')).map((r) => r.slice(0, 5)),
    ).toEqual([['东城第一小学', '东城镇', '37.6', '36.9', '−0.7分']]);
    expect((await seriousViolations(page)).map((v) => v.id)).toEqual([]);
    await screenshot(page, 'evaluation-bureau');
    // The A4 district summary names its scope, period, scheme and publication in its head.
    await page.emulateMedia({ media: 'print' });
    const head = page.locator('[data-evaluation] [data-evaluation-header]');
    expect(await head.locator('[data-evaluation-period]').innerText()).toBe('2025-2026学年');
    expect(await head.locator('[data-evaluation-scope]').innerText()).toBe(
      '全区（4所学校）；2025-2026学年',
    );
    expect(await head.locator('[data-evaluation-scheme]').innerText()).toBe(
      '义务教育学校课后服务年度考核方案（默认）（2024.1）',
    );
    expect(await head.locator('[data-evaluation-publication]').innerText()).toBe(
      '未发布（实时计算）',
    );
    expect(await page.locator('.side-nav').isVisible()).toBe(false);
    await screenshot(page, 'evaluation-print');
    await page.emulateMedia({ media: 'screen' });

    // The grade filter narrows the table (the distribution stays the scope's).
    await page.locator('[data-grade-filter]').selectOption('PASS');
    await expect.poll(async () => (await tableRows(page, RANKED)).length).toBe(1);
    await page.locator('[data-grade-filter]').selectOption('');
    await expect.poll(async () => (await tableRows(page, RANKED)).length).toBe(4);

    // The 考核结果表: title, scope, header rows, one row per school with every indicator.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-export-sheet]').click(),
    ]);
    expect(download.suggestedFilename()).toBe(
      '测试区县课后服务年度考核结果表（2025-2026学年）.xlsx',
    );
    const book = new ExcelJS.Workbook();
    const file = await readFile((await download.path())!);
    await book.xlsx.load(
      file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer,
    );
    const sheet = book.getWorksheet('考核结果表')!;
    expect(sheet.getCell('A1').value).toBe('测试区县课后服务年度考核结果表（2025-2026学年）');
    expect(sheet.getCell('A2').value).toBe('统计范围：全区（4所学校）；2025-2026学年');
    expect(sheet.getCell('A4').value).toBe('发布状态：未发布（实时计算）');
    expect(sheet.getCell('F6').value).toBe('指标得分');
    expect(sheet.getCell('H7').value).toBe('学生参与率（15分）');
    // Rank order; 东城第一小学 is the third school (row 10): participation 13.5, total 36.9.
    expect(sheet.getCell('B10').value).toBe('东城第一小学');
    expect(sheet.getCell('H10').value).toBe(13.5);
    expect(sheet.getCell('Q10').value).toBe(36.9);
    expect(sheet.getCell('R10').value).toBe('不合格');
    expect(String(sheet.getCell('S11').value)).toMatch(/^一票否决：无正当理由不开展课后服务/u);

    // A school's card: points against the maximum and the peer median, value and evidence.
    await page.locator(RANKED).getByRole('link', { name: '东城第一小学' }).click();
    await page.locator('[data-card-score]').waitFor();
    expect(new URL(page.url()).pathname).toBe('/evaluation/1000000001');
    expect(await page.locator('[data-card-score]').innerText()).toBe('36.9');
    expect(await page.locator('[data-card-grade]').innerText()).toBe('不合格');
    expect(await page.locator('[data-card-rank]').innerText()).toBe('第3名');
    const indicators = await tableRows(page, '[data-table="指标得分与依据"]');
    expect(indicators.find((r) => r[0] === '学生参与率')).toEqual([
      '学生参与率',
      '13.5 / 15.0',
      '同类学校不足3所',
      '79.3%',
      '—',
      '82.2%',
      '参与 238 / 在校 300',
    ]);
    expect(indicators.find((r) => r[0] === '按期整改')?.[1]).toBe('数据不足');
    await chartsSettled(page);
    const bars = await chartRows(page, '各项指标得分与同类学校对比');
    expect(bars.find((r) => r[0] === '学生参与率')).toEqual(['学生参与率', '13.5', '15.0', '—']);
    expect(bars.find((r) => r[0] === '按期整改')).toEqual(['按期整改', '数据不足', '5.0', '—']);
    expect((await seriousViolations(page)).map((v) => v.id)).toEqual([]);
    await screenshot(page, 'evaluation-card');
    await page.emulateMedia({ media: 'print' });
    expect(
      await page.locator('[data-evaluation-card] [data-evaluation-publication]').innerText(),
    ).toBe('未发布（实时计算）');
    await screenshot(page, 'evaluation-card-print');
    await page.emulateMedia({ media: 'screen' });

    // Publish from the 考核 view: confirm, note, then 已发布 第1版 by the inspector.
    await page.getByRole('link', { name: '返回考核排名' }).click();
    await page.locator(`${RANKED} tbody tr`).first().waitFor();
    await page.locator('[data-publish]').click();
    const dialog = page.locator('[data-publish-dialog]');
    await dialog.getByLabel('发布说明（可选）').fill('2025-2026学年考核结果');
    await dialog.getByRole('button', { name: '确认发布' }).click();
    await page.locator('[data-published-notice]').waitFor();
    await expect
      .poll(() => page.locator('[data-publication]').innerText())
      .toMatch(/^已发布 第1版（督导科王老师，\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}）$/u);
    // The version list is its own query; it follows the publication line, not with it.
    await expect.poll(() => page.locator('[data-version-picker] option').count()).toBe(2);
    await page.context().close();
  });

  it('leadership sees the summary first; a 督学 only their own schools and no publish', async () => {
    const leader = await newPage(browser);
    await signInAs(leader, fixture.url, 'leader', WEB_PASSWORD, '/evaluation?period=2025-2026');
    await leader.locator('[data-evaluation-summary].prominent').waitFor();
    expect(await leader.locator('[data-publish]').count()).toBe(0);
    await leader.context().close();

    const page = await newPage(browser);
    await signInAs(page, fixture.url, 'dx01', WEB_PASSWORD, '/evaluation?period=2025-2026');
    await page.locator(`${RANKED} tbody tr`).first().waitFor();
    expect(await page.locator('.view-sub').first().innerText()).toBe(
      '责任督学 张督学（DX01）挂牌学校（2所学校）；2025-2026学年',
    );
    // Ranked within the 督学's schools.
    expect((await tableRows(page, RANKED)).map((r) => r.slice(0, 2))).toEqual([
      ['1', '东城第一小学'],
      ['2', '西山中学'],
    ]);
    expect(await page.locator('[data-publish]').count()).toBe(0);
    // Another 督学's school answers as "not in your remit", with no figure.
    await page.goto(`${fixture.url}/evaluation/1000000002?period=2025-2026`);
    await page.getByText('该学校不在您的督导范围内').waitFor();
    expect(await page.locator('[data-card-score]').count()).toBe(0);
    await page.context().close();
  });

  it('the school page compares the school with its peer group and the district', async () => {
    const page = await newPage(browser);
    await signInAs(page, fixture.url, 'bureau', WEB_PASSWORD, '/schools/1000000001?month=2025-10');
    const table = '[data-table="本校与同类学校、全区中位数"]';
    const rows = await tableRows(page, table);
    // 2025-2026: 238 / 300 against the district's median of the 4 schools' rates.
    expect(rows.find((r) => r[0] === '学生参与率')).toEqual([
      '学生参与率',
      '79.3%',
      '同类学校不足3所',
      '82.2%',
    ]);
    await page.context().close();
  });
});
