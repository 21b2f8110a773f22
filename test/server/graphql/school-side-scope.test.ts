/**
 * The school side through the existing fields (issue 17), beyond the access matrix's
 * outcomes: what a 学校填报员 of 1000000002 东城村小 and a 学区审核员 of 东城镇 (1000000001,
 * 1000000002) read of complaints, doubts and the evaluation, and the bilingual refusals
 * that name their role. Fixture district: test/fixtures/api; clock 2025-11-10 in Shanghai.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../helpers/api-fixture.ts';
import { seedComplaint } from '../../helpers/seed-complaint.ts';
import { seedDoubt } from '../../helpers/seed-doubt.ts';

const NOW = new Date('2025-11-10T04:00:00Z');
const SCHOOL = '1000000002';

let fx: ApiFixture;
let complaintId: string;
let doubtId: string;

beforeAll(async () => {
  fx = await openApiFixture({ now: NOW });
  // One October complaint against each 东城镇 school and one against 西山中学.
  complaintId = await seedComplaint(fx.writer, { school: SCHOOL, receivedOn: '2025-10-20' });
  await seedComplaint(fx.writer, { school: '1000000001', receivedOn: '2025-10-21' });
  await seedComplaint(fx.writer, { school: '1000000003', receivedOn: '2025-10-22' });
  doubtId = await seedDoubt(fx.writer, { school: SCHOOL, month: '2025-10', rule: 'SCOPE.own' });
  await seedDoubt(fx.writer, { school: '1000000003', month: '2025-10', rule: 'SCOPE.other' });
});
afterAll(async () => {
  await fx?.close();
});

type Viewer = (typeof VIEWERS)[keyof typeof VIEWERS];
const errorOf = async (viewer: Viewer, document: string, variables?: Record<string, unknown>) => {
  const r = await fx.run(viewer, document, variables);
  return { code: r.errors?.[0]?.extensions?.code, message: r.errors?.[0]?.message };
};

describe('a 学校填报员 never reads a complaint', () => {
  it('gets no complaint counts and no complaint contradiction in its triangulation', async () => {
    const doc = `query { triangulation(schoolCode: "${SCHOOL}", month: "2025-10") {
      complaints { code count } contradictions { source } } }`;
    const bureau = await fx.run(VIEWERS.bureau, doc);
    // The bureau reads the one seeded ILLEGAL_FEES complaint of the month.
    expect(bureau.data?.triangulation).toMatchObject({
      complaints: [{ code: 'ILLEGAL_FEES', count: 1 }],
    });
    const school = await fx.run(VIEWERS.school, doc);
    expect(school.errors).toBeUndefined();
    const t = school.data?.triangulation as {
      complaints: unknown;
      contradictions: { source: string }[];
    };
    expect(t.complaints).toBeNull();
    expect(t.contradictions.filter((c) => c.source === 'COMPLAINT')).toEqual([]);
  });

  it('reads its monthly report without the complaints finding the bureau reads', async () => {
    const doc = `query ($scope: ScopeInput) { monthlyReport(month: "2025-10", scope: $scope) {
      findings { code text } } }`;
    const codes = (r: Awaited<ReturnType<ApiFixture['run']>>) =>
      (r.data?.monthlyReport as { findings: { code: string }[] }).findings.map((f) => f.code);
    const bureau = await fx.run(VIEWERS.bureau, doc, { scope: { schoolCodes: [SCHOOL] } });
    expect(codes(bureau)).toContain('COMPLAINTS.RECEIVED');
    const school = await fx.run(VIEWERS.school, doc);
    expect(school.errors).toBeUndefined();
    expect(codes(school)).not.toContain('COMPLAINTS.RECEIVED');
    expect(JSON.stringify(school.data)).not.toMatch(/投诉/u);
  });

  it('is refused complaints, the visit plan and the evaluation in both languages', async () => {
    const refusals: [string, string][] = [
      [
        `{ complaints(first: 10) { total } }`,
        '学校填报员不能查看投诉举报 / a school reporter may not read complaints',
      ],
      [
        `{ complaint(id: "${complaintId}") { id } }`,
        '学校填报员不能查看投诉举报 / a school reporter may not read complaints',
      ],
      [
        `{ visitPlan(month: "2025-10") { total } }`,
        '学校填报员不能查看走访计划 / a school reporter may not read visit plans',
      ],
      [
        `{ evaluations(period: "2025-10") { total } }`,
        '学校填报员不能查看考核评价、排名与同类校比较 / a school reporter may not read evaluations, rankings or peer comparisons',
      ],
      [
        `{ peerComparison(code: "${SCHOOL}", period: "2025-10") { schoolCode } }`,
        '学校填报员不能查看考核评价、排名与同类校比较 / a school reporter may not read evaluations, rankings or peer comparisons',
      ],
    ];
    for (const [doc, message] of refusals)
      expect(await errorOf(VIEWERS.school, doc), doc).toEqual({ code: 'FORBIDDEN', message });
  });
});

describe('data doubts on the school side', () => {
  const list = `{ dataDoubts(month: "2025-10", first: 50) { items { id schoolCode allowedReviews } } }`;

  it('a 学校填报员 reads its own school’s doubts and may review none', async () => {
    const r = await fx.run(VIEWERS.school, list);
    expect(r.errors).toBeUndefined();
    const items = (
      r.data?.dataDoubts as {
        items: { id: string; schoolCode: string; allowedReviews: string[] }[];
      }
    ).items;
    expect(items.map((i) => i.schoolCode)).toEqual(items.map(() => SCHOOL));
    expect(items.map((i) => i.id)).toContain(doubtId);
    for (const item of items) expect(item.allowedReviews).toEqual([]);
    expect(
      await errorOf(
        VIEWERS.school,
        `mutation ($id: ID!) { verifyDoubt(doubtId: $id, note: "已核实") { id } }`,
        { id: doubtId },
      ),
    ).toEqual({
      code: 'FORBIDDEN',
      message:
        '学校填报员只能查看数据疑点，不能核实 / a school reporter may read data doubts but not review them',
    });
  });

  it('a 学区审核员 reads its township’s doubts, reviews none; the bureau reviews the same', async () => {
    const r = await fx.run(VIEWERS.township, list);
    const items = (
      r.data?.dataDoubts as { items: { schoolCode: string; allowedReviews: string[] }[] }
    ).items;
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(['1000000001', '1000000002']).toContain(item.schoolCode);
      expect(item.allowedReviews).toEqual([]);
    }
    const bureau = await fx.run(VIEWERS.bureau, list);
    const own = (
      bureau.data?.dataDoubts as { items: { id: string; allowedReviews: string[] }[] }
    ).items.find((i) => i.id === doubtId);
    expect(own?.allowedReviews).toEqual(['VERIFY', 'REQUEST_CORRECTION']);
  });
});

describe('a 学区审核员 reads its township’s complaints and handles none', () => {
  it('lists 东城镇’s complaints only, without the complainant', async () => {
    const r = await fx.run(
      VIEWERS.township,
      `{ complaints(month: "2025-10", first: 50) { items { schoolCode complainant { name } allowedSteps } } }`,
    );
    expect(r.errors).toBeUndefined();
    const items = (
      r.data?.complaints as {
        items: { schoolCode: string; complainant: unknown; allowedSteps: string[] }[];
      }
    ).items;
    expect([...new Set(items.map((i) => i.schoolCode))].sort()).toEqual(['1000000001', SCHOOL]);
    for (const item of items) {
      expect(item.complainant).toBeNull();
      expect(item.allowedSteps).toEqual([]);
    }
  });

  it('is refused every complaint step in both languages', async () => {
    expect(
      await errorOf(
        VIEWERS.township,
        `mutation ($id: ID!) { closeComplaint(id: $id, finding: "不属实", substantiated: false) { id } }`,
        { id: complaintId },
      ),
    ).toEqual({
      code: 'FORBIDDEN',
      message: '学区审核员不能办理投诉举报 / a township reviewer may not handle complaints',
    });
  });
});
