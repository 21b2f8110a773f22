/**
 * Evidence files in the browser (EvidenceUpload): a 督学 records a visit with a photo (the
 * photo waits until the visit exists, then is sent), the school page's visit records show
 * its thumbnail, and the 登记整改结果 step shows the server's Chinese reason for a refused
 * file and takes a PDF. Clocks stand at 2025-11-20 10:00 in Asia/Shanghai.
 */
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot } from '../../helpers/browser.ts';
import type { WEB_USERS } from '../../helpers/web-fixture.ts';
import { browserSuite, poll } from '../../helpers/browser-suite.ts';

const NOW = new Date('2025-11-20T10:00:00+08:00');
const FIXTURES = fileURLToPath(new URL('../../fixtures/evidence/', import.meta.url));

const suite = browserSuite(NOW);
const openAs = (user: keyof typeof WEB_USERS, path: string): Promise<Page> =>
  suite.openAs(user, path);

async function api<T>(page: Page, query: string, variables: object = {}): Promise<T> {
  const response = await page.request.post(`${suite.fixture.url}/graphql`, {
    data: { query, variables },
  });
  return ((await response.json()) as { data: T }).data;
}

// A shared 2-core machine can be slow: generous limits, exact figures.
describe('evidence files', { timeout: 90_000 }, () => {
  it('records a visit with a photo, shown with its thumbnail on the school page', async () => {
    const page = await openAs('dx01', '/flags?tab=visits');
    await page.locator('[data-record-visit]').click();
    const form = page.locator('[data-visit-form]');
    await form.getByLabel('学校').selectOption('1000000001');
    await form.getByLabel('检查发现').fill('课后服务正常开展');
    await form.locator('[data-evidence-input]').setInputFiles(`${FIXTURES}gps-photo.jpg`);
    expect(await form.locator('[data-evidence-item="waiting"]').innerText()).toContain(
      '待上传（保存后上传）',
    );
    await screenshot(page, 'evidence-visit-form');
    await form.getByRole('button', { name: '提交检查记录' }).click();
    await poll(() => page.locator('[data-view-message]').innerText()).toBe(
      '已登记督导检查：东城第一小学（2025年11月20日），上传材料 1 份',
    );

    await page.goto(`${suite.fixture.url}/schools/1000000001`);
    const thumb = page.locator('[data-visit-evidence] img');
    await thumb.waitFor();
    expect(await thumb.getAttribute('alt')).toBe('gps-photo.jpg');
    await poll(() =>
      thumb.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
    ).toBe(320);
    await page.context().close();
  });

  it('shows why a file is refused and keeps a PDF on the rectification step', async () => {
    const page = await openAs('bureau', '/flags');
    const { flags } = await api<{ flags: { items: { id: string }[] } }>(
      page,
      '{ flags(first: 1) { items { id } } }',
    );
    const id = flags.items[0]!.id;
    await api(
      page,
      `mutation ($id: ID!) { requestRectification(flagId: $id, deadline: "2025-12-20", request: "限期整改") { id } }`,
      { id },
    );
    await page.goto(`${suite.fixture.url}/flags?flag=${id}`);
    const drawer = page.locator('[data-flag-drawer]');
    await drawer.getByRole('button', { name: '登记整改结果' }).click();
    const upload = drawer.locator('[data-step-form="RECORD_RECTIFICATION"] [data-evidence-upload]');
    await upload.locator('[data-evidence-input]').setInputFiles(`${FIXTURES}not-a-photo.jpg`);
    await poll(() =>
      upload.locator('[data-evidence-item="failed"] [role="alert"]').innerText(),
    ).toBe('只能上传 JPEG、PNG 图片或 PDF 文件（按文件内容判断）');
    await upload.locator('[data-evidence-input]').setInputFiles(`${FIXTURES}notice.pdf`);
    await poll(() => upload.locator('[data-evidence-item="done"]').count()).toBe(1);
    expect(await upload.locator('[data-evidence-item="done"]').innerText()).toContain('已上传');
    await screenshot(page, 'evidence-rectification');
    await page.context().close();
  });
});
