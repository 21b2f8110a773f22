/**
 * Every view, for every role that may open it, passes axe-core's WCAG 2.1 AA rules with no
 * serious or critical violation, and logs nothing a person would find in the console: no
 * error, no exception, no failed or 4xx/5xx request (the signed-out session probe included).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations, installAxe, type AxeViolation } from '../../helpers/axe.ts';
import { launchBrowser, signInAs } from '../../helpers/browser.ts';
import { watchProblems, type PageProblems } from '../../helpers/page-problems.ts';
import {
  openWebFixture,
  WEB_PASSWORD,
  WEB_USERS,
  type WebFixture,
} from '../../helpers/web-fixture.ts';

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

type UserKey = keyof typeof WEB_USERS;

interface View {
  name: string;
  path: string;
  /** Who may open it (everyone when absent). */
  only?: UserKey;
  /** Who may not open it. */
  not?: UserKey;
}

/** 东城镇's first school: in DX01's remit, so every role may open it. */
const SCHOOL = '1000000001';

const VIEWS: readonly View[] = [
  { name: '总览', path: '/overview' },
  { name: '学校列表', path: '/schools' },
  { name: '学校页', path: `/schools/${SCHOOL}` },
  { name: '优先群体', path: '/priority' },
  { name: '满意度', path: '/satisfaction' },
  { name: '违规预警', path: '/flags' },
  { name: '数据疑点', path: '/doubts', not: 'leader' },
  { name: '月度报告', path: '/report' },
  { name: '年度考核', path: '/evaluation' },
  { name: '学校考核结果', path: `/evaluation/${SCHOOL}` },
  { name: '数据上传与导入记录', path: '/upload', only: 'bureau' },
  { name: '四不两直', path: '/draws', only: 'bureau' },
  { name: '学期备案', path: '/filings', not: 'leader' },
];

async function openPage(): Promise<{ page: Page; problems: PageProblems }> {
  const context = await browser.newContext({
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  await installAxe(context);
  const page = await context.newPage();
  return { page, problems: watchProblems(page) };
}

/** Waits until the view has asked for its data and drawn it (no panel still busy). */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page
    .waitForFunction(
      () =>
        (
          globalThis as unknown as { document: { querySelector(s: string): unknown } }
        ).document.querySelector('[aria-busy="true"]') === null,
      undefined,
      { timeout: 10_000 },
    )
    .catch(() => {});
}

/** One line per violation, so a failure names the rule, the elements and why. */
function describeViolations(violations: readonly AxeViolation[]): string[] {
  return violations.map(
    (v) =>
      `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => `${n.target} (${n.summary})`).join('; ')}`,
  );
}

describe('accessibility and a clean console (WCAG 2.1 AA, axe-core)', () => {
  it('the sign-in page, signed out: no violation, the session probe answers 200, no console error', async () => {
    const { page, problems } = await openPage();
    const probe = page.waitForResponse((r) => new URL(r.url()).pathname === '/auth/session');
    await page.goto(`${fixture.url}/overview`);
    expect((await probe).status()).toBe(200);
    await page.getByLabel('用户名').waitFor();
    await settle(page);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(describeViolations(await seriousViolations(page))).toEqual([]);
    expect(problems.take()).toEqual([]);
    await page.context().close();
  });

  // The school side's users (issue 17) open only their own views: see their own walk.
  for (const user of ['bureau', 'leader', 'dx01'] as const satisfies readonly UserKey[]) {
    it(`every view of ${user}: no serious violation, no console error or failed request`, async () => {
      const { page, problems } = await openPage();
      await signInAs(page, fixture.url, WEB_USERS[user].username, WEB_PASSWORD);
      await settle(page);
      problems.take();
      const found: Record<string, string[]> = {};
      for (const view of VIEWS.filter((v) => (!v.only || v.only === user) && v.not !== user)) {
        await page.goto(`${fixture.url}${view.path}`);
        await page.locator('[data-user-name]').waitFor();
        await settle(page);
        expect(new URL(page.url()).pathname, view.name).toBe(view.path);
        const issues = [...describeViolations(await seriousViolations(page)), ...problems.take()];
        if (issues.length > 0) found[view.name] = issues;
      }
      // A flag's detail drawer (the 整改 loop's screen), on a flag this user may see.
      const answer = await page.request.post(`${fixture.url}/graphql`, {
        data: { query: '{ flags(first: 1) { items { id } } }' },
      });
      const { data } = (await answer.json()) as { data: { flags: { items: { id: string }[] } } };
      const id = data.flags.items[0]?.id;
      expect(id, 'a flag this user may see').toBeDefined();
      await page.goto(`${fixture.url}/flags?flag=${id}`);
      await page.locator('[data-flag-drawer] [data-history-row]').first().waitFor();
      await settle(page);
      const drawer = [...describeViolations(await seriousViolations(page)), ...problems.take()];
      if (drawer.length > 0) found['违规预警详情'] = drawer;
      expect(found).toEqual({});
      await page.context().close();
    }, 120_000);
  }
});
