/**
 * The 违规预警 view on the fixture district. Both clocks (server and browser) stand at
 * 2025-11-20 10:00 in Asia/Shanghai, so "today", deadlines and history times are fixed;
 * the last two tests move both to 2025-12-23, past the deadline set by an earlier one.
 * The fixture's reports raise 42 flags, all OPEN (see the table below); the tests that
 * change data run last, in order.
 *
 * | month   | flags | codes                                                            |
 * |---------|-------|------------------------------------------------------------------|
 * | 2024-10 | 4     | NOT_OFFERED …01; MISSING_REPORT …02 …03 …04                      |
 * | 2024-11 … 2025-06 (not 02) | 4 each (28) | MISSING_REPORT, every school           |
 * | 2025-09 | 5     | PRIORITY_GAP …01 …02 …03; NOT_OFFERED …03; SHORT_SERVICE …01     |
 * | 2025-10 | 5     | PRIORITY_GAP …01 …02; SHORT_SERVICE …02; NOT_OFFERED …03; MISSING_REPORT …04 |
 *
 * DX01 sees 13: school …01's 11 (7 MISSING_REPORT + NOT_OFFERED 2024-10 + 2025-09's
 * PRIORITY_GAP and SHORT_SERVICE + 2025-10's PRIORITY_GAP) and …03's two 2025-09 flags.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chartRows,
  chartsSettled,
  launchBrowser,
  newPage,
  screenshot,
  signInAs,
} from '../../helpers/browser.ts';
import {
  openWebFixture,
  WEB_PASSWORD,
  WEB_USERS,
  type WebFixture,
} from '../../helpers/web-fixture.ts';

const NOW = new Date('2025-11-20T10:00:00+08:00');
/** The server's clock; the last test moves it past a deadline. */
const serverNow = new Date(NOW);

let fixture: WebFixture;
let browser: Browser;

beforeAll(async () => {
  fixture = await openWebFixture({ now: serverNow });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await fixture?.close();
});

async function openAs(
  user: keyof typeof WEB_USERS,
  path = '/flags',
  time: Date = NOW,
): Promise<Page> {
  const page = await newPage(browser);
  page.setDefaultTimeout(20_000);
  await page.clock.install({ time });
  await signInAs(page, fixture.url, WEB_USERS[user].username, WEB_PASSWORD, path);
  await page.locator('[data-kpi="待处理"]').waitFor();
  return page;
}

/** expect.poll with room for a slow shared machine (sign-in, lazy view, then the queries). */
function poll<T>(fn: () => Promise<T> | T) {
  return expect.poll(fn, { timeout: 20_000 });
}

async function kpi(page: Page, label: string): Promise<string> {
  return page.locator(`[data-kpi="${label}"] .kpi-value`).innerText();
}

/** Waits until the KPI shows `value` (the cards refetch after a change). */
async function expectKpi(page: Page, label: string, value: string): Promise<void> {
  await poll(() => kpi(page, label)).toBe(value);
}

const list = (page: Page) => page.locator('[data-table="违规预警列表"]');
const listRows = (page: Page) => list(page).locator('tbody tr');

async function listCaption(page: Page): Promise<string> {
  return list(page).locator('.panel-caption').innerText();
}

/** A GraphQL answer as the signed-in user of `page` (same session cookie). */
async function api<T>(page: Page, query: string, variables: object = {}): Promise<T> {
  const response = await page.request.post(`${fixture.url}/graphql`, {
    data: { query, variables },
  });
  const body = (await response.json()) as { data: T };
  return body.data;
}

// A shared 2-core machine can be slow: generous limits, exact figures.
describe('违规预警 view', { timeout: 90_000 }, () => {
  it('shows a bureau inspector the backlog, the charts and the whole list', async () => {
    const page = await openAs('bureau');
    await expectKpi(page, '待处理', '42');
    expect(await kpi(page, '未办结')).toBe('42');
    expect(await kpi(page, '整改中')).toBe('0');
    expect(await kpi(page, '已整改待核查')).toBe('0');
    expect(await kpi(page, '逾期整改')).toBe('0');
    expect(await kpi(page, '本月新增')).toBe('5');
    expect(await page.locator('[data-view-sub]').innerText()).toContain('月份：2025年10月');

    await chartsSettled(page);
    // October 2025: PRIORITY_GAP ×2, then one each in catalogue order.
    expect(await chartRows(page, '各类违规预警数量（按办理状态）')).toEqual([
      ['优先群体保障不足', '2'],
      ['服务时间不足', '1'],
      ['未开展服务或未满足需求', '1'],
      ['月报未按时报送', '1'],
    ]);
    expect(await chartRows(page, '近12个月新增违规预警趋势（按办理状态）')).toEqual([
      ['11月', '4'],
      ['12月', '4'],
      ['2025年1月', '4'],
      ['2月', '0'],
      ['3月', '4'],
      ['4月', '4'],
      ['5月', '4'],
      ['6月', '4'],
      ['7月', '0'],
      ['8月', '0'],
      ['9月', '5'],
      ['10月', '5'],
    ]);
    // Twelve months: MISSING_REPORT 28 of them; the by-code chart switches to them.
    await page.getByRole('button', { name: '近12个月', exact: true }).click();
    await poll(async () => (await chartRows(page, '各类违规预警数量（按办理状态）'))[0]).toEqual([
      '月报未按时报送',
      '29',
    ]);

    expect(await listCaption(page)).toBe('共 42 条，按产生时间从新到旧');
    expect(await listRows(page).count()).toBe(20);
    expect(await list(page).locator('thead th').allInnerTexts()).toEqual([
      '学校',
      '乡镇',
      '月份',
      '类型',
      '情况',
      '状态',
      '整改期限/逾期',
      '来源',
      '操作',
    ]);
    await page.getByRole('button', { name: '下一页' }).click();
    await poll(() => page.locator('.pager').innerText()).toContain('第 2 / 3 页');
    await page.getByRole('button', { name: '下一页' }).click();
    await poll(() => listRows(page).count()).toBe(2);
    // Fits a 1366-wide screen without scrolling sideways.
    // (A string expression: the test tsconfig has no DOM types.)
    const scrollWidth = await page.evaluate<number>('document.documentElement.scrollWidth');
    expect(scrollWidth).toBeLessThanOrEqual(1366);
    await screenshot(page, 'flags-bureau');
    await page.context().close();
  });

  it('filters the list from the URL and keeps the filters there', async () => {
    const page = await openAs('bureau', '/flags?status=OPEN&code=PRIORITY_GAP&school=1000000002');
    await poll(() => listCaption(page)).toBe('共 2 条，按产生时间从新到旧');
    const cells = await listRows(page).evaluateAll((trs) =>
      trs.map((tr) =>
        [...tr.querySelectorAll('td')].slice(0, 4).map((td) => td.textContent?.trim()),
      ),
    );
    // Raised in the same load at the same time: which comes first follows the ids the
    // rules engine drew, in no particular order within one judging.
    expect([...cells].sort((a, b) => String(a[2]).localeCompare(String(b[2])))).toEqual([
      ['东城村小', '东城镇', '2025年10月', '优先群体保障不足'],
      ['东城村小', '东城镇', '2025年9月', '优先群体保障不足'],
    ]);
    await page.locator('[data-filter="period"]').selectOption('month');
    await poll(() => listCaption(page)).toBe('共 1 条，按产生时间从新到旧');
    const query = new URL(page.url()).searchParams;
    expect(Object.fromEntries(query)).toMatchObject({
      status: 'OPEN',
      code: 'PRIORITY_GAP',
      school: '1000000002',
      range: 'month',
    });
    // The shared 乡镇 filter narrows the list through the scope.
    await page.getByRole('button', { name: '重置条件' }).click();
    await page.locator('.filter-bar').getByLabel('乡镇（街道）').selectOption('西山乡');
    await poll(() => listCaption(page)).toBe('共 20 条，按产生时间从新到旧');
    await page.context().close();
  });

  it('shows leadership the list and a flag’s detail without any action', async () => {
    const page = await openAs('leader');
    await poll(() => listCaption(page)).toBe('共 42 条，按产生时间从新到旧');
    const actions = await list(page).locator('[data-open-flag]').allInnerTexts();
    expect(actions).toHaveLength(20);
    expect(new Set(actions)).toEqual(new Set(['查看']));
    await list(page).locator('[data-open-flag]').first().click();
    const drawer = page.locator('[data-flag-drawer]');
    await drawer.locator('[data-no-steps]').waitFor();
    expect(await drawer.locator('[data-step]').count()).toBe(0);
    // Escape closes the panel.
    await page.keyboard.press('Escape');
    await poll(() => page.locator('[data-flag-drawer]').count()).toBe(0);
    await page.getByRole('tab', { name: '督导检查' }).click();
    await page.locator('[data-table="督导检查记录"]').waitFor();
    expect(await page.locator('[data-record-visit]').count()).toBe(0);
    await page.context().close();
  });

  it('shows a supervising inspector only the flags of their schools', async () => {
    const page = await openAs('dx01');
    await expectKpi(page, '待处理', '13');
    expect(await kpi(page, '本月新增')).toBe('1');
    await poll(() => listCaption(page)).toBe('共 13 条，按产生时间从新到旧');
    const schools = await list(page).locator('tbody tr td:first-child').allInnerTexts();
    expect(new Set(schools)).toEqual(new Set(['东城第一小学', '西山中学']));
    // Equal to the API's answer for the same user.
    const answer = await api<{ flags: { total: number } }>(page, '{ flags(first: 1) { total } }');
    expect(answer.flags.total).toBe(13);
    // The overview counts the same open flags as the cards (it said 12: issue 13).
    expect(await kpi(page, '未办结')).toBe('13');
    const overview = await api<{ overview: { openFlags: number } }>(
      page,
      '{ overview(month: "2025-10") { openFlags } }',
    );
    expect(overview.overview.openFlags).toBe(13);
    await page.context().close();
  });

  it('lets a bureau inspector request rectification: status 整改中 and a new history row', async () => {
    const page = await openAs('bureau', '/flags?code=SHORT_SERVICE&school=1000000002');
    await poll(() => listCaption(page)).toBe('共 1 条，按产生时间从新到旧');
    await list(page).getByRole('button', { name: '处理：东城村小 服务时间不足' }).click();
    const drawer = page.locator('[data-flag-drawer]');
    await drawer.locator('[data-history-row]').first().waitFor();
    expect(await drawer.locator('[data-fact="threshold"]').innerText()).toBe(
      '≥ 20 天（上学 20 天，每周 5 天）',
    );
    expect(await drawer.locator('[data-fact="observed"]').innerText()).toBe('18 天');
    // The rule in Chinese from the flag catalogue; no rule id (SHORT_SERVICE.days) anywhere.
    expect(await drawer.locator('[data-fact="rule"]').innerText()).toMatch(/^[\u4e00-\u9fff]/u);
    expect(await drawer.innerText()).not.toMatch(/\b[A-Z][A-Z_]+\.[a-z_]+\b/u);
    expect(await drawer.locator('[data-step]').allInnerTexts()).toEqual([
      '下发整改',
      '撤销违规预警',
    ]);
    expect(await drawer.locator('[data-history-row]').count()).toBe(1);

    await drawer.getByRole('button', { name: '下发整改' }).click();
    const form = drawer.locator('[data-step-form="REQUEST_RECTIFICATION"]');
    await form.getByRole('button', { name: '确认下发整改' }).click();
    expect(await form.locator('.form-error').allInnerTexts()).toEqual([
      '请选择整改期限',
      '请填写整改要求',
    ]);
    await form.getByLabel('整改期限').fill('2025-11-19');
    await form.getByLabel('整改要求').fill('请按每周5天开展课后服务，12月20日前报送整改报告');
    await form.getByRole('button', { name: '确认下发整改' }).click();
    expect(await form.locator('.form-error').allInnerTexts()).toEqual(['整改期限不能早于今天']);
    await form.getByLabel('整改期限').fill('2025-12-20');
    await form.getByRole('button', { name: '确认下发整改' }).click();

    await poll(() => drawer.locator('[role="status"]').innerText()).toBe('已下发整改');
    await poll(() => drawer.locator('[data-drawer-status]').innerText()).toBe('整改中');
    await poll(() => drawer.locator('[data-history-row]').count()).toBe(2);
    const last = await drawer.locator('[data-history-row]').nth(1).innerText();
    expect(last).toContain('下发整改');
    expect(last).toContain('2025/11/20 10:00 · 督导科王老师');
    expect(last).toContain('待处理 → 整改中');
    expect(last).toContain('整改期限：2025年12月20日');
    expect(last).toContain('请按每周5天开展课后服务');
    expect(await drawer.locator('[data-fact="deadline"]').innerText()).toBe('2025年12月20日');
    expect(await drawer.locator('[data-step]').allInnerTexts()).toEqual([
      '登记整改结果',
      '撤销违规预警',
    ]);
    await screenshot(page, 'flags-bureau-drawer');

    // List and cards follow.
    await poll(() => list(page).locator('[data-status]').first().innerText()).toBe('整改中');
    expect(await listRows(page).first().innerText()).toContain('2025年12月20日');
    await expectKpi(page, '整改中', '1');
    expect(await kpi(page, '待处理')).toBe('41');
    await page.getByRole('button', { name: '关闭违规预警详情' }).click();
    expect(await page.locator('[data-flag-drawer]').count()).toBe(0);
    await page.context().close();
  });

  it('records a visit with a problem and an inspection flag: new visit and new OPEN flag', async () => {
    const page = await openAs('dx01', '/flags?tab=visits');
    const visits = page.locator('[data-table="督导检查记录"]');
    await visits.locator('.state-empty').waitFor();
    expect(await visits.innerText()).toContain('暂无督导检查记录');
    await page.locator('[data-record-visit]').click();
    const form = page.locator('[data-visit-form]');
    // Only the school DX01 holds now, preselected; empty findings are refused first.
    const options = await form.getByLabel('学校').locator('option').allInnerTexts();
    expect(options.map((o) => o.trim())).toEqual(['请选择学校', '东城第一小学（东城镇）']);
    expect(await form.getByLabel('检查日期').inputValue()).toBe('2025-11-20');
    await form.getByRole('button', { name: '提交检查记录' }).click();
    expect(await form.locator('.form-error').allInnerTexts()).toEqual(['请填写检查发现']);

    await form.getByLabel('检查类型').selectOption('UNANNOUNCED');
    const content = form.locator('[data-check="CONTENT"]');
    await content.getByLabel('有问题').check();
    await content.getByLabel('服务内容说明').fill('五年级在讲数学新课');
    await form.locator('[data-check="SERVICE_TIME"]').getByLabel('合格').check();
    await form.getByLabel('检查发现').fill('发现五年级课后服务时段集体补课');
    await form.getByRole('button', { name: '＋ 添加违规预警' }).click();
    const raised = form.locator('[data-raised-flag]');
    // Only codes an inspection may evidence are offered.
    const offered = await raised.getByLabel('违规预警类型').locator('option').allInnerTexts();
    expect(offered).toContain('集体教学补课');
    expect(offered).not.toContain('月报未按时报送');
    await raised.getByLabel('违规预警类型').selectOption('COLLECTIVE_TEACHING');
    await raised.getByLabel('问题描述').fill('五年级课后服务时段集体讲授数学新课');
    await screenshot(page, 'flags-dx01-visit-form');
    await form.getByRole('button', { name: '提交检查记录' }).click();

    await poll(() => page.locator('[data-view-message]').innerText()).toBe(
      '已登记督导检查：东城第一小学（2025年11月20日），提出违规预警 1 条',
    );
    await poll(() => visits.locator('tbody tr').count()).toBe(1);
    const row = await visits
      .locator('tbody tr td')
      .evaluateAll((tds) => tds.map((td) => td.textContent?.trim()));
    expect(row).toEqual([
      '2025年11月20日',
      '东城第一小学',
      '四不两直',
      '张督学（DX01）',
      '1 项',
      '发现五年级课后服务时段集体补课',
      '集体教学补课 待处理',
    ]);
    await expectKpi(page, '待处理', '14');

    await visits.getByRole('button', { name: '查看违规预警：集体教学补课' }).click();
    const drawer = page.locator('[data-flag-drawer]');
    await poll(() => drawer.locator('[data-drawer-status]').innerText()).toBe('待处理');
    expect(await drawer.innerText()).toContain('督导检查记录（编号');
    await screenshot(page, 'flags-dx01-visit');
    await page.getByRole('button', { name: '关闭违规预警详情' }).click();

    await page.getByRole('tab', { name: '违规预警列表' }).click();
    await poll(() => listCaption(page)).toBe('共 14 条，按产生时间从新到旧');
    // (The fixture's report flags carry the real load time, so filter rather than rely on order.)
    await page.locator('[data-filter="source"]').selectOption('INSPECTION');
    await poll(() => listCaption(page)).toBe('共 1 条，按产生时间从新到旧');
    const cells = await listRows(page)
      .locator('td')
      .evaluateAll((tds) => tds.map((td) => td.textContent?.trim()));
    expect(cells).toEqual([
      '东城第一小学',
      '东城镇',
      '2025年11月',
      '集体教学补课',
      '五年级课后服务时段集体讲授数学新课',
      '待处理',
      '—',
      '督导检查',
      '处理',
    ]);
    await page.context().close();
  });

  it('lists an overdue rectification once its deadline has passed', async () => {
    // 2025-12-23 in Shanghai: three days past the 2025-12-20 deadline set above.
    const later = new Date('2025-12-23T10:00:00+08:00');
    serverNow.setTime(later.getTime());
    const page = await openAs('bureau', '/flags?tab=overdue', later);
    await expectKpi(page, '逾期整改', '1');
    const table = page.locator('[data-table="逾期整改"]');
    await poll(() => table.locator('tbody tr').count()).toBe(1);
    const cells = await table
      .locator('tbody td')
      .evaluateAll((tds) => tds.map((td) => td.textContent?.trim()));
    expect(cells).toEqual([
      '东城村小',
      '东城镇',
      '2025年10月',
      '服务时间不足',
      '本月上学 20 天，开展课后服务 18 天，少于规定的 20 天（每周 5 天）',
      '2025年12月20日',
      '3 天',
      '处理',
    ]);
    const answer = await api<{ flags: { items: { daysOverdue: number }[] } }>(
      page,
      '{ flags(overdue: true) { items { daysOverdue } } }',
    );
    expect(answer.flags.items).toEqual([{ daysOverdue: 3 }]);
    expect(await table.locator('.panel-caption').innerText()).toBe(
      '共 1 条整改中且已过期限的违规预警',
    );
    await screenshot(page, 'flags-bureau-overdue');
    await page.context().close();
  });

  it('completes the loop: a refused step shows the server’s Chinese reason, then record, follow-up visit, close', async () => {
    const later = new Date('2025-12-23T10:00:00+08:00');
    const page = await openAs('bureau', '/flags?tab=overdue', later);
    const { flags } = await api<{ flags: { items: { id: string }[] } }>(
      page,
      '{ flags(overdue: true) { items { id } } }',
    );
    const id = flags.items[0]!.id;
    const table = page.locator('[data-table="逾期整改"]');
    await table.getByRole('button', { name: '处理：东城村小 服务时间不足' }).click();
    const drawer = page.locator('[data-flag-drawer]');
    await drawer.getByRole('button', { name: '登记整改结果' }).click();
    const record = drawer.locator('[data-step-form="RECORD_RECTIFICATION"]');
    await record.getByLabel('学校整改情况').fill('已恢复每周5天服务');
    // Someone else records the rectification first: the server refuses the second one.
    await api(page, `mutation { recordRectification(flagId: "${id}", report: "已整改") { id } }`);
    await record.getByRole('button', { name: '确认登记整改结果' }).click();
    await poll(() => record.getByRole('alert').innerText()).toBe(
      '提交失败：该违规预警当前状态为「已整改待核查」，此操作只适用于：「整改中」',
    );
    await page.getByRole('button', { name: '关闭违规预警详情' }).click();

    // A follow-up visit to the school, then close the flag with it.
    await page.getByRole('tab', { name: '督导检查' }).click();
    await page.locator('[data-record-visit]').click();
    const form = page.locator('[data-visit-form]');
    await form.getByLabel('学校').selectOption('1000000002');
    await form.getByLabel('检查类型').selectOption('FOLLOW_UP');
    await form.getByLabel('检查发现').fill('复查：已按每周5天开展课后服务');
    await form.getByRole('button', { name: '提交检查记录' }).click();
    await poll(() => page.locator('[data-view-message]').innerText()).toBe(
      '已登记督导检查：东城村小（2025年12月23日）',
    );

    await page.goto(`${fixture.url}/flags?tab=visits&flag=${id}`);
    await poll(() => drawer.locator('[data-drawer-status]').innerText()).toBe('已整改待核查');
    expect(await drawer.locator('[data-step]').allInnerTexts()).toEqual([
      '下发整改',
      '核查销号',
      '撤销违规预警',
    ]);
    await drawer.getByRole('button', { name: '核查销号' }).click();
    const close = drawer.locator('[data-step-form="CLOSE"]');
    const visit = close.getByLabel('关联复查记录（选填）');
    await poll(() => visit.locator('option').count()).toBe(2);
    await visit.selectOption({ index: 1 });
    await close.getByLabel('核查意见').fill('复查核实已整改');
    await close.getByRole('button', { name: '确认核查销号' }).click();
    await poll(() => drawer.locator('[data-drawer-status]').innerText()).toBe('已销号');
    expect(await drawer.locator('[data-step]').count()).toBe(0);
    const actions = await drawer.locator('[data-history-row] .timeline-action').allInnerTexts();
    expect(actions).toEqual(['产生违规预警', '下发整改', '登记整改结果', '核查销号']);
    expect(await drawer.locator('[data-history-row]').last().innerText()).toContain(
      '2025/12/23 10:00 · 督导科王老师',
    );
    await expectKpi(page, '逾期整改', '0');
    await page.context().close();
  });

  it('offers only the follow-up visits the server accepts, says why none in Chinese, and shows the linked visit', async () => {
    const later = new Date('2025-12-23T10:00:00+08:00');
    serverNow.setTime(later.getTime());
    const page = await openAs('bureau', '/flags', later);
    const { flags } = await api<{ flags: { items: { id: string }[] } }>(
      page,
      '{ flags(status: OPEN, schoolCode: "1000000004", first: 1) { items { id } } }',
    );
    const id = flags.items[0]!.id;
    const visit = (date: string, findings: string) =>
      api(page, `mutation ($input: VisitInput!) { recordVisit(input: $input) { id } }`, {
        input: { schoolCode: '1000000004', date, kind: 'FOLLOW_UP', checklist: [], findings },
      });
    // A follow-up visit of 12-01, then the rectification recorded today (12-23).
    await visit('2025-12-01', '复查：整改尚未开始');
    await api(
      page,
      `mutation { requestRectification(flagId: "${id}", deadline: "2026-01-31", request: "按时报送月报") { id } }`,
    );
    await api(
      page,
      `mutation { recordRectification(flagId: "${id}", report: "已补报月报") { id } }`,
    );

    await page.goto(`${fixture.url}/flags?flag=${id}`);
    const drawer = page.locator('[data-flag-drawer]');
    await poll(() => drawer.locator('[data-drawer-status]').innerText()).toBe('已整改待核查');
    expect(await drawer.locator('[data-fact="rectified-on"]').innerText()).toBe('2025年12月23日');
    await drawer.locator('[data-step="CLOSE"]').click();
    const close = drawer.locator('[data-step-form="CLOSE"]');
    const hint = close.locator('[data-closing-hint]');
    await poll(() => hint.innerText()).toBe(
      '该校已有的整改复查都早于整改完成日期（2025年12月23日），不能用来核查这次整改。可在2025年12月23日（整改完成当天）或之后到校复查并登记“整改复查”，也可以不关联复查记录直接核查销号。',
    );
    const choice = close.getByLabel('关联复查记录（选填）');
    expect(await choice.locator('option').allInnerTexts()).toEqual(['不关联']);
    await screenshot(page, 'flags-close-no-qualifying-visit');

    // Today's follow-up qualifies: offered, accepted, and shown on the closed flag.
    await visit('2025-12-23', '复查：已补报10月月报');
    await drawer.locator('[data-step="CLOSE"]').click();
    await drawer.locator('[data-step="CLOSE"]').click();
    await poll(() => choice.locator('option').allInnerTexts()).toEqual([
      '不关联',
      '2025年12月23日 · 督导科王老师 · 复查：已补报10月月报',
    ]);
    expect(await hint.count()).toBe(0);
    await choice.selectOption({ index: 1 });
    await close.getByLabel('核查意见').fill('复查核实已补报');
    await close.getByRole('button', { name: '确认核查销号' }).click();
    await poll(() => drawer.locator('[data-drawer-status]').innerText()).toBe('已销号');
    const linked = drawer.locator('[data-fact="closing-visit"]');
    await poll(() => linked.innerText()).toContain('2025年12月23日 · 整改复查 · 督导科王老师');
    expect(await linked.innerText()).toContain('复查：已补报10月月报');
    expect(await drawer.innerText()).not.toMatch(/FOLLOW_UP|访视/);
    await screenshot(page, 'flags-closed-with-visit');
    await page.context().close();
  });
});
