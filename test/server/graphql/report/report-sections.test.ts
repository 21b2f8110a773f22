/**
 * The leaders' report sections on the fixture district (test/fixtures/api): satisfaction
 * over the newest window with answers, the priority groups the overview measures, and
 * top/bottom lists that never name a school twice. Survey answers (overall item):
 * 2025-09 one parent of 西山中学 (非常不满意 → 0); 2025-10 parents of 东城第一小学 100, 75, 25
 * and of 东城村小 50, one student of 东城第一小学 100.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../../helpers/api-fixture.ts';

let api: ApiFixture;
beforeAll(async () => {
  api = await openApiFixture({ now: new Date('2025-11-20T12:00:00+08:00') });
});
afterAll(async () => {
  await api.close();
});

const SATISFACTION = `query ($month: String!) { monthlyReport(month: $month) {
  satisfaction { month from current periodText
    stats { respondent responses score satisfiedShare } } } }`;

async function satisfaction(viewer: (typeof VIEWERS)[keyof typeof VIEWERS], month: string) {
  const { data, errors } = await api.run(viewer, SATISFACTION, { month });
  expect(errors).toBeUndefined();
  return (data?.monthlyReport as { satisfaction: Record<string, unknown> }).satisfaction;
}

describe('MonthlyReport.satisfaction', () => {
  it('covers the report month’s semester to date when it has answers', async () => {
    expect(await satisfaction(VIEWERS.leader, '2025-10')).toEqual({
      month: '2025-10',
      from: '2025-09',
      current: true,
      periodText: '2025年9月至2025年10月（本学期累计）',
      stats: [
        // (100 + 75 + 25 + 50 + 0) / 5; 非常满意 or 满意: 2 of 5.
        { respondent: 'parent', responses: 5, score: 50, satisfiedShare: 0.4 },
        { respondent: 'student', responses: 1, score: 100, satisfiedShare: 1 },
      ],
    });
  });

  it('falls back to the newest earlier window with answers and says so', async () => {
    // 2026-03's semester (from 2026-02) has no answers: the newest are 2025-10's.
    const later = await satisfaction(VIEWERS.leader, '2026-03');
    expect(later).toMatchObject({
      month: '2025-10',
      from: '2025-09',
      current: false,
      periodText: '2025年9月至2025年10月（本月所在学期暂无答卷，取最近有答卷的学期累计）',
    });
    expect((later.stats as { responses: number }[]).map((s) => s.responses)).toEqual([5, 1]);
  });

  it('keeps to a supervising inspector’s schools and says when there is nothing', async () => {
    // DX01 in 2025-10 has only 东城第一小学: parents 100, 75, 25; the student 100.
    expect(await satisfaction(VIEWERS.dx01, '2025-10')).toMatchObject({
      stats: [
        { respondent: 'parent', responses: 3, score: (100 + 75 + 25) / 3, satisfiedShare: 2 / 3 },
        { respondent: 'student', responses: 1, score: 100, satisfiedShare: 1 },
      ],
    });
    // DX02 in 2025-09 (东城村小, 西山九年一贯制学校): nobody answered by then.
    expect(await satisfaction(VIEWERS.dx02, '2025-09')).toEqual({
      month: null,
      from: null,
      current: false,
      periodText: '暂无家长、学生问卷答卷',
      stats: [],
    });
  });
});

describe('MonthlyReport top and bottom schools', () => {
  it('never names a school in both lists of a small scope', async () => {
    for (const [viewer, month] of [
      [VIEWERS.bureau, '2025-09'],
      [VIEWERS.bureau, '2025-10'],
      [VIEWERS.dx01, '2025-09'],
      [VIEWERS.dx01, '2025-10'],
    ] as const) {
      const { data } = await api.run(
        viewer,
        `{ monthlyReport(month: "${month}") { topSchools { school { code } }
            bottomSchools { school { code } } } }`,
      );
      const report = data?.monthlyReport as Record<string, { school: { code: string } }[]>;
      const top = report.topSchools!.map((s) => s.school.code);
      const bottom = report.bottomSchools!.map((s) => s.school.code);
      expect(
        top.filter((c) => bottom.includes(c)),
        `${viewer.username} ${month}`,
      ).toEqual([]);
    }
    // DX01 in 2025-10 ranks only 东城第一小学: it is a top school and there is no bottom.
    const { data } = await api.run(
      VIEWERS.dx01,
      `{ monthlyReport(month: "2025-10") { topSchools { school { code } }
          bottomSchools { school { code } } } }`,
    );
    expect(data?.monthlyReport).toEqual({
      topSchools: [{ school: { code: '1000000001' } }],
      bottomSchools: [],
    });
  });
});
