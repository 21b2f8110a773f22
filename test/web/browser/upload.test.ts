/**
 * The upload view on its own fixture server (uploads change the warehouse): a bureau
 * inspector uploads a monthly report with one bad cell and a file of unknown kind, sees
 * each file's result, the reject with its Excel position, and the batch in the history.
 * Other roles never reach the view, and the server refuses their uploads.
 */
import { readFile } from 'node:fs/promises';
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

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../../fixtures/web/${name}`, import.meta.url));
/** Rows 2–4 are good; row 5 (1000000004) has 参与教师数 = -3. */
const MONTHLY = fixture('月报-2025-11.csv');
/** A contact list: no report kind's headers. */
const UNKNOWN = fixture('联系人名单.csv');

let server: WebFixture;
let browser: Browser;
let bureau: Page;

beforeAll(async () => {
  server = await openWebFixture();
  browser = await launchBrowser();
  bureau = await newPage(browser);
  await signInAs(bureau, server.url, WEB_USERS.bureau.username, WEB_PASSWORD, '/upload');
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** GraphQL as the page's signed-in user. */
async function graphql<T>(page: Page, query: string): Promise<T> {
  const response = await page.request.post(`${server.url}/graphql`, {
    data: { query },
    headers: { 'content-type': 'application/json' },
  });
  const body = (await response.json()) as { data: T; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data;
}

async function tableRows(page: Page, title: string): Promise<string[][]> {
  return page
    .locator(`[data-table="${title}"] tbody tr`)
    .evaluateAll((rows) =>
      rows.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim())),
    );
}

async function tableHeaders(page: Page, title: string): Promise<string[]> {
  return page
    .locator(`[data-table="${title}"] thead th`)
    .evaluateAll((ths) => ths.map((th) => th.innerText.replace(/[↕↑↓]/g, '').trim()));
}

const shanghai = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

interface Batch {
  id: string;
  fileName: string;
  kind: string;
  status: string;
  loadedBy: string;
  loadedAt: string;
  rowsLoaded: number;
  rowsRejected: number;
}
const BATCHES = `{ loadBatches(first: 50) { total items { id fileName kind status loadedBy loadedAt rowsLoaded rowsRejected } } }`;

describe('upload view (bureau inspector)', () => {
  it('shows the load history of the fixture, newest first, as the API gives it', async () => {
    const { loadBatches } = await graphql<{ loadBatches: { total: number; items: Batch[] } }>(
      bureau,
      BATCHES,
    );
    expect(loadBatches.total).toBe(5);
    await bureau.locator('[data-table="导入记录"] tbody tr').first().waitFor();
    const rows = await tableRows(bureau, '导入记录');
    expect(rows.map((r) => [r[1], r[2], r[6]])).toEqual(
      loadBatches.items.map((b) => [
        b.fileName,
        {
          registry: '学校名录',
          assignments: '督学挂牌',
          monthly: '月报',
          participation: '分年级参与情况',
          survey: '满意度问卷',
        }[b.kind],
        'test',
      ]),
    );
    expect(rows[0]![0]).toBe(shanghai.format(new Date(loadBatches.items[0]!.loadedAt)));
    expect(new Set(rows.map((r) => r[3]))).toEqual(new Set(['已导入']));
    expect(await bureau.locator('[data-table="导入记录"] .panel-caption').innerText()).toContain(
      '共 5 个导入批次',
    );
  });

  it('opens the file picker from the drop zone with the keyboard and ignores other file types dropped on it', async () => {
    // The native chooser's 'filechooser' event went missing once on a loaded CI machine, so
    // the test catches the click Enter sends to the file input and stops the dialog itself.
    await bureau.evaluate(`(() => {
      const input = document.getElementById('upload-input');
      window.__picker = null;
      input.addEventListener('click', (event) => {
        event.preventDefault();
        window.__picker = { multiple: input.multiple };
      }, { once: true });
    })()`);
    await bureau.locator('[data-drop-zone]').focus();
    await bureau.keyboard.press('Enter');
    await expect.poll(() => bureau.evaluate('window.__picker')).toEqual({ multiple: true });
    // A drag-and-drop of a Word file: refused in the browser with a Chinese message.
    const dataTransfer = await bureau.evaluateHandle(
      `(() => { const d = new DataTransfer(); d.items.add(new File(['x'], '说明.docx')); return d; })()`,
    );
    await bureau.locator('[data-drop-zone]').dispatchEvent('drop', { dataTransfer });
    await expect
      .poll(() => bureau.getByRole('alert').first().innerText())
      .toBe('已忽略不支持的文件：说明.docx（仅限 .xlsx、.xls、.et、.ods、.csv、.txt）');
    expect(await bureau.getByRole('button', { name: '开始导入' }).isDisabled()).toBe(true);
  });

  it('uploads a monthly report with one bad cell and a file of unknown kind and shows each result', async () => {
    await bureau.getByLabel('选择报表文件').setInputFiles([MONTHLY, UNKNOWN]);
    const chosen = bureau.getByRole('list', { name: '已选择的文件' }).locator('li');
    expect(
      await chosen.evaluateAll((items) =>
        items.map((li) => [...li.querySelectorAll('span')].map((s) => s.textContent?.trim())),
      ),
    ).toEqual([
      ['月报-2025-11.csv', '769 B'],
      ['联系人名单.csv', '91 B'],
    ]);

    await bureau.getByRole('button', { name: '开始导入' }).click();
    await bureau.locator('[data-upload-results]').waitFor({ timeout: 20_000 });

    const card = (name: string, field: string) =>
      bureau.locator(`[data-upload-file="${name}"] [data-field="${field}"]`).innerText();
    expect(await card('月报-2025-11.csv', 'kind')).toBe('月报');
    expect(await card('月报-2025-11.csv', 'status')).toBe('部分拒绝');
    expect(await card('月报-2025-11.csv', 'rowsRead')).toBe('4');
    expect(await card('月报-2025-11.csv', 'rowsLoaded')).toBe('3');
    expect(await card('月报-2025-11.csv', 'rowsRejected')).toBe('1');
    expect(await card('月报-2025-11.csv', 'unitsLoaded')).toBe('3 个校·月');
    expect(await card('月报-2025-11.csv', 'unitsRejected')).toBe('1 个校·月');
    expect(await card('月报-2025-11.csv', 'flags')).toMatch(
      /^违规预警变化\s*新增 \d+ · 更新 \d+ · 自动解除 \d+ · 重新打开 \d+$/,
    );
    expect(await card('联系人名单.csv', 'kind')).toBe('未识别');
    expect(await card('联系人名单.csv', 'status')).toBe('失败');
    expect(await card('联系人名单.csv', 'error')).toMatch(/^无法识别报表类型：/);

    expect(await bureau.locator('[data-upload-headline]').innerText()).toContain(
      '部分数据未通过校验',
    );
    const kpi = (label: string) => bureau.locator(`[data-kpi="${label}"] .kpi-value`).innerText();
    expect(await kpi('文件')).toBe('2 个');
    expect(await kpiHint(bureau, '文件')).toBe('部分拒绝 1 · 失败 1');
    expect(await kpi('导入行数')).toBe('3');
    expect(await kpi('拒绝行数')).toBe('1');
    expect(await kpi('未按期报送')).toMatch(/^\d+ 条新违规预警$/);

    // The good rows are in the warehouse: November is now a report month.
    const { reportMonths } = await graphql<{ reportMonths: string[] }>(bureau, '{ reportMonths }');
    expect(reportMonths).toContain('2025-11');
  });

  it('lists the reject with its Excel row, column, value and Chinese reason (English on hover and by toggle)', async () => {
    expect(await tableHeaders(bureau, '拒绝明细')).toEqual([
      '文件',
      '工作表',
      '行',
      '学校',
      '列',
      '值',
      '原因',
    ]);
    // The school's name comes from the registry.
    expect(await tableRows(bureau, '拒绝明细')).toEqual([
      [
        '月报-2025-11.csv',
        '月报-2025-11',
        '5',
        '1000000004 西山九年一贯制学校',
        '参与教师数',
        '-3',
        '不能小于0',
      ],
    ]);
    const reason = bureau.locator('[data-table="拒绝明细"] tbody td .reason');
    expect(await reason.getAttribute('title')).toBe('must be at least 0');

    const download = bureau.waitForEvent('download');
    await bureau
      .locator('[data-table="拒绝明细"]')
      .getByRole('button', { name: '导出 CSV' })
      .click();
    const csv = await readFile((await (await download).path())!, 'utf8');
    expect(csv).toContain(
      '月报-2025-11.csv,月报-2025-11,5,1000000004 西山九年一贯制学校,参与教师数,-3,不能小于0',
    );

    await bureau.getByRole('button', { name: '显示英文原因' }).click();
    expect(await tableHeaders(bureau, '拒绝明细')).toContain('原因（英文）');
    expect((await tableRows(bureau, '拒绝明细'))[0]).toContain('must be at least 0');
    await bureau.getByRole('button', { name: '隐藏英文原因' }).click();
  });

  it('adds the batch at the top of the load history and opens its rejects', async () => {
    await expect
      .poll(async () => (await tableRows(bureau, '导入记录'))[0]?.slice(1))
      .toEqual(['月报-2025-11.csv', '月报', '部分拒绝', '3', '1', 'bureau']);
    const { loadBatches } = await graphql<{ loadBatches: { total: number; items: Batch[] } }>(
      bureau,
      BATCHES,
    );
    // The unknown file made no batch.
    expect(loadBatches.total).toBe(6);
    expect(loadBatches.items[0]).toMatchObject({
      fileName: '月报-2025-11.csv',
      loadedBy: 'bureau',
    });

    await bureau
      .locator('[data-table="导入记录"]')
      .getByRole('button', { name: '月报-2025-11.csv' })
      .click();
    const title = '拒绝明细：月报-2025-11.csv';
    await bureau.locator(`[data-table="${title}"] tbody tr`).first().waitFor();
    expect(await tableHeaders(bureau, title)).toEqual(['工作表', '行', '列', '值', '原因']);
    expect(await tableRows(bureau, title)).toEqual([
      ['月报-2025-11', '5', '参与教师数', '-3', '不能小于0'],
    ]);
    // No horizontal page scroll at 1366 wide (tables scroll inside their panels).
    expect(
      await bureau.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth'),
    ).toBe(true);
    await screenshot(bureau, 'upload-bureau-results');
  });

  it('counts a re-upload of the same file with a bad one as 2 files, 未变化 1 · 失败 1, nothing imported', async () => {
    await bureau.reload();
    await bureau.getByLabel('选择报表文件').setInputFiles([MONTHLY, UNKNOWN]);
    await bureau.getByRole('button', { name: '开始导入' }).click();
    await bureau.locator('[data-upload-results]').waitFor({ timeout: 20_000 });
    const status = (name: string) =>
      bureau.locator(`[data-upload-file="${name}"] [data-field="status"]`).innerText();
    expect([await status('月报-2025-11.csv'), await status('联系人名单.csv')]).toEqual([
      '未变化',
      '失败',
    ]);
    const kpi = (label: string) => bureau.locator(`[data-kpi="${label}"] .kpi-value`).innerText();
    expect(await kpi('文件')).toBe('2 个');
    expect(await kpiHint(bureau, '文件')).toBe('未变化 1 · 失败 1');
    expect(await kpi('导入行数')).toBe('0');
    expect(await bureau.locator('[data-upload-headline]').innerText()).toBe(
      '没有数据被导入，请查看各文件的失败原因',
    );
    await bureau.reload();
  });
});

function kpiHint(page: Page, label: string): Promise<string> {
  return page.locator(`[data-kpi="${label}"] .kpi-hint`).innerText();
}

describe('upload view (other roles)', () => {
  it('shows a file of 1,500 bad rows as a bounded list with the count of every kind of error', async () => {
    // Schools the registry does not know: every row is rejected for its school code.
    const header = (await readFile(MONTHLY, 'utf8')).split('\n')[0]!;
    const rows = Array.from(
      { length: 1500 },
      (_, i) => `${2000000000 + i},某校,2025-11,20,20,120,17:50,1,否,0,0,0,是,10,60,0,0,0,30,0,0`,
    );
    await bureau.reload();
    await bureau.getByLabel('选择报表文件').setInputFiles([
      {
        name: '大量错误.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from([header, ...rows].join('\n') + '\n'),
      },
    ]);
    await bureau.getByRole('button', { name: '开始导入' }).click();
    await bureau.locator('[data-upload-results]').waitFor({ timeout: 20_000 });

    const file = bureau.locator('[data-upload-file="大量错误.csv"]');
    expect(await file.locator('[data-field="rowsRejected"]').innerText()).toBe('1,500');
    expect(await file.locator('[data-field="rejectCount"]').allInnerTexts()).toEqual([
      '学校标识码：学校标识码不在学校名录中（请先导入学校名录或核对标识码） × 1,500',
    ]);
    expect(await bureau.locator('[data-upload-results]').innerText()).toContain(
      '共 1,500 处错误，此处列出 1,000 处，其余 500 处见导入记录',
    );
    // The whole list downloads as CSV from the card.
    const href = await file.locator('[data-download-all]').getAttribute('href');
    const csv = await bureau.request.get(`${server.url}${href}`);
    expect(csv.status()).toBe(200);
    const lines = (await csv.text()).trimEnd().split(/\r?\n/u);
    expect(lines).toHaveLength(1 + 1500);
    expect(lines[1500]).toMatch(/^大量错误\.csv,大量错误,1501,学校标识码,2000001499,/u);
    await screenshot(bureau, 'upload-many-rejects');
  });

  it('asks before an older file undoes a correction, and 仍然导入 loads it and lists what changed', async () => {
    const header = (await readFile(MONTHLY, 'utf8')).split('\n')[0]!;
    // 东城村小 (primary, cap 18:00): the original ends at 18:30, the correction at 17:40.
    const monthly = (name: string, end: string) => ({
      name,
      mimeType: 'text/csv',
      buffer: Buffer.from(
        `${header}\n1000000002,东城村小,2025-11,20,20,120,${end},1,否,0,0,0,是,11,60,0,0,0,30,0,0\n`,
      ),
    });
    const send = async (file: ReturnType<typeof monthly>) => {
      await bureau.reload();
      await bureau.getByLabel('选择报表文件').setInputFiles([file]);
      await bureau.getByRole('button', { name: '开始导入' }).click();
      await bureau.locator(`[data-upload-file="${file.name}"]`).waitFor({ timeout: 20_000 });
    };
    await send(monthly('东城村小-原始.csv', '18:30'));
    await send(monthly('东城村小-更正.csv', '17:40'));
    const fixCard = bureau.locator('[data-upload-file="东城村小-更正.csv"]');
    expect(await fixCard.locator('[data-field="changes"] p').innerText()).toMatch(
      /^本次变化\s*新增 0 个校·月 · 替换 1 个校·月 · 违规预警打开 0 条、关闭 1 条$/u,
    );
    expect(await fixCard.locator('[data-field="changedFlag"]').allInnerTexts()).toEqual([
      '关闭违规预警：1000000002 2025-11 结束时间过晚',
    ]);

    await send(monthly('东城村小-原始.csv', '18:30'));
    const dialog = bureau.getByRole('alertdialog');
    expect(await dialog.locator('li').allInnerTexts()).toEqual([
      expect.stringMatching(
        /^“东城村小-原始\.csv”中的 1 个单元已被较新的文件“东城村小-更正\.csv”（\d{4}-\d\d-\d\d \d\d:\d\d 导入）替换，再次导入将撤销其中的更正。$/u,
      ),
    ]);
    expect(
      await bureau
        .locator('[data-upload-file="东城村小-原始.csv"] [data-field="status"]')
        .innerText(),
    ).toBe('失败');
    await screenshot(bureau, 'upload-conflict');

    await dialog.getByRole('button', { name: '仍然导入' }).click();
    await dialog.waitFor({ state: 'detached', timeout: 20_000 });
    const card = bureau.locator('[data-upload-file="东城村小-原始.csv"]');
    await card.locator('[data-field="changes"]').waitFor({ timeout: 20_000 });
    expect(await card.locator('[data-field="replacedUnit"]').allInnerTexts()).toEqual([
      expect.stringMatching(
        /^替换 1000000002 2025-11（原为 东城村小-更正\.csv，\d{4}-\d\d-\d\d \d\d:\d\d 导入）$/u,
      ),
    ]);
    expect(await card.locator('[data-field="changedFlag"]').allInnerTexts()).toEqual([
      '打开违规预警：1000000002 2025-11 结束时间过晚',
    ]);
  });

  it('sends a supervising inspector elsewhere, and the server refuses their upload with 403', async () => {
    const page = await newPage(browser);
    await signInAs(page, server.url, WEB_USERS.dx01.username, WEB_PASSWORD, '/upload');
    expect(new URL(page.url()).pathname).toBe('/overview');
    const response = await page.request.post(`${server.url}/api/uploads`, {
      multipart: {
        files: { name: '月报-2025-11.csv', mimeType: 'text/csv', buffer: await readFile(MONTHLY) },
      },
    });
    expect(response.status()).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
    // Nor may they read the load history.
    const history = await page.request.post(`${server.url}/graphql`, {
      data: { query: '{ loadBatches { total } }' },
    });
    const body = (await history.json()) as { errors?: { extensions?: { code?: string } }[] };
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await page.context().close();
  });
});
