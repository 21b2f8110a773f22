/**
 * 优先群体 in the browser against the fixture district (test/fixtures/api), newest month
 * 2025-10. Group figures are summed by hand from 分年级参与情况.csv; gaps are group rate −
 * overall rate of the same scope; the policy is the default one (10 points, 20 students).
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chartsSettled,
  fitsWidth,
  launchBrowser,
  newPage,
  screenshot,
  signInAs,
} from '../../helpers/browser.ts';
import { openWebFixture, WEB_PASSWORD, type WebFixture } from '../../helpers/web-fixture.ts';

let fixture: WebFixture;
let browser: Browser;
/** One signed-in page per user, reused by the tests (signing in hashes a password). */
const pages = new Map<string, Page>();

beforeAll(async () => {
  fixture = await openWebFixture();
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  for (const page of pages.values()) await page.context().close();
  await browser?.close();
  await fixture?.close();
});

async function open(user: string, path = '/priority'): Promise<Page> {
  let page = pages.get(user);
  if (page) await page.goto(`${fixture.url}${path}`);
  else {
    page = await newPage(browser);
    await signInAs(page, fixture.url, user, WEB_PASSWORD, path);
    pages.set(user, page);
  }
  await page.locator('[data-priority-card]').first().waitFor();
  await chartsSettled(page);
  return page;
}

const squash = (text: string) => text.replace(/\s+/g, '');

async function card(page: Page, label: string): Promise<string[]> {
  const c = page.locator(`[data-priority-card="${label}"]`);
  const gap = c.locator('[data-gap]');
  const tone = c.locator('[data-tone]');
  return [
    await c.locator('.kpi-value').innerText(),
    (await gap.count()) > 0 ? squash(await gap.innerText()) : '',
    (await tone.count()) > 0 ? await tone.innerText() : '',
    squash((await c.locator('.kpi-hint').allInnerTexts()).join('|')),
  ];
}

async function chartRows(page: Page, title: string): Promise<string[][]> {
  return page
    .locator(`[data-chart="${title}"] [data-chart-table] tr`)
    .evaluateAll((rows) =>
      rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent?.trim() ?? '')),
    );
}

async function tableRows(page: Page, selector: string): Promise<string[][]> {
  const rows = await page
    .locator(`${selector} tbody tr`)
    .evaluateAll((trs) =>
      trs.map((r) => [...r.querySelectorAll('td')].map((c) => c.textContent ?? '')),
    );
  return rows.map((r) => r.map(squash));
}

const HEAT = '[data-table="各乡镇（街道）优先群体参与率差距"]';
const SCHOOLS = '[data-table^="优先群体差距最大的学校"]';

describe('priority view', { timeout: 60_000 }, () => {
  it('states the gap definition and the policy threshold, and shows each group’s rate and gap', async () => {
    const page = await open('bureau');
    expect(await page.locator('[data-gap-definition]').innerText()).toContain(
      '差距 = 该群体参与率 − 全体学生参与率',
    );
    expect(await page.locator('[data-gap-policy]').innerText()).toBe(
      '本区政策（2021.1版）：学校某优先群体参与率低于全校参与率超过 10 个百分点、且该群体学生不少于 20 人时，产生“优先群体保障不足”违规预警。',
    );
    expect(await page.locator('[data-priority-sub]').innerText()).toContain(
      '月份：2025年10月；乡镇（街道）：全部',
    );
    // Overall 208 / 450 = 46.2%; groups (001 grades 1-2 + 002; 003 reported no one):
    // 留守 24/40, 随迁 15/20, 残疾 1/3, 困难 12/20.
    expect(await card(page, '全体学生')).toEqual([
      '46.2%',
      '',
      '',
      '参与208/在校450人|各群体差距以此为基准',
    ]);
    expect(await card(page, '留守儿童')).toEqual([
      '60.0%',
      '差距+13.8个百分点',
      '不低于全体',
      '参与24/在校40人',
    ]);
    expect(await card(page, '随迁子女')).toEqual([
      '75.0%',
      '差距+28.8个百分点',
      '不低于全体',
      '参与15/在校20人',
    ]);
    expect(await card(page, '残疾儿童')).toEqual([
      '33.3%',
      '差距−12.9个百分点',
      '低于全体',
      '参与1/在校3人',
    ]);
    expect(await card(page, '困难家庭学生')).toEqual([
      '60.0%',
      '差距+13.8个百分点',
      '不低于全体',
      '参与12/在校20人',
    ]);
    expect(await chartRows(page, '各优先群体参与率（与全体学生比较）')).toEqual([
      ['', '群体参与率'],
      ['留守儿童', '60.0%'],
      ['随迁子女', '75.0%'],
      ['残疾儿童', '33.3%'],
      ['困难家庭学生', '60.0%'],
    ]);
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, 'priority-bureau-1366');
  });

  it('draws each group’s monthly rate next to all students', async () => {
    const page = await open('bureau');
    const rows = await chartRows(page, '优先群体参与率月度趋势');
    expect(rows[0]).toEqual(['', '全体学生', '留守儿童', '随迁子女', '残疾儿童', '困难家庭学生']);
    expect(rows).toHaveLength(13);
    // 2025-09: 235/380; 留守 35/65, 随迁 15/30, 残疾 2/3, 困难 26/38.
    expect(rows.slice(-2)).toEqual([
      ['9月', '61.8%', '53.8%', '50.0%', '66.7%', '68.4%'],
      ['10月', '46.2%', '60.0%', '75.0%', '33.3%', '60.0%'],
    ]);
  });

  it('compares the townships, shading gaps beyond the policy threshold', async () => {
    const page = await open('bureau');
    expect(await chartRows(page, '各乡镇（街道）优先群体参与率')).toEqual([
      ['', '全体学生', '留守儿童', '随迁子女', '残疾儿童', '困难家庭学生'],
      ['东城镇', '83.2%', '60.0%', '75.0%', '33.3%', '60.0%'],
      ['西山乡', '0.0%', '—', '—', '—', '—'],
    ]);
    // 东城镇 208/250 = 83.2%: 留守 −23.2 (40 pupils) and 困难 −23.2 (20) are beyond 10
    // points; 残疾 −49.9 has 3 pupils, too few to be judged.
    expect(await tableRows(page, HEAT)).toEqual([
      [
        '东城镇',
        '2',
        '83.2%',
        '!−23.2（60.0%）',
        '−8.2（75.0%）',
        '−49.9（33.3%）',
        '!−23.2（60.0%）',
      ],
      ['西山乡', '2', '0.0%', '—', '—', '—', '—'],
    ]);
    const tone = (key: string) => page.locator(`[data-gap-cell="${key}"]`).getAttribute('class');
    expect(await tone('东城镇|LEFT_BEHIND')).toContain('heat-alert');
    expect(await tone('东城镇|MIGRANT')).toContain('heat-warning');
    expect(await tone('东城镇|DISABLED')).toContain('heat-warning');
  });

  it('lists the schools with the largest gaps, for all groups or one, linked to their pages', async () => {
    const page = await open('bureau');
    // Worst groups: 002 残疾 0/1 against 40/50; 001 残疾 1/2 against 168/200.
    expect(await tableRows(page, SCHOOLS)).toEqual([
      ['东城村小', '东城镇', '残疾儿童', '1', '0', '0.0%', '−80.0个百分点', '80.0%'],
      ['东城第一小学', '东城镇', '残疾儿童', '2', '1', '50.0%', '−34.0个百分点', '84.0%'],
    ]);
    expect(
      await page.locator(SCHOOLS).getByRole('link', { name: '东城村小' }).getAttribute('href'),
    ).toMatch(/^\/schools\/1000000002(\?|$)/);
    const select = page.getByLabel('群体', { exact: true });
    await select.focus();
    await select.selectOption('LEFT_BEHIND');
    await expect
      .poll(() => page.locator(SCHOOLS).getAttribute('data-table'))
      .toBe('优先群体差距最大的学校（留守儿童）');
    // 留守: 002 10/20 against 80%, 001 14/20 against 84%; 003 and 004 have none.
    await expect
      .poll(() => tableRows(page, SCHOOLS))
      .toEqual([
        ['东城村小', '东城镇', '留守儿童', '20', '10', '50.0%', '−30.0个百分点超出预警线', '80.0%'],
        [
          '东城第一小学',
          '东城镇',
          '留守儿童',
          '20',
          '14',
          '70.0%',
          '−14.0个百分点超出预警线',
          '84.0%',
        ],
      ]);
  });

  it('shows a supervising inspector only their schools and townships, as the API does', async () => {
    const page = await open('dx01', '/priority?month=2025-09');
    // DX01 in 2025-09: 001 (东城镇) and 003 (西山乡): 160 / 300.
    expect((await card(page, '全体学生'))[0]).toBe('53.3%');
    expect((await tableRows(page, HEAT)).map((r) => r[0])).toEqual(['东城镇', '西山乡']);
    const names = (await tableRows(page, SCHOOLS)).map((r) => r[0]);
    expect(names).toEqual(['东城第一小学', '西山中学']);
    const response = await page.request.post(`${fixture.url}/graphql`, {
      data: {
        query: `{ schools(month: "2025-09", sort: PRIORITY_GAP) { items { school { name } priorityGap } } }`,
      },
    });
    const { data } = (await response.json()) as {
      data: { schools: { items: { school: { name: string }; priorityGap: number | null }[] } };
    };
    expect(
      data.schools.items.filter((i) => i.priorityGap !== null).map((i) => i.school.name),
    ).toEqual(names);
    // 003: 留守 10/30 against 90/200 is 11.7 points below with 30 pupils: beyond the line.
    expect((await tableRows(page, SCHOOLS))[1]).toEqual([
      '西山中学',
      '西山乡',
      '留守儿童',
      '30',
      '10',
      '33.3%',
      '−11.7个百分点超出预警线',
      '45.0%',
    ]);
  });

  it('passes axe-core’s WCAG 2.1 AA rules, color-contrast among them', async () => {
    const axe = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    const contrast = async (page: Page) => {
      // Evaluated over the DevTools protocol: the app's CSP forbids inline scripts.
      await page.evaluate(axe);
      return page.evaluate(async () => {
        const g = globalThis as unknown as {
          axe: { run: (context: unknown, options: unknown) => Promise<unknown> };
          document: unknown;
        };
        const result = (await g.axe.run(g.document, {
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
        })) as { violations: { id: string; nodes: { target: string[] }[] }[] };
        return result.violations.map(
          (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
        );
      });
    };
    // The district (every tone shows) and DX01 (a group beyond the policy's line).
    expect(await contrast(await open('bureau'))).toEqual([]);
    expect(await contrast(await open('dx01', '/priority?month=2025-10'))).toEqual([]);
  });
});
