/**
 * 数据来源 in the browser against the fixture district (test/fixtures/api): a figure of the
 * 学校 table traced to its file and Excel row (月报.csv line 7: 东城第一小学, 2025-10,
 * 参与教师数 30, 投诉数 1), the original downloaded byte for byte, the grades' rows from
 * the school page, and leadership without priority-group counts or downloads.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installAxe, seriousViolations } from '../../helpers/axe.ts';
import { keepAndRecordOriginal } from '../../../server/db/originals.ts';
import { launchBrowser, newPage, signInAs } from '../../helpers/browser.ts';
import { API_FIXTURES } from '../../helpers/api-fixture.ts';
import { openWebFixture, WEB_PASSWORD, type WebFixture } from '../../helpers/web-fixture.ts';

const MONTHLY = join(API_FIXTURES, '月报.csv');

let fixture: WebFixture;
let browser: Browser;

beforeAll(async () => {
  fixture = await openWebFixture();
  // The ETL keeps what it loads (server/db/originals.ts); keeping it again is a no-op, and
  // makes this test independent of which loads keep originals.
  const bytes = await readFile(MONTHLY);
  const conn = await fixture.warehouse.connect();
  try {
    await keepAndRecordOriginal(
      fixture.warehouse,
      conn,
      MONTHLY,
      createHash('sha256').update(bytes).digest('hex'),
    );
  } finally {
    conn.closeSync();
  }
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await fixture?.close();
});

const DRAWER = '[data-lineage-drawer]';

async function cell(page: Page, column: string): Promise<string> {
  return (await page.locator(`${DRAWER} [data-value="${column}"] td`).first().innerText()).trim();
}

describe('数据来源', { timeout: 90_000 }, () => {
  it('traces a school’s figures from the 学校 table to the file’s row and downloads it', async () => {
    const page = await newPage(browser);
    await installAxe(page.context());
    await signInAs(page, fixture.url, 'bureau', WEB_PASSWORD, '/schools?period=2025-10');
    await page.getByRole('button', { name: '东城第一小学 2025-10 数据来源' }).click();
    const drawer = page.locator(DRAWER);
    await drawer.locator('[data-lineage-current]').first().waitFor();
    expect(await drawer.locator('[data-fact="file"]').innerText()).toContain('月报.csv');
    expect(await drawer.locator('[data-fact="place"]').innerText()).toContain('第 7 行');
    expect(await drawer.locator('[data-fact="loaded-by"]').innerText()).toBe('test');
    expect(await cell(page, 'teachers_serving')).toBe('30');
    expect(await cell(page, 'complaints')).toBe('1');
    expect(await drawer.locator('[data-value="teachers_serving"] th').innerText()).toBe(
      '参与教师数',
    );
    expect(await drawer.locator('[data-lineage-history]').innerText()).toContain('无');
    expect(await seriousViolations(page)).toEqual([]);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      drawer.locator('[data-lineage-download]').first().click(),
    ]);
    expect(download.suggestedFilename()).toBe('月报.csv');
    const got = await readFile((await download.path())!);
    expect(got.equals(await readFile(MONTHLY))).toBe(true);

    // Esc closes it and gives focus back to the button that opened it.
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator(DRAWER).count()).toBe(0);
  });

  it('opens over a flag’s detail from its evidence', async () => {
    const flag = await fixture.warehouse.db
      .selectFrom('flags')
      .innerJoin('schools', 'schools.school_code', 'flags.school_code')
      .select(['flags.flag_id', 'flags.school_code', 'flags.month', 'schools.school_name'])
      .where('flags.evidence_batch_id', 'is not', null)
      .orderBy('flags.flag_id')
      .executeTakeFirstOrThrow();
    const page = await newPage(browser);
    await signInAs(
      page,
      fixture.url,
      'bureau',
      WEB_PASSWORD,
      `/flags?period=${flag.month}&flag=${flag.flag_id}`,
    );
    await page
      .locator('[data-flag-drawer]')
      .getByRole('button', { name: `${flag.school_name} ${flag.month} 数据来源` })
      .click();
    await page.locator(`${DRAWER} [data-lineage-current]`).waitFor();
    expect(await page.locator(`${DRAWER} [data-fact="file"]`).innerText()).toContain('月报.csv');
    // Esc closes the top panel only: the flag's detail stays open beneath.
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator(DRAWER).count()).toBe(0);
    expect(await page.locator('[data-flag-drawer]').count()).toBe(1);
  });

  it('shows the grades’ rows from the school page; leadership sees no priority counts', async () => {
    const bureau = await newPage(browser);
    await signInAs(
      bureau,
      fixture.url,
      'bureau',
      WEB_PASSWORD,
      '/schools/1000000001?period=2025-10',
    );
    await bureau.getByRole('button', { name: '东城第一小学 2025-10 数据来源' }).nth(1).click();
    await bureau.locator(`${DRAWER} [data-lineage-current]`).nth(1).waitFor();
    const places = await bureau.locator(`${DRAWER} [data-fact="place"]`).allInnerTexts();
    expect(places.map((p) => p.replace(/.*，(第 \d+ 行)，(\d 年级)$/u, '$1 $2'))).toEqual([
      '第 7 行 1 年级',
      '第 8 行 2 年级',
    ]);
    expect(await cell(bureau, 'left_behind_participants')).toBe('6');

    const leader = await newPage(browser);
    await signInAs(
      leader,
      fixture.url,
      'leader',
      WEB_PASSWORD,
      '/schools/1000000001?period=2025-10',
    );
    await leader.getByRole('button', { name: '东城第一小学 2025-10 数据来源' }).nth(1).click();
    await leader.locator(`${DRAWER} [data-lineage-current]`).nth(1).waitFor();
    expect(await cell(leader, 'participants')).toBe('78');
    expect(await leader.locator(`${DRAWER} [data-value="left_behind_participants"]`).count()).toBe(
      0,
    );
    expect(await leader.locator(`${DRAWER} [data-lineage-download]`).count()).toBe(0);
  });
});
