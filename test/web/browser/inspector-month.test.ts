/**
 * A 责任督学's month, end to end on the fixture district, through the real server with its
 * reminders job running (judging after every write, pushing to a local 企业微信 robot):
 *
 * 1. 张督学 (dx01) opens the 走访计划: their schools ranked by risk, each with its reasons.
 * 2. 记录走访 on the top school opens the visit form on it; the visit is recorded with a
 *    photo carrying GPS EXIF. The plan then no longer counts the school as unvisited, and
 *    the stored photo has no EXIF.
 * 3. A parent's phone call becomes a complaint (督学电话, 违规收费), linked to the visit,
 *    and raises a flag.
 * 4. The bureau sends the flag for rectification due in two days: the job fires
 *    整改即将到期 to dx01 once, their bell counts it, the inbox leads to the flag, and the
 *    district's robot receives the one push.
 *
 * Both clocks stand at 2025-11-20 10:00 in Asia/Shanghai.
 */
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { pino } from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRemindersJob, type RemindersJob } from '../../../server/jobs/reminders.ts';
import { launchBrowser, screenshot } from '../../helpers/browser.ts';
import { openPageAs, openWebFixture, type WebFixture } from '../../helpers/web-fixture.ts';

const NOW = new Date('2025-11-20T10:00:00+08:00');
const PHOTO = fileURLToPath(new URL('../../fixtures/evidence/gps-photo.jpg', import.meta.url));
/** The EXIF APP1 marker and its "Exif\0\0" header: present in the fixture photo only. */
const EXIF_HEADER = Buffer.from([0xff, 0xe1]);

let fixture: WebFixture;
let browser: Browser;
let job: RemindersJob;
let robot: Server;
const pushes: { path: string; body: unknown }[] = [];

beforeAll(async () => {
  fixture = await openWebFixture({ now: NOW });
  robot = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    req.on('end', () => {
      pushes.push({ path: req.url ?? '', body: JSON.parse(text) as unknown });
      res.setHeader('content-type', 'application/json');
      res.end('{"errcode":0,"errmsg":"ok"}');
    });
  });
  robot.listen(0, '127.0.0.1');
  await once(robot, 'listening');
  const { port } = robot.address() as AddressInfo;
  await fixture.writer.write(async ({ db }) => {
    await db
      .insertInto('push_channels')
      .values({
        kind: 'WECOM',
        name: '督导工作群',
        target: `http://127.0.0.1:${port}/cgi-bin/webhook/send?key=fixture-key`,
        secret: null,
        kinds_json: JSON.stringify(['DEADLINE_SOON']),
      })
      .execute();
  });
  job = startRemindersJob({
    warehouse: fixture.warehouse,
    writer: fixture.writer,
    log: pino({ level: 'silent' }),
    now: () => NOW,
    afterWriteDelayMs: 200,
  });
  // The job's first run reminds of the fixture's open flags; the walk starts with them read.
  await job.runOnce();
  await fixture.writer.write(async ({ db }) => {
    await sql`UPDATE notifications SET read_at = current_timestamp`.execute(db);
  });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  job?.stop();
  await browser?.close();
  robot?.close();
  await fixture?.close();
});

function poll<T>(fn: () => Promise<T> | T) {
  return expect.poll(fn, { timeout: 20_000 });
}

async function api<T>(page: Page, query: string, variables: object = {}): Promise<T> {
  const response = await page.request.post(`${fixture.url}/graphql`, {
    data: { query, variables },
  });
  const body = (await response.json()) as { data: T; errors?: unknown[] };
  expect(body.errors).toBeUndefined();
  return body.data;
}

const planItem = (page: Page, code: string) =>
  page.locator(`[data-plan-list] [data-school="${code}"]`);

let school = '';
let schoolName = '';
let visitId = '';
let flagId = '';

describe("a 责任督学's month", { timeout: 120_000 }, () => {
  it('starts from the risk-ranked plan and records a visit with a photo', async () => {
    const page = await openPageAs(browser, fixture, 'dx01', '/plan', NOW);
    const items = page.locator('[data-plan-list] > li');
    await poll(() => items.count()).toBeGreaterThan(0);
    const { visitPlan } = await api<{
      visitPlan: { items: { schoolCode: string; schoolName: string; score: number }[] };
    }>(page, '{ visitPlan(month: "2025-11") { items { schoolCode schoolName score } } }');
    // The page shows the server's ranking, highest risk first.
    const shown = await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-school')));
    expect(shown).toEqual(visitPlan.items.map((s) => s.schoolCode));
    const scores = visitPlan.items.map((s) => s.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    school = visitPlan.items[0]!.schoolCode;
    schoolName = visitPlan.items[0]!.schoolName;
    const top = planItem(page, school);
    // Never visited in the fixture: the unvisited reason counts the policy's cap, 6 months.
    expect(await top.locator('[data-reason="UNVISITED"]').innerText()).toContain('+6 分');
    expect(await top.locator('[data-reason="OPEN_FLAG"]').innerText()).toContain('违规预警');
    await screenshot(page, 'inspector-month-plan');

    await top.locator('[data-record-visit]').click();
    const form = page.locator('[data-visit-form]');
    await form.waitFor();
    expect(await form.getByLabel('学校').inputValue()).toBe(school);
    await form.getByLabel('检查发现').fill('课后服务正常开展；家长反映另收教辅费，待核实');
    await form.locator('[data-evidence-input]').setInputFiles(PHOTO);
    await form.getByRole('button', { name: '提交检查记录' }).click();
    await poll(() => page.locator('[data-view-message]').innerText()).toBe(
      `已登记督导检查：${schoolName}（2025年11月20日），上传材料 1 份`,
    );

    const stored = await sql<{ visit_id: number; sha256: string; stripped: string | null }>`
      SELECT v.visit_id, e.sha256, e.stripped FROM visits v
      JOIN evidence_files e ON e.owner_kind = 'VISIT' AND e.owner_id = v.visit_id
      WHERE v.school_code = ${school}`.execute(fixture.warehouse.db);
    expect(stored.rows).toHaveLength(1);
    visitId = String(stored.rows[0]!.visit_id);
    expect(stored.rows[0]!.stripped).toContain('EXIF');
    const photo = await page.request.get(`${fixture.url}/api/evidence/${await evidenceId()}`);
    expect(photo.status()).toBe(200);
    const bytes = Buffer.from(await photo.body());
    expect(readFileSync(PHOTO).includes(EXIF_HEADER)).toBe(true);
    expect(bytes.includes(Buffer.from('Exif\0\0', 'latin1'))).toBe(false);

    // Back on the plan the school is visited this month: no unvisited points any more.
    await page.goto(`${fixture.url}/plan`);
    await planItem(page, school).waitFor();
    expect(await planItem(page, school).locator('[data-reason="UNVISITED"]').count()).toBe(0);
    await page.context().close();
  });

  it('turns a phone complaint into a flag linked to the visit', async () => {
    const page = await openPageAs(browser, fixture, 'dx01', '/complaints', NOW);
    await page.locator('[data-record-complaint]').click();
    const form = page.locator('[data-complaint-form]');
    await form.locator('[data-field="school"]').fill(school);
    await form.locator('[data-field="source"]').selectOption('INSPECTOR_PHONE');
    await form.locator('[data-field="category"]').selectOption('ILLEGAL_FEES');
    await form.locator('[data-field="receivedOn"]').fill('2025-11-20');
    await form.locator('[data-field="allegation"]').fill('课后服务另收教辅费每人200元');
    await form.locator('button[type="submit"]').click();

    const drawer = page.locator('[data-complaint-drawer]');
    await drawer.waitFor();
    await drawer.locator('[data-step="LINK_VISIT"]').click();
    await drawer.locator('[data-visit]').selectOption(visitId);
    await drawer.locator('button[type="submit"]').click();
    await poll(() => drawer.locator('[data-complaint-visit]').innerText()).toContain(
      '2025年11月20日',
    );
    await drawer.locator('[data-step="RAISE_FLAG"]').click();
    await drawer.locator('[data-step-text]').fill('家长反映另收教辅费，走访时已初步核实');
    await drawer.locator('button[type="submit"]').click();
    await poll(() => drawer.locator('[data-complaint-flag]').innerText()).toContain('违规收费');
    await screenshot(page, 'inspector-month-complaint');

    const { complaints } = await api<{
      complaints: { items: { flag: { id: string; status: string } | null }[] };
    }>(page, `query ($s: String) { complaints(schoolCode: $s) { items { flag { id status } } } }`, {
      s: school,
    });
    expect(complaints.items).toHaveLength(1);
    expect(complaints.items[0]!.flag?.status).toBe('OPEN');
    flagId = complaints.items[0]!.flag!.id;
    await page.context().close();
  });

  it('reminds the 督学 once when the bureau sets a deadline, in the inbox and on the robot', async () => {
    const bureau = await openPageAs(browser, fixture, 'bureau', `/flags?flag=${flagId}`, NOW);
    const drawer = bureau.locator('[data-flag-drawer]');
    await drawer.getByRole('button', { name: '下发整改' }).click();
    const form = drawer.locator('[data-step-form="REQUEST_RECTIFICATION"]');
    await form.getByLabel('整改期限').fill('2025-11-22');
    await form.getByLabel('整改要求').fill('11月22日前退还教辅费并报送整改报告');
    await form.getByRole('button', { name: '确认下发整改' }).click();
    await poll(() => drawer.locator('[data-history-row]').count()).toBe(2);
    await bureau.context().close();

    const dx01 = await openPageAs(browser, fixture, 'dx01', '/inbox', NOW);
    // The job judges 0.2 s after the write; the bell shows the one new reminder.
    await poll(async () => {
      await dx01.reload();
      await dx01.locator('[data-reminder-bell]').waitFor();
      return dx01.locator('[data-unread-count]').innerText();
    }).toBe('1');
    const unread = dx01.locator('[data-reminder]').filter({ hasText: '整改即将到期' });
    // The bell's count can arrive before the inbox list renders (a race CI met).
    await poll(() => unread.count()).toBe(1);
    expect(await unread.innerText()).toContain(schoolName);
    await screenshot(dx01, 'inspector-month-inbox');
    await unread.locator('[data-open]').click();
    await poll(() => new URL(dx01.url()).searchParams.get('flag')).toBe(flagId);
    await poll(() => dx01.locator('[data-unread-count]').count()).toBe(0);

    // Fired once: another run adds nothing, and the robot got exactly the one push.
    const again = await job.runOnce();
    expect(again.fired).toBe(0);
    await poll(() => pushes.length).toBe(1);
    expect(pushes[0]!.path).toBe('/cgi-bin/webhook/send?key=fixture-key');
    const body = pushes[0]!.body as { msgtype: string; markdown: { content: string } };
    expect(body.msgtype).toBe('markdown');
    expect(body.markdown.content).toContain('整改即将到期');
    expect(body.markdown.content).toContain(schoolName);
    // No complainant's or pupil's data leaves the district.
    expect(body.markdown.content).not.toContain('教辅费');
    await dx01.context().close();
  });
});

async function evidenceId(): Promise<string> {
  const rows = await sql<{ file_id: number }>`SELECT file_id FROM evidence_files
    WHERE owner_kind = 'VISIT' AND owner_id = ${Number(visitId)}`.execute(fixture.warehouse.db);
  return String(rows.rows[0]!.file_id);
}
