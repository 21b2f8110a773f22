/**
 * The school page's 多方印证 section on the fixture district with two other sources written
 * behind the app for 东城第一小学 (…01) in 2025-10: an ILLEGAL_FEES complaint (the report
 * says free) and a visit with a FEE_PUBLICITY problem (the report says published). The
 * bureau reads both contradictions as sentences marked 矛盾; a leader gets no complaints
 * column and so only the visit's; 东城村小 (…02) shows none.
 */
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot } from '../../helpers/browser.ts';
import type { WEB_USERS } from '../../helpers/web-fixture.ts';
import { browserSuite, poll } from '../../helpers/browser-suite.ts';

const NOW = new Date('2025-11-20T10:00:00+08:00');

const suite = browserSuite(NOW, {
  setup: async (fixture) => {
    await fixture.writer.write(async ({ db }) => {
      await sql`INSERT INTO complaints (school_code, source, flag_code, received_on, month,
        allegation, complainant_name, complainant_contact, status, handler_user_id, deadline,
        created_by_user_id, created_by)
      VALUES ('1000000001', 'HOTLINE_12345', 'ILLEGAL_FEES', DATE '2025-10-08', '2025-10',
        '家长反映每月收取材料费', '王某', '13800000000', 'RECEIVED', NULL, DATE '2025-10-23', 1,
        'bureau')`.execute(db);
      const { rows } = await sql<{ visit_id: number }>`INSERT INTO visits
        (school_code, visit_date, kind, user_id, username, user_name, inspector_id, findings)
      VALUES ('1000000001', DATE '2025-10-15', 'ROUTINE', 3, 'dx01', '张督学', 'DX01', '走访')
      RETURNING visit_id`.execute(db);
      await sql`INSERT INTO visit_checks (visit_id, item, result, note)
      VALUES (${Number(rows[0]?.visit_id)}, 'FEE_PUBLICITY', 'PROBLEM', '公示栏无收费信息')`.execute(
        db,
      );
    });
  },
});
const openAs = (user: keyof typeof WEB_USERS, path: string): Promise<Page> =>
  suite.openAs(user, path);

const contradictions = (page: Page) =>
  page.locator('[data-triangulation] [data-contradiction]').allInnerTexts();

describe('多方印证', () => {
  it('shows the bureau both contradictions, each naming the report and the other source', async () => {
    const page = await openAs('bureau', '/schools/1000000001?period=2025-10');
    await poll(() => contradictions(page)).toHaveLength(2);
    const [fees, published] = await contradictions(page);
    expect(fees).toContain('矛盾');
    expect(fees).toContain('月报 ↔ 投诉与举报');
    expect(fees).toContain('月报填报收费标准 0 元/课时（免费），但本月收到“违规收费”类投诉 1 件。');
    expect(published).toContain('月报 ↔ 督导走访');
    expect(published).toContain('2025-10-15 走访检查“收费公示”有问题');
    const section = await page.locator('[data-triangulation]').innerText();
    expect(section).toContain('违规收费：1 件');
    expect(section).not.toContain('王某');
    expect(section).not.toContain('材料费');
    await screenshot(page, 'triangulation-bureau');
    await page.close();
  });

  it('gives a leader no complaints column, so only the visit contradiction', async () => {
    const page = await openAs('leader', '/schools/1000000001?period=2025-10');
    await poll(() => contradictions(page)).toHaveLength(1);
    expect(
      await page.locator('[data-triangulation] section[aria-label="投诉与举报"]').count(),
    ).toBe(0);
    expect(await page.locator('[data-triangulation]').innerText()).not.toContain('违规收费');
    await page.close();
  });

  it('says so in words when the sources agree', async () => {
    const page = await openAs('bureau', '/schools/1000000002?period=2025-10');
    await page.locator('[data-triangulation] [data-no-contradiction]').waitFor();
    expect(await contradictions(page)).toEqual([]);
    await page.close();
  });
});
