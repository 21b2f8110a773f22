/**
 * Issue 13, "flag counts disagree between views": the flags page said 待处理 13 and the
 * overview 12 after a 督学's visit raised a flag in a month no report covers (so the month
 * picker, which offers report months, never offers it). Open (未办结) is one definition,
 * as of now and whatever the month, counted from the flags the viewer may see; the flags
 * page, the overview, the schools list, the school page and the report all agree.
 *
 * Now is 2025-11-20 10:00 in Shanghai; reports exist for 2025-09 and 2025-10 only.
 * 1000000001 is DX01's; 1000000002-4 are DX02's (1000000003 was DX01's in 2025-09).
 *
 * | flag | school | month   | status     | deadline   |
 * |------|--------|---------|------------|------------|
 * | A    | …02    | 2025-10 | OPEN       |            |
 * | B    | …03    | 2025-09 | RECTIFYING | 2025-11-10 (10 days overdue) |
 * | C    | …01    | 2025-09 | CLOSED     |            |
 * | D    | …04    | 2025-10 | RECTIFIED  |            |
 * | E    | …02    | 2025-11 | OPEN (raised by DX02's visit of 2025-11-18) |
 *
 * Open: A, B, D, E = 4 (by school: …02 2, …03 1, …04 1); overdue: B = 1.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../../../server/auth/viewer.ts';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../../helpers/api-fixture.ts';
import { seedLateEndFlag } from '../../../helpers/seed-flag.ts';

let fx: ApiFixture;
beforeAll(async () => {
  fx = await openApiFixture({ now: new Date('2025-11-20T02:00:00Z') });
  await fx.writer.write(async ({ db }) => {
    await sql`DELETE FROM flag_events; DELETE FROM flags; DELETE FROM visit_checks;
      DELETE FROM visits;`.execute(db);
  });
  const seed = (
    school: string,
    month: string,
    status: 'OPEN' | 'RECTIFYING' | 'CLOSED' | 'RECTIFIED',
    deadline?: string,
  ) =>
    seedLateEndFlag(fx.writer, {
      school,
      month,
      status,
      deadline,
      createdAt: '2025-11-06T02:00:00Z',
    });
  await seed('1000000002', '2025-10', 'OPEN');
  await seed('1000000003', '2025-09', 'RECTIFYING', '2025-11-10');
  await seed('1000000001', '2025-09', 'CLOSED');
  await seed('1000000004', '2025-10', 'RECTIFIED');
  const visit = await fx.run(
    VIEWERS.dx02,
    `mutation ($input: VisitInput!) { recordVisit(input: $input) { id flags { month status } } }`,
    {
      input: {
        schoolCode: '1000000002',
        date: '2025-11-18',
        kind: 'UNANNOUNCED',
        checklist: [],
        findings: '课后服务时段组织集体授新课',
        flags: [{ code: 'COLLECTIVE_TEACHING', detail: '四年级集体授新课' }],
      },
    },
  );
  expect(visit.errors).toBeUndefined();
  expect(visit.data?.recordVisit).toMatchObject({ flags: [{ month: '2025-11', status: 'OPEN' }] });
});
afterAll(() => fx.close());

const COUNTS = `query ($month: String!) {
  months: reportMonths
  unfinished: flags(open: true, first: 1) { total }
  open: flags(status: OPEN, first: 1) { total }
  rectifying: flags(status: RECTIFYING, first: 1) { total }
  rectified: flags(status: RECTIFIED, first: 1) { total }
  overdue: flags(overdue: true, first: 1) { total }
  overview(month: $month) { openFlags overdueFlags }
  report: monthlyReport(month: $month) { overview { openFlags overdueFlags } }
}`;

async function counts(viewer: Viewer, month: string) {
  const { data, errors } = await fx.run(viewer, COUNTS, { month });
  expect(errors).toBeUndefined();
  type Page = { total: number };
  const d = data as {
    unfinished: Page;
    open: Page;
    rectifying: Page;
    rectified: Page;
    overdue: Page;
    months: string[];
    overview: { openFlags: number; overdueFlags: number };
    report: { overview: { openFlags: number; overdueFlags: number } };
  };
  return {
    newestReportMonth: d.months[0],
    flagsPage: d.unfinished.total,
    flagsPageCards: d.open.total + d.rectifying.total + d.rectified.total,
    flagsPageOverdue: d.overdue.total,
    overview: d.overview,
    report: d.report.overview,
  };
}

async function schoolsList(viewer: Viewer, month: string) {
  const { data, errors } = await fx.run(
    viewer,
    `query ($month: String!) { schools(month: $month, first: 200) { items { openFlags school { code } } } }`,
    { month },
  );
  expect(errors).toBeUndefined();
  const items = (data?.schools as { items: { openFlags: number; school: { code: string } }[] })
    .items;
  return Object.fromEntries(items.map((i) => [i.school.code, i.openFlags]));
}

async function schoolPage(viewer: Viewer, code: string, month: string) {
  const { data, errors } = await fx.run(
    viewer,
    `query ($code: String!, $month: String!) { school(code: $code, month: $month) { current { openFlags } } }`,
    { code, month },
  );
  expect(errors).toBeUndefined();
  return (data?.school as { current: { openFlags: number } }).current.openFlags;
}

describe('open flag counts agree between views', () => {
  it.each([
    ['bureau', VIEWERS.bureau],
    ['leadership', VIEWERS.leader],
    ['the 督学 whose visit raised the flag', VIEWERS.dx02],
  ])('for %s, in the newest report month and an older one', async (_who, viewer) => {
    for (const month of ['2025-10', '2025-09']) {
      expect(await counts(viewer, month)).toEqual({
        newestReportMonth: '2025-10',
        flagsPage: 4,
        flagsPageCards: 2 + 1 + 1,
        flagsPageOverdue: 1,
        overview: { openFlags: 4, overdueFlags: 1 },
        report: { openFlags: 4, overdueFlags: 1 },
      });
    }
    const list = await schoolsList(viewer, '2025-10');
    expect({ ...list, '1000000001': list['1000000001'] ?? 0 }).toEqual({
      '1000000001': 0,
      '1000000002': 2,
      '1000000003': 1,
      '1000000004': 1,
    });
    expect(await schoolPage(viewer, '1000000002', '2025-10')).toBe(2);
  });

  it('for a 督学, counts what the flags page shows them, their former school’s old flag too', async () => {
    // DX01 sees C (closed) and B (…03 was theirs in B's month): 1 open, overdue.
    expect(await counts(VIEWERS.dx01, '2025-10')).toEqual({
      newestReportMonth: '2025-10',
      flagsPage: 1,
      flagsPageCards: 1,
      flagsPageOverdue: 1,
      overview: { openFlags: 1, overdueFlags: 1 },
      report: { openFlags: 1, overdueFlags: 1 },
    });
    // Their schools list holds only the schools theirs in the month: …01, with none open.
    expect(await schoolsList(VIEWERS.dx01, '2025-10')).toEqual({ '1000000001': 0 });
  });
});
