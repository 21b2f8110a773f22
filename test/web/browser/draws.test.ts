/**
 * The 四不两直 view on the fixture district (four schools, two townships, no visits): the
 * bureau draws four schools with a seed over 2025-11-24..28 (Monday to Friday), sees them
 * by stratum with the seed, and replays the draw; leadership and a 督学 are never offered
 * the view, and a 督学 sees on the 走访计划 only their drawn schools whose date has come.
 * Both clocks stand at Thursday 2025-11-20 10:00 in Asia/Shanghai.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from '../../helpers/axe.ts';
import { screenshot } from '../../helpers/browser.ts';
import { seedDraw } from '../../helpers/seed-draw.ts';
import type { WEB_USERS } from '../../helpers/web-fixture.ts';
import { browserSuite, poll } from '../../helpers/browser-suite.ts';

const NOW = new Date('2025-11-20T10:00:00+08:00');

const suite = browserSuite(NOW, { axe: true });
const openAs = (user: keyof typeof WEB_USERS, path: string): Promise<Page> =>
  suite.openAs(user, path);

describe('四不两直', () => {
  it('is not offered to leadership or a 督学, and its address leads home', async () => {
    for (const user of ['leader', 'dx01'] as const) {
      const page = await openAs(user, '/draws');
      await poll(() => new URL(page.url()).pathname).not.toBe('/draws');
      expect(await page.locator('nav.side-nav').innerText()).not.toContain('四不两直');
      await page.close();
    }
  });

  it('draws with a seed, shows the schools by stratum, and replays the draw', async () => {
    const page = await openAs('bureau', '/draws');
    await page.locator('nav.side-nav').getByText('四不两直').waitFor();
    await page.getByText('尚无抽取记录').waitFor();
    const form = page.locator('[data-draw-form]');
    await form.getByLabel('开始日期').fill('2025-11-24');
    await form.getByLabel('结束日期').fill('2025-11-28');
    await form.getByLabel('抽取学校数').fill('4');
    await form.getByLabel('随机种子').fill('浏览器测试');
    await page.locator('[data-draw-submit]').click();

    const detail = page.locator('[data-draw-detail]');
    await poll(() => detail.locator('[data-draw-seed]').innerText()).toBe('浏览器测试');
    const id = await detail.getAttribute('data-draw-id');
    await poll(() => new URL(page.url()).searchParams.get('draw')).toBe(id);
    // Four schools in four working-day slots (Mon–Thu: days ⌊i·5/4⌋ of five), every one 待走访.
    const rows = detail.locator('[data-draw-group] tbody tr');
    await poll(() => rows.count()).toBe(4);
    const texts = await rows.allInnerTexts();
    for (const name of ['东城第一小学', '东城村小', '西山中学', '西山九年一贯制学校'])
      expect(texts.join('\n')).toContain(name);
    const dates = texts.map((t) => /2025年11月(\d+)日/u.exec(t)?.[1]).sort();
    expect(dates).toEqual(['24', '25', '26', '27']);
    expect(texts.every((t) => t.includes('待走访'))).toBe(true);
    // The strata: each township's two schools, all drawn.
    const strata = await detail.locator('[data-draw-strata] tbody tr').allInnerTexts();
    const perTownship = (t: string) =>
      strata
        .filter((r) => r.startsWith(t))
        .reduce((n, r) => n + Number(r.trim().split(/\s+/u).at(-1)), 0);
    expect([perTownship('东城镇'), perTownship('西山乡')]).toEqual([2, 2]);
    expect(await detail.innerText()).toContain('候选学校');

    await page.locator('[data-draw-verify]').click();
    await poll(() => page.locator('[data-draw-verdict]').innerText()).toContain(
      '核验一致：按种子重放，4 所学校及走访日期与记录相同',
    );
    await poll(() => page.locator('[data-draw-list] tbody tr').count()).toBe(1);
    expect(await page.locator('[data-draw-list]').innerText()).toContain('浏览器测试');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'draws-bureau');
    await page.close();
  });

  it('says why a draw is refused, in Chinese', async () => {
    const page = await openAs('bureau', '/draws');
    const form = page.locator('[data-draw-form]');
    await form.getByLabel('开始日期').fill('2025-11-22');
    await form.getByLabel('结束日期').fill('2025-11-23');
    await page.locator('[data-draw-submit]').click();
    await poll(() => form.locator('[role="alert"]').innerText()).toContain('日期范围内没有工作日');
    await page.close();
  });

  it('shows a 督学 on the 走访计划 a drawn school of theirs from its date on, never a later one', async () => {
    // 东城第一小学 (DX01's) due yesterday, and drawn again with 东城村小 (not DX01's) for next week.
    await seedDraw(suite.fixture.writer, {
      schools: { '1000000001': '东城镇' },
      visitDate: '2025-11-19',
    });
    await seedDraw(suite.fixture.writer, {
      schools: { '1000000001': '东城镇', '1000000002': '东城镇' },
      visitDate: '2025-11-25',
    });
    const page = await openAs('dx01', '/plan');
    const panel = page.locator('[data-unannounced-visits]');
    await poll(() => panel.locator('tbody tr').count()).toBe(1);
    const row = await panel.locator('tbody tr').innerText();
    expect(row).toContain('东城第一小学');
    expect(row).toContain('2025年11月19日');
    expect(row).toContain('待走访');
    expect(await page.locator('main, body').first().innerText()).not.toContain('2025年11月25日');
    await panel.getByRole('link', { name: '记录走访' }).click();
    await poll(() => new URL(page.url()).searchParams.get('visitSchool')).toBe('1000000001');
    await page.close();
  });
});
