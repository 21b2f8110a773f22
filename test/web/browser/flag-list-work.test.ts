/**
 * Working the 违规预警 list in the browser: the grouped view of recurring flags, the sort
 * selector, and 批量要求整改 from a selection and from a group. Clocks at 2025-11-20 10:00
 * Asia/Shanghai on the fixture district, whose reports raise 42 OPEN flags (see
 * flags.test.ts for the table). By school and rule (a code may have several rules) they
 * make 13 groups:
 *
 * | school | groups (count)                                                                  |
 * |--------|---------------------------------------------------------------------------------|
 * | …01    | MISSING_REPORT.missing 7, NOT_OFFERED.turned_away 1, PRIORITY_GAP.left_behind 1, |
 * |        | PRIORITY_GAP.migrant 1, SHORT_SERVICE.minutes 1                                  |
 * | …02    | MISSING_REPORT.missing 8, PRIORITY_GAP.left_behind 2, SHORT_SERVICE.days 1       |
 * | …03    | MISSING_REPORT.missing 8, NOT_OFFERED.no_service 1, NOT_OFFERED.turned_away 1,   |
 * |        | PRIORITY_GAP.left_behind 1                                                       |
 * | …04    | MISSING_REPORT.missing 9 (2024-10, 2024-11 … 2025-06 but 02, 2025-10)            |
 *
 * The fixture load raises its flags in three judgings: first SHORT_SERVICE …01 and …02 and
 * NOT_OFFERED.no_service …03, then the other report rules, last MISSING_REPORT (all 29 at
 * one instant).
 *
 * The test that changes data runs last.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from '../../helpers/axe.ts';
import { screenshot } from '../../helpers/browser.ts';
import type { WEB_USERS } from '../../helpers/web-fixture.ts';
import { browserSuite, poll } from '../../helpers/browser-suite.ts';

const NOW = new Date('2025-11-20T10:00:00+08:00');

const suite = browserSuite(new Date(NOW), { axe: true });
const openAs = (user: keyof typeof WEB_USERS, path: string): Promise<Page> =>
  suite.openAs(user, path);

const table = (page: Page, title: string) => page.locator(`[data-table="${title}"]`);
const caption = (page: Page, title: string) =>
  table(page, title).locator('.panel-caption').innerText();
const GROUPS = '重复出现的违规预警';
const LIST = '违规预警列表';

describe('working the flag list', { timeout: 90_000 }, () => {
  it('groups recurring flags by school and rule, and keeps the view in the URL', async () => {
    const page = await openAs('bureau', '/flags');
    await poll(() => caption(page, LIST)).toBe('共 42 条，按产生时间从新到旧');
    await page.locator('[data-list-view="groups"]').click();
    await poll(() => caption(page, GROUPS)).toBe(
      '共 13 组（同一学校同一规则），按产生时间从新到旧',
    );
    expect(new URL(page.url()).searchParams.get('view')).toBe('groups');
    expect((await seriousViolations(page)).map((v) => v.id)).toEqual([]);
    const counts = await table(page, GROUPS).locator('[data-group-count]').allInnerTexts();
    expect(counts.map(Number).sort((a, b) => a - b)).toEqual([
      1, 1, 1, 1, 1, 1, 1, 1, 2, 7, 8, 8, 9,
    ]);
    // …04's 月报 group: nine flags, from 2024-10 to 2025-10, all open.
    const nine = table(page, GROUPS)
      .locator('tbody tr')
      .filter({ has: page.locator('[data-group-count]', { hasText: /^9$/ }) });
    const cells = await nine.locator('td').allInnerTexts();
    expect(cells.slice(4, 7).map((c) => c.replace(/\s*重复/, ''))).toEqual(['9', '9', '0']);
    expect(cells[7]).toMatch(/^2024年10月、.*2025年10月$/);

    // 逐条查看 narrows the list to the group's school and code.
    await nine.locator('[data-expand-group]').click();
    await poll(() => caption(page, LIST)).toBe('共 9 条，按产生时间从新到旧');
    const query = Object.fromEntries(new URL(page.url()).searchParams);
    expect(query).toMatchObject({ code: 'MISSING_REPORT', school: '1000000004' });
    expect(query.view).toBeUndefined();
    await page.context().close();
  });

  it('sorts oldest first from the selector and keeps the order in the URL', async () => {
    const page = await openAs('bureau', '/flags');
    await poll(() => caption(page, LIST)).toBe('共 42 条，按产生时间从新到旧');
    const types = () => table(page, LIST).locator('tbody tr td:nth-child(4)').allInnerTexts();
    // Newest: the 20 of the page are all from the last judging (MISSING_REPORT).
    expect(new Set(await types())).toEqual(new Set(['月报未按时报送']));
    await page.locator('[data-list-sort]').selectOption('OLDEST_FIRST');
    await poll(() => caption(page, LIST)).toBe('共 42 条，按产生时间从旧到新');
    expect(new URL(page.url()).searchParams.get('sort')).toBe('OLDEST_FIRST');
    // Oldest: the first judging's three flags lead.
    await poll(async () => (await types()).slice(0, 3).sort()).toEqual([
      '服务时间不足',
      '服务时间不足',
      '未开展服务或未满足需求',
    ]);
    // A link with the order opens in it.
    await page.goto(`${suite.fixture.url}/flags?sort=OLDEST_FIRST`);
    await poll(() => caption(page, LIST)).toBe('共 42 条，按产生时间从旧到新');
    expect(await page.locator('[data-list-sort]').inputValue()).toBe('OLDEST_FIRST');
    await page.context().close();
  });

  it('requests rectification for a selection, then for a group, reporting the skipped', async () => {
    const page = await openAs('dx01', '/flags?code=MISSING_REPORT&school=1000000001');
    await poll(() => caption(page, LIST)).toBe('共 7 条，按产生时间从新到旧');
    const checks = table(page, LIST).locator('[data-select-flag]');
    expect(await checks.count()).toBe(7);
    await checks.nth(0).check();
    await checks.nth(1).check();
    await page.locator('[data-bulk-rectify]').click();
    const dialog = page.locator('[data-bulk-rectify-dialog]');
    await dialog.locator('[data-bulk-deadline]').waitFor();
    expect((await seriousViolations(page)).map((v) => v.id)).toEqual([]);
    // Nothing typed: the form says what is missing, in Chinese, and sends nothing.
    await dialog.locator('[data-bulk-submit]').click();
    await dialog.getByText('请选择整改期限').waitFor();
    await dialog.locator('[data-bulk-deadline]').fill('2025-12-15');
    await dialog.locator('[data-bulk-request]').fill('补报月报');
    await dialog.locator('[data-bulk-submit]').click();
    await poll(() => dialog.locator('[data-bulk-result]').innerText()).toBe(
      '已下发 2 条，未下发 0 条。',
    );
    await dialog.locator('[data-bulk-close]').click();
    await poll(() => table(page, LIST).locator('tbody tr', { hasText: '整改中' }).count()).toBe(2);

    // The group holds all seven: five move, the two already 整改中 are reported.
    await page.locator('[data-list-view="groups"]').click();
    const group = table(page, GROUPS).locator('tbody tr').first();
    await poll(() => group.locator('[data-group-count]').innerText()).toBe('7');
    await group.locator('[data-group-rectify]').click();
    await dialog.locator('[data-bulk-deadline]').fill('2025-12-15');
    await dialog.locator('[data-bulk-request]').fill('补报月报');
    await dialog.locator('[data-bulk-submit]').click();
    await poll(() => dialog.locator('[data-bulk-result]').innerText()).toBe(
      '已下发 5 条，未下发 2 条。',
    );
    expect((await seriousViolations(page)).map((v) => v.id)).toEqual([]);
    const skipped = await dialog.locator('[data-bulk-skipped] li').allInnerTexts();
    expect(skipped).toHaveLength(2);
    for (const line of skipped) expect(line).toContain('当前状态为「整改中」');
    await screenshot(page, 'flags-bulk-result');
    await dialog.locator('[data-bulk-close]').click();
    await page.context().close();
  });
});
