/**
 * A school user's month (issue 17), in the browser: the 学校填报员 of 1000000002 (东城村小)
 * signs in and lands on 本校填报 (/my); uploads its 2025-11 月报 holding one row of another
 * school (西山中学), which is rejected with the reason while its own row loads; submits
 * 2025-11 for review (草稿 → 已提交); and answers the bureau's rectification request with
 * a report and a photo. Clocks stand at 2025-11-20 10:00 in Asia/Shanghai.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { screenshot } from '../../helpers/browser.ts';
import { browserSuite, poll } from '../../helpers/browser-suite.ts';
import { seedLateEndFlag } from '../../helpers/seed-flag.ts';

const NOW = new Date('2025-11-20T10:00:00+08:00');
const SCHOOL_FILE = fileURLToPath(
  new URL('../../fixtures/web/月报-2025-11-东城村小.csv', import.meta.url),
);
const PHOTO = fileURLToPath(new URL('../../fixtures/evidence/gps-photo.jpg', import.meta.url));

let flagId = '';
const suite = browserSuite(NOW, {
  async setup(fixture) {
    // The bureau's request to 东城村小: LATE_END of 2025-10, to be answered by 2025-12-20.
    flagId = await seedLateEndFlag(fixture.writer, {
      school: '1000000002',
      month: '2025-10',
      status: 'RECTIFYING',
      createdAt: '2025-11-06T09:00:00+08:00',
      deadline: '2025-12-20',
    });
  },
});

describe("a school user's month", { timeout: 120_000 }, () => {
  it('signs in to /my, uploads its file (a foreign row rejected), submits, answers a rectification', async () => {
    const page = await suite.openAs('school', '/');
    await poll(() => new URL(page.url()).pathname).toBe('/my');
    await poll(() => page.locator('[data-school-line]').innerText()).toContain('1000000002');
    const nav = await page.locator('nav a').allInnerTexts();
    expect(nav).toContain('本校填报');
    expect(nav).not.toContain('投诉与举报');
    expect(nav).not.toContain('审计日志');

    // Upload: only 东城村小's row loads; 西山中学's row is rejected, named in the reason.
    await page.locator('[data-go-upload]').click();
    await poll(() => new URL(page.url()).pathname).toBe('/upload');
    await page.getByLabel('选择报表文件').setInputFiles([SCHOOL_FILE]);
    await page.getByRole('button', { name: '开始导入' }).click();
    await page.locator('[data-upload-results]').waitFor({ timeout: 30_000 });
    const card = (field: string) =>
      page
        .locator(`[data-upload-file="月报-2025-11-东城村小.csv"] [data-field="${field}"]`)
        .innerText();
    expect(await card('status')).toBe('部分拒绝');
    expect(await card('rowsLoaded')).toBe('1');
    expect(await card('rowsRejected')).toBe('1');
    const rejects = page.locator('[data-table="拒绝明细"] tbody tr');
    await poll(() => rejects.count()).toBe(1);
    expect(await rejects.first().innerText()).toContain(
      '文件中含其他学校的数据（学校标识码 1000000003），已拒绝该行',
    );
    await screenshot(page, 'school-month-upload');

    // Submit 2025-11: 草稿 with data → 已提交.
    await page.goto(`${suite.fixture.url}/my`);
    const november = page.locator('[data-school-months] tr[data-month="2025-11"]');
    await poll(() => november.getAttribute('data-status')).toBe('DRAFT');
    expect(await november.locator('td').first().innerText()).toBe('已导入');
    await november.getByRole('button', { name: '提交审核' }).click();
    await poll(() => november.getAttribute('data-status')).toBe('SUBMITTED');
    expect(await november.locator('.badge').innerText()).toBe('已提交');
    expect(await page.locator('[data-school-notice]').innerText()).toBe(
      '2025年11月已提交审核（已提交）',
    );

    // Answer the rectification request with a report and a photo.
    const flag = page.locator(`[data-awaiting-flags] [data-flag-id="${flagId}"]`);
    expect(await flag.innerText()).toContain('整改要求：限期整改');
    expect(await flag.innerText()).toContain('期限 2025年12月20日');
    await flag.getByRole('button', { name: '登记整改结果' }).click();
    const form = flag.locator('[data-step-form="RECORD_RECTIFICATION"]');
    await form.getByLabel('学校整改情况').fill('已调整作息，17:30 前结束服务');
    await form.locator('[data-evidence-input]').setInputFiles(PHOTO);
    await poll(() => form.locator('[data-evidence-item="done"]').count()).toBe(1);
    await screenshot(page, 'school-month-answer');
    await form.getByRole('button', { name: '确认登记整改结果' }).click();
    await poll(() => page.locator('[data-school-notice]').innerText()).toBe(
      '结束时间过晚（2025年10月）：已登记整改结果',
    );
    await poll(() => page.locator(`[data-answered-id="${flagId}"]`).innerText()).toContain(
      '本校答复：已调整作息，17:30 前结束服务',
    );
    expect(await page.locator('[data-awaiting-flags] [data-flag-id]').count()).toBe(0);
    await screenshot(page, 'school-month-done');
    await page.context().close();
  });
});
