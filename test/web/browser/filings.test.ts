/**
 * 学期备案 in the browser (issue 17): the 学校填报员 of 1000000002 (东城村小) files its
 * 一校一案 for 2025-2026-1 with 4 service days a week — the policy asks for 5 — and sees
 * that deviation named; the bureau sees the semester's grid (东城村小's plan 已备案 with
 * 1 处不符, the other kinds 未备案), opens the plan and returns it with a reason; the
 * 东城镇 学区审核员 reads its two schools' grid without review buttons; the school reads
 * the reason. Clocks stand at 2025-11-20 10:00 in Asia/Shanghai.
 */
import { describe, expect, it } from 'vitest';
import { screenshot } from '../../helpers/browser.ts';
import { browserSuite, poll } from '../../helpers/browser-suite.ts';

const NOW = new Date('2025-11-20T10:00:00+08:00');
const DAYS = '每周服务 4 天，少于规定的 5 天 / 4 service days a week, fewer than the required 5';
const suite = browserSuite(NOW);

describe('semester filings', { timeout: 120_000 }, () => {
  it('a school files a plan with a deviation; the bureau sees the grid and returns it', async () => {
    const school = await suite.openAs('school', '/filings');
    expect(await school.locator('nav a').allInnerTexts()).toContain('学期备案');
    const planRow = school.locator('[data-own-filings] tr[data-kind="PLAN"]');
    await poll(() => planRow.locator('[data-status]').innerText()).toBe('未备案');
    await planRow.getByRole('button', { name: '填报' }).click();
    const form = school.locator('[data-filing-form="PLAN"]');
    await form.getByLabel('方案文件名或文号').fill('东城村小课后服务实施方案（2025秋）');
    await form.getByLabel('每周服务天数').fill('4');
    await form.getByLabel('开始时间').fill('16:00');
    await form.getByLabel('结束时间').fill('18:00');
    await form.getByLabel('阅读').fill('3');
    await form.getByLabel('体育').fill('2');
    await form.getByLabel('校内教师人数').fill('6');
    await form.getByLabel('优先保障安排').fill('留守儿童、双职工家庭子女优先');
    await form.getByRole('button', { name: '提交一校一案' }).click();
    await poll(() => school.locator('[data-filings-notice]').innerText()).toBe(
      '一校一案已备案，发现 1 处与政策不符，请核对',
    );
    await poll(() => planRow.locator('[data-status]').innerText()).toBe('已备案');
    expect(await planRow.locator('[data-deviations] li').allInnerTexts()).toEqual([DAYS]);
    await screenshot(school, 'filings-school');
    await school.context().close();

    const bureau = await suite.openAs('bureau', '/filings');
    const row = bureau.locator('[data-filing-grid] tr[data-school="1000000002"]');
    const plan = row.locator('td[data-kind="PLAN"]');
    await poll(() => plan.innerText()).toContain('已备案');
    expect(await plan.innerText()).toContain('1 处不符');
    for (const kind of ['SURVEY', 'AGREEMENT', 'FEES', 'PAY'])
      expect(await row.locator(`td[data-kind="${kind}"]`).innerText()).toBe('未备案');
    expect(await row.locator('td').last().innerText()).toBe('1');
    await plan.getByRole('button').click();
    const detail = bureau.locator('[data-filing-detail]');
    expect(await detail.locator('[data-deviations] li').allInnerTexts()).toEqual([DAYS]);
    expect(await detail.innerText()).toContain('东城村小课后服务实施方案（2025秋）');
    await detail.getByRole('button', { name: '退回' }).click();
    await detail.getByLabel('退回原因').fill('每周服务须满 5 天，请修改后重新备案');
    await screenshot(bureau, 'filings-bureau');
    await detail.getByRole('button', { name: '确认退回' }).click();
    await poll(() => bureau.locator('[data-filings-notice]').innerText()).toBe(
      '东城村小 一校一案：已退回',
    );
    await poll(() => plan.locator('[data-status]').innerText()).toBe('已退回');
    await bureau.context().close();

    // The 学区审核员 of 东城镇 reads its township's two schools, and reviews nothing.
    const township = await suite.openAs('township', '/filings');
    const rows = township.locator('[data-filing-grid] tbody tr');
    await poll(() => rows.count()).toBe(2);
    expect(
      await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-school'))),
    ).toEqual(['1000000001', '1000000002']);
    await township
      .locator('[data-filing-grid] tr[data-school="1000000002"] td[data-kind="PLAN"] button')
      .click();
    await poll(() => township.locator('[data-filing-detail]').innerText()).toContain('已退回');
    expect(await township.locator('[data-filing-detail] button').count()).toBe(0);
    await township.context().close();

    const again = await suite.openAs('school', '/filings');
    const returned = again.locator('[data-own-filings] tr[data-kind="PLAN"]');
    await poll(() => returned.locator('[data-status]').innerText()).toBe('已退回');
    expect(await returned.innerText()).toContain('退回原因：每周服务须满 5 天，请修改后重新备案');
    expect(await returned.getByRole('button', { name: '重新填报' }).count()).toBe(1);
    await again.context().close();
  });
});
