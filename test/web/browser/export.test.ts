/**
 * Exports hold the whole result, not the rows on screen: the schools list's buttons
 * download the server's export of every school in the user's scope (fixture district of
 * 4 schools; DX01 has only 东城第一小学 in 2025-10), headed by the scope it covers; the
 * other scoped views' table exports open with the same 统计范围 line.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage, signInAs } from '../../helpers/browser.ts';
import { openWebFixture, WEB_PASSWORD, type WebFixture } from '../../helpers/web-fixture.ts';
import { SMALL_CELL_NOTE } from '../../../server/http/scoped-export.ts';

const TABLE = '[data-table="学校列表"]';
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

async function exported(page: Page, button: '导出 CSV' | '导出 Excel'): Promise<Buffer> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator(TABLE).getByRole('button', { name: button }).click(),
  ]);
  return readFile((await download.path())!);
}

const csvLines = (file: Buffer) =>
  file
    .toString('utf8')
    .replace(/^\uFEFF/u, '')
    .split('\r\n')
    .filter(Boolean);

describe('schools list export', { timeout: 90_000 }, () => {
  it('writes every school of the scope, not the rows the search leaves on screen', async () => {
    const page = await newPage(browser);
    await signInAs(page, fixture.url, 'bureau', WEB_PASSWORD, '/schools?month=2025-10');
    await page.locator(`${TABLE} tbody tr`).first().waitFor();
    await page.getByLabel('搜索学校名称或标识码').fill('村小');
    await expect.poll(() => page.locator(`${TABLE} tbody tr`).count()).toBe(1);

    const lines = csvLines(await exported(page, '导出 CSV'));
    expect(lines.slice(0, 2)).toEqual([
      '课后服务 学校列表（全部4所）',
      '统计范围：全区（4所学校）；2025年10月',
    ]);
    // Notes, the small-cell note (a file is protected for every role), then the header.
    expect(lines[3]).toBe(SMALL_CELL_NOTE);
    expect(lines.slice(5).map((l) => l.split(',')[1])).toEqual([
      '东城第一小学',
      '东城村小',
      '西山中学',
      '西山九年一贯制学校',
    ]);
    const xlsx = await exported(page, '导出 Excel');
    expect(xlsx.subarray(0, 2).toString()).toBe('PK');
    await page.context().close();
  });

  it('keeps to the filters and to a supervising inspector’s schools', async () => {
    const page = await newPage(browser);
    await signInAs(
      page,
      fixture.url,
      'bureau',
      WEB_PASSWORD,
      '/schools?month=2025-10&stage=JUNIOR',
    );
    await page.locator(`${TABLE} tbody tr`).first().waitFor();
    const junior = csvLines(await exported(page, '导出 CSV'));
    expect(junior[1]).toBe('统计范围：全区 · 初中（1所学校）；2025年10月');
    expect(junior.slice(5).map((l) => l.split(',')[0])).toEqual(['1000000003']);
    await page.context().close();

    const dx01 = await newPage(browser);
    await signInAs(dx01, fixture.url, 'dx01', WEB_PASSWORD, '/schools?month=2025-10');
    await dx01.locator(`${TABLE} tbody tr`).first().waitFor();
    const mine = csvLines(await exported(dx01, '导出 CSV'));
    expect(mine[1]).toBe('统计范围：责任督学 张督学（DX01）挂牌学校（1所学校）；2025年10月');
    expect(mine.slice(5).map((l) => l.split(',')[0])).toEqual(['1000000001']);
    await dx01.context().close();
  });

  it('opens every scoped view’s table export with the scope it covers', async () => {
    const page = await newPage(browser);
    await signInAs(
      page,
      fixture.url,
      'leader',
      WEB_PASSWORD,
      `/overview?month=2025-10&township=${encodeURIComponent('西山乡')}`,
    );
    const table = page.locator('[data-table="各乡镇（街道）课后服务情况"]');
    await table.locator('tbody tr').first().waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      table.getByRole('button', { name: '导出 CSV' }).click(),
    ]);
    const lines = csvLines(await readFile((await download.path())!));
    // 西山乡: 西山中学 and 西山九年一贯制学校.
    expect(lines[0]).toBe('统计范围：全区 · 西山乡（2所学校）；2025年10月');
    await page.context().close();
  });

  it('exports the whole flag list, not the page of 20 on screen', async () => {
    const page = await newPage(browser);
    await signInAs(page, fixture.url, 'bureau', WEB_PASSWORD, '/flags?month=2025-10');
    const table = page.locator('[data-table="违规预警列表"]');
    await table.locator('tbody tr').first().waitFor();
    const total = Number(
      (await page.locator('[data-list-total]').innerText()).replace(/[^\d]/gu, ''),
    );
    // The fixture's flags far outnumber a page (42 open ones alone).
    expect(total).toBeGreaterThan(20);
    expect(await table.locator('tbody tr').count()).toBe(20);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      table.getByRole('button', { name: '导出 CSV' }).click(),
    ]);
    const lines = csvLines(await readFile((await download.path())!));
    expect(lines[0]).toBe('统计范围：全区（4所学校）；2025年10月');
    const header = lines.findIndex((l) => l.startsWith('学校,'));
    expect(header).toBeGreaterThan(0);
    expect(lines.length - header - 1).toBe(total);
    await page.context().close();
  });
});
