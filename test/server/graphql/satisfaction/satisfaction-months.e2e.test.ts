/**
 * Which months have answers, per viewer, and how the monthly window attributes them
 * (test/fixtures/api/满意度问卷-2025秋.csv: #6 from 003 on 2025-09-20; #1–#3 and the
 * student #5 from 001, #4 from 002, all 2025-10). DX01 has 001 and 003, DX02 002 and 004.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../../helpers/api-fixture.ts';

let api: ApiFixture;
beforeAll(async () => {
  api = await openApiFixture();
});
afterAll(async () => {
  await api.close();
});

const MONTHS = `query ($scope: ScopeInput) { satisfactionMonths(scope: $scope) }`;

describe('satisfactionMonths', () => {
  it('lists the months with answers in the viewer’s scope, newest first', async () => {
    const months = async (viewer: (typeof VIEWERS)[keyof typeof VIEWERS], scope?: object) => {
      const { data, errors } = await api.run(viewer, MONTHS, scope ? { scope } : undefined);
      expect(errors).toBeUndefined();
      return data?.satisfactionMonths;
    };
    expect(await months(VIEWERS.bureau)).toEqual(['2025-10', '2025-09']);
    expect(await months(VIEWERS.leader)).toEqual(['2025-10', '2025-09']);
    expect(await months(VIEWERS.dx01)).toEqual(['2025-10', '2025-09']);
    // DX02's schools: 002 answered in October only; 004 never.
    expect(await months(VIEWERS.dx02)).toEqual(['2025-10']);
    expect(await months(VIEWERS.unlinked)).toEqual([]);
    // 西山乡: 003's one answer in September.
    expect(await months(VIEWERS.bureau, { township: '西山乡' })).toEqual(['2025-09']);
    expect(await months(VIEWERS.dx02, { township: '西山乡' })).toEqual([]);
  });

  it('counts answers in the month they were submitted when the window is MONTH', async () => {
    const trend = async (w: string) => {
      const { data } = await api.run(
        VIEWERS.bureau,
        `query ($w: SatisfactionWindow) { trend(from: "2025-08", to: "2025-11", satisfactionWindow: $w) {
          month satisfaction { respondent responses score } } }`,
        { w },
      );
      return (
        data?.trend as { month: string; satisfaction: { respondent: string; score: number }[] }[]
      ).map((o) => [o.month, o.satisfaction.find((s) => s.respondent === 'parent')]);
    };
    // Month by month: none in August, #6 (0) in September, #1–#4 (100, 75, 25, 50) in
    // October, none in November.
    expect(await trend('MONTH')).toEqual([
      ['2025-08', { respondent: 'parent', responses: 0, score: null }],
      ['2025-09', { respondent: 'parent', responses: 1, score: 0 }],
      ['2025-10', { respondent: 'parent', responses: 4, score: 62.5 }],
      ['2025-11', { respondent: 'parent', responses: 0, score: null }],
    ]);
    // The semester to date carries October's answers into November (and a spring
    // semester's into July and August): a running total, not the month's answers.
    expect((await trend('SEMESTER_TO_DATE'))[3]).toEqual([
      '2025-11',
      { respondent: 'parent', responses: 5, score: 50 },
    ]);
  });
});
