/**
 * The upload page while the server loads: an upload paused just before its commit (the
 * uploadBeforeCommit hook) shows the progress panel with the server's step in Chinese,
 * files done / total, rows read and the time so far; once released, the results replace it.
 */
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage, screenshot, signInAs } from '../../helpers/browser.ts';
import {
  openWebFixture,
  WEB_PASSWORD,
  WEB_USERS,
  type WebFixture,
} from '../../helpers/web-fixture.ts';

const MONTHLY = fileURLToPath(new URL('../../fixtures/web/月报-2025-11.csv', import.meta.url));

/** The server's steps while a load runs, as the page names them. */
const LOADING_STEPS: Record<string, string> = {
  reading: '读取',
  validating: '校验',
  writing: '写入',
  judging: '判定违规预警',
};

let server: WebFixture;
let browser: Browser;
let page: Page;
let reached: () => void;
const inside = new Promise<void>((r) => (reached = r));
let release: () => void;
const held = new Promise<void>((r) => (release = r));

beforeAll(async () => {
  server = await openWebFixture({
    uploadBeforeCommit: async () => {
      reached();
      await held;
    },
  });
  browser = await launchBrowser();
  page = await newPage(browser);
  await signInAs(page, server.url, WEB_USERS.bureau.username, WEB_PASSWORD, '/upload');
}, 60_000);

afterAll(async () => {
  release?.();
  await browser?.close();
  await server?.close();
});

describe('upload progress (bureau inspector)', () => {
  it("shows the server's step, files, rows and time while the load is paused, then the results", async () => {
    await page.getByLabel('选择报表文件').setInputFiles([MONTHLY]);
    const polls: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/uploads/progress/')) polls.push(r.url());
    });
    const posted = page.waitForRequest((r) => r.url().endsWith('/api/uploads'));
    await page.getByRole('button', { name: '开始导入' }).click();
    const uploadId = (await posted).headers()['x-upload-id'];
    expect(uploadId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    await inside;

    const panel = page.locator('[data-upload-progress]');
    await expect
      .poll(() => panel.getAttribute('data-phase'), { timeout: 10_000 })
      .toMatch(/^(reading|validating|writing|judging)$/);
    const phase = (await panel.getAttribute('data-phase'))!;
    expect(polls.every((u) => u.endsWith(`/api/uploads/progress/${uploadId}`))).toBe(true);

    const field = (name: string) => panel.locator(`[data-field="${name}"]`).innerText();
    expect(await field('stage')).toMatch(/^正在(读取文件|校验数据|写入数据仓库|判定违规预警)…$/);
    expect(await panel.locator('[aria-current="step"]').innerText()).toBe(LOADING_STEPS[phase]);
    expect(await panel.locator('li.past').allInnerTexts()).toEqual(
      expect.arrayContaining(['上传文件', '接收文件']),
    );
    expect(await field('files')).toMatch(/^[01] \/ 1 个$/);
    expect(await field('rows')).toMatch(/^[\d,]+ 行$/);
    expect(await field('bytes')).toBe('769 B / 769 B（100%）');
    const before = await field('elapsed');
    expect(before).toMatch(/^已用时 \d+\.\d 秒$/);
    await expect.poll(() => field('elapsed'), { timeout: 5_000 }).not.toBe(before);
    expect(await page.getByRole('button', { name: '正在导入…' }).isDisabled()).toBe(true);
    await screenshot(page, 'upload-progress-paused');

    release();
    await page.locator('[data-upload-results]').waitFor({ timeout: 20_000 });
    expect(await panel.count()).toBe(0);
    const pollsAtAnswer = polls.length;
    await page.waitForTimeout(1_500);
    expect(polls.length).toBe(pollsAtAnswer);
    expect(
      await page.locator('[data-upload-file="月报-2025-11.csv"] [data-field="status"]').innerText(),
    ).toBe('部分拒绝');
  });
});
