/**
 * MonthlyReport.scope and Query.scopeSummary on the fixture district (test/fixtures/api):
 * 4 schools, 东城镇 (1000000001 小学 城区, 1000000002 小学 乡村) and 西山乡 (1000000003 初中,
 * 1000000004 九年一贯制); DX01 has 1000000001 and 1000000003 in 2025-09, only 1000000001
 * from 2025-10 (1000000003 moved to DX02).
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

const FIELDS = 'role audience remit township stage locality schoolCodes schoolsInScope text';

async function reportScope(
  viewer: (typeof VIEWERS)[keyof typeof VIEWERS],
  month: string,
  scope?: object,
): Promise<Record<string, unknown>> {
  const { data, errors } = await api.run(
    viewer,
    `query ($month: String!, $scope: ScopeInput) {
      monthlyReport(month: $month, scope: $scope) { scope { ${FIELDS} } overview { schoolsInScope } }
      scopeSummary(month: $month, scope: $scope) { ${FIELDS} }
    }`,
    { month, scope },
  );
  expect(errors).toBeUndefined();
  const report = data?.monthlyReport as {
    scope: Record<string, unknown>;
    overview: { schoolsInScope: number };
  };
  // One definition: the report's letterhead and the exports' summary agree, and count
  // exactly the schools behind the figures.
  expect(data?.scopeSummary).toEqual(report.scope);
  expect(report.scope.schoolsInScope).toBe(report.overview.schoolsInScope);
  return report.scope;
}

describe('ScopeSummary', () => {
  it('states the whole district for a leader without filters', async () => {
    expect(await reportScope(VIEWERS.leader, '2025-10')).toEqual({
      role: 'LEADERSHIP',
      audience: '领导参阅',
      remit: '全区',
      township: null,
      stage: null,
      locality: null,
      schoolCodes: null,
      schoolsInScope: 4,
      text: '全区（4所学校）；2025年10月',
    });
  });

  it('states the township and stage a filtered report really covers', async () => {
    const township = await reportScope(VIEWERS.leader, '2025-10', { township: '西山乡' });
    expect([township.township, township.schoolsInScope, township.text]).toEqual([
      '西山乡',
      2,
      '全区 · 西山乡（2所学校）；2025年10月',
    ]);
    const junior = await reportScope(VIEWERS.bureau, '2025-10', { stage: 'JUNIOR' });
    expect([junior.audience, junior.stage, junior.schoolsInScope, junior.text]).toEqual([
      '教育局督导工作用',
      'JUNIOR',
      1,
      '全区 · 初中（1所学校）；2025年10月',
    ]);
    const both = await reportScope(VIEWERS.bureau, '2025-10', {
      township: '东城镇',
      locality: 'RURAL',
    });
    expect(both.text).toBe('全区 · 东城镇 · 乡村（1所学校）；2025年10月');
    const none = await reportScope(VIEWERS.bureau, '2025-10', {
      township: '东城镇',
      stage: 'JUNIOR',
    });
    expect(none.text).toBe('全区 · 东城镇 · 初中（0所学校）；2025年10月');
  });

  it('heads a supervising inspector’s report with their own schools, not 领导参阅', async () => {
    const september = await reportScope(VIEWERS.dx01, '2025-09');
    expect([september.audience, september.remit, september.schoolsInScope]).toEqual([
      '责任督学工作用',
      '责任督学 dx01（DX01）挂牌学校',
      2,
    ]);
    // 西山中学 moved to DX02 in 2025-10.
    expect((await reportScope(VIEWERS.dx01, '2025-10')).text).toBe(
      '责任督学 dx01（DX01）挂牌学校（1所学校）；2025年10月',
    );
    expect((await reportScope(VIEWERS.dx02, '2025-10', { township: '西山乡' })).text).toBe(
      '责任督学 dx02（DX02）挂牌学校 · 西山乡（2所学校）；2025年10月',
    );
  });
});
