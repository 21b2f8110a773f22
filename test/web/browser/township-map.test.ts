/**
 * The township choropleth in the browser against the fixture district (test/fixtures/api,
 * townships 东城镇 and 西山乡, month 2025-10) and a map made by the demo's own generator for
 * those two townships, loaded through `etl map`'s loader. The figures are the overview's
 * and the priority view's hand-computed ones (overview.test.ts, priority.test.ts), and the
 * test checks them against the API's answer too. The chart's data table is built from the
 * chart's option (chart-table.ts), so it is what the map draws.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTownshipMap, renderTownshipMap } from '../../../etl/demo/township-map.ts';
import { loadTownshipMap } from '../../../etl/map/load-township-map.ts';
import { percent, points } from '../../../web/src/format/format.ts';
import {
  chartRows,
  chartsSettled,
  launchBrowser,
  newPage,
  RESULTS_DIR,
  screenshot,
  signInAs,
} from '../../helpers/browser.ts';
import { installAxe, seriousViolations } from '../../helpers/axe.ts';
import { openWebFixture, WEB_PASSWORD, type WebFixture } from '../../helpers/web-fixture.ts';

let fixture: WebFixture;
let browser: Browser;
let page: Page;
let dir: string;

const OVERVIEW_MAP = '各乡镇（街道）指标地图';
const PRIORITY_MAP = '各乡镇（街道）优先群体地图';

beforeAll(async () => {
  fixture = await openWebFixture();
  browser = await launchBrowser();
  dir = await mkdtemp(join(tmpdir(), 'kehou-map-'));
  page = await newPage(browser);
  await installAxe(page.context());
  await signInAs(page, fixture.url, 'bureau', WEB_PASSWORD, '/overview');
}, 60_000);

afterAll(async () => {
  await page?.context().close();
  await browser?.close();
  await fixture?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function mapRows(title: string): Promise<string[][]> {
  return page
    .locator(`[data-chart="${title}"] [data-map-table] tbody tr`)
    .evaluateAll((rows) =>
      rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent?.trim() ?? '')),
    );
}

async function choose(title: string, label: string): Promise<void> {
  await page.locator(`[data-chart="${title}"] select[data-map-metric]`).selectOption({ label });
  await chartsSettled(page);
}

interface TownshipFigures {
  township: string;
  overview: {
    participationRate: number | null;
    demandMetRate: number | null;
    priorityGroups: { group: string; gap: number | null }[];
  };
}

async function apiTownships(): Promise<TownshipFigures[]> {
  const response = await page.request.post(`${fixture.url}/graphql`, {
    data: {
      query: `{ overviewByTownship(month: "2025-10") { township overview {
        participationRate demandMetRate priorityGroups { group gap } } } }`,
    },
  });
  const body = (await response.json()) as { data: { overviewByTownship: TownshipFigures[] } };
  return body.data.overviewByTownship;
}

describe('township map', { timeout: 90_000 }, () => {
  it('explains how to load a map while the warehouse has none', async () => {
    await page.goto(`${fixture.url}/overview?month=2025-10`);
    const none = page.locator('[data-township-map="none"]');
    await none.waitFor();
    expect(await none.innerText()).toContain('npm run -s etl -- map <乡镇边界.geojson>');
  });

  it('draws the overview’s township figures on the demo-style map, with the same table', async () => {
    const file = join(dir, '测试区乡镇边界.geojson');
    await writeFile(file, renderTownshipMap(generateTownshipMap(['东城镇', '西山乡'], 20240901)));
    const loaded = await loadTownshipMap(fixture.warehouse, file, { loadedBy: 'test' });
    expect(loaded.ok && loaded.townships).toEqual(['东城镇', '西山乡']);

    await page.goto(`${fixture.url}/overview?month=2025-10`);
    await page.locator(`[data-chart="${OVERVIEW_MAP}"][data-chart-state="drawn"]`).waitFor();
    await chartsSettled(page);
    // 东城镇 208 / 250 = 83.2 %, 西山乡 0 / 200: two figures, two classes of 41.6 points.
    expect(await chartRows(page, OVERVIEW_MAP)).toEqual([
      ['东城镇', '83.2%'],
      ['西山乡', '0.0%'],
    ]);
    expect(await mapRows(OVERVIEW_MAP)).toEqual([
      ['东城镇', '83.2%', '41.6% – 83.2%'],
      ['西山乡', '0.0%', '0.0% – 41.6%'],
    ]);
    const api = await apiTownships();
    expect(api.map((t) => [t.township, percent(t.overview.participationRate)])).toEqual(
      (await chartRows(page, OVERVIEW_MAP)).map((r) => r.slice(0, 2)),
    );
    await screenshot(page, 'township-map-overview');

    // 需求满足率: 208 / 210 = 99.0 %; 西山乡 had no applicants — 无数据, hatched.
    await choose(OVERVIEW_MAP, '需求满足率');
    expect(await chartRows(page, OVERVIEW_MAP)).toEqual([
      ['东城镇', '99.0%'],
      ['西山乡', '无数据'],
    ]);
    expect(await mapRows(OVERVIEW_MAP)).toEqual([
      ['东城镇', '99.0%', '99.0%'],
      ['西山乡', '无数据', '无数据'],
    ]);
    expect(api.map((t) => percent(t.overview.demandMetRate))).toEqual(['99.0%', '—']);
    // With the map's menu, notes and table the page still has no serious WCAG 2.1 AA
    // violation (accessibility.test.ts checks the page without a map).
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('draws a priority group’s gap by township on the priority view', async () => {
    // Within the app (no reload) the map's shapes, registered by 总览, are not asked again.
    const shapeRequests: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/graphql') && (r.postData() ?? '').includes('TownshipMapShapes'))
        shapeRequests.push(r.url());
    });
    await page.getByRole('link', { name: '优先群体', exact: true }).first().click();
    await page.locator(`[data-chart="${PRIORITY_MAP}"][data-chart-state="drawn"]`).waitFor();
    expect(
      new URL(page.url()).searchParams.get('period') ??
        new URL(page.url()).searchParams.get('month'),
    ).toBe('2025-10');
    expect(shapeRequests).toEqual([]);
    await chartsSettled(page);
    expect(await chartRows(page, PRIORITY_MAP)).toEqual([
      ['东城镇', '83.2%'],
      ['西山乡', '0.0%'],
    ]);
    // 留守儿童 of 东城镇: 60.0 % − 83.2 % = −23.2 points; 西山乡 has none.
    await choose(PRIORITY_MAP, '留守儿童差距');
    expect(await mapRows(PRIORITY_MAP)).toEqual([
      ['东城镇', '−23.2个百分点', '−23.2个百分点'],
      ['西山乡', '无数据', '无数据'],
    ]);
    const api = await apiTownships();
    const gap = (t: TownshipFigures) =>
      t.overview.priorityGroups.find((g) => g.group === 'LEFT_BEHIND')?.gap ?? null;
    expect(points(gap(api[0]!))).toBe('−23.2个百分点');
    expect(gap(api[1]!)).toBeNull();
    await screenshot(page, 'township-map-priority');
    // The panel alone, to look at the classes, patterns and 无数据 hatching.
    await page
      .locator(`[data-chart="${PRIORITY_MAP}"]`)
      .screenshot({ path: `${RESULTS_DIR}township-map-priority-panel.png` });
  });
});
