/**
 * The report and scope summary of a semester and a school year (test/fixtures/api plus
 * api-periods; months in test/server/graphql/overview/periods.e2e.test.ts): the sentences
 * name the period, count school-months (校次) and compare with the previous period.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../../helpers/api-fixture.ts';

const MORE_MONTHS = fileURLToPath(new URL('../../../fixtures/api-periods/', import.meta.url));

let api: ApiFixture;
beforeAll(async () => {
  api = await openApiFixture({ extraPaths: [MORE_MONTHS] });
});
afterAll(async () => {
  await api.close();
});

type Finding = { code: string; text: string; textEn: string };

async function report(period: string, viewer = VIEWERS.bureau) {
  const { data, errors } = await api.run(
    viewer,
    `{ monthlyReport(period: "${period}") { month period periodLabel
        scope { text schoolsInScope period periodLabel }
        overview { period schoolsInScope participants }
        satisfaction { periodText current stats { respondent responses } }
        findings { code text textEn } newFlags(first: 1000) { month } } }`,
  );
  expect(errors).toBeUndefined();
  return data?.monthlyReport as Record<string, unknown> & {
    findings: Finding[];
    newFlags: { month: string }[];
  };
}

const text = (r: { findings: Finding[] }, code: string) =>
  r.findings.find((f) => f.code === code)?.text;

describe('monthlyReport(period)', () => {
  it('names the semester and counts its reports in school-months', async () => {
    const r = await report('2025-2026-1');
    expect(r).toMatchObject({
      month: '2026-01',
      period: '2025-2026-1',
      periodLabel: '2025-2026学年第一学期',
      // The letterhead counts schools once; the figures count school-months.
      scope: { text: '全区（4所学校）；2025-2026学年第一学期', schoolsInScope: 4 },
      overview: { period: '2025-2026-1', schoolsInScope: 20, participants: 513 },
      satisfaction: {
        periodText: '2025-2026学年第一学期（2025年9月至2026年1月提交的答卷）',
        current: true,
        stats: [
          { respondent: 'parent', responses: 5 },
          { respondent: 'student', responses: 1 },
        ],
      },
    });
    expect(text(r, 'COVERAGE')).toBe(
      '2025-2026学年第一学期，全区应报送月报20校次，已报送9校次，其中8校次开展课后服务，覆盖率88.9%。',
    );
    expect(text(r, 'REPORTS.MISSING')).toBe('2025-2026学年第一学期有11校次月报未报送。');
    expect(text(r, 'FLAGS.NEW')).toMatch(/^2025-2026学年第一学期新增违规预警\d+条/u);
    // The new flags are those of the semester's months, not of its last month alone.
    const months = new Set(r.newFlags.map((f) => f.month));
    expect([...months].every((m) => m >= '2025-09' && m <= '2026-01')).toBe(true);
    expect(months.has('2025-09') || months.has('2025-10')).toBe(true);
  });

  it('compares a semester with the previous semester', async () => {
    const r = await report('2025-2026-2');
    // 75 / 150 against 513 / 980: down 2.3 points.
    expect(text(r, 'PARTICIPATION')).toBe('学生参与率50.0%，较上学期下降2.3个百分点。');
    expect(r.findings.find((f) => f.code === 'PARTICIPATION')?.textEn).toBe(
      'Student participation was 50.0%, down 2.3 percentage points on the previous semester.',
    );
  });

  it("gives a 责任督学's year over their schools", async () => {
    const { data, errors } = await api.run(
      VIEWERS.dx01,
      `{ scopeSummary(period: "2025-2026") { month period periodLabel schoolsInScope text } }`,
    );
    expect(errors).toBeUndefined();
    expect(data?.scopeSummary).toEqual({
      month: '2026-08',
      period: '2025-2026',
      periodLabel: '2025-2026学年',
      schoolsInScope: 2,
      text: '责任督学 dx01（DX01）挂牌学校（2所学校）；2025-2026学年',
    });
  });

  it('keeps month working, and refuses month with period', async () => {
    const { data } = await api.run(
      VIEWERS.bureau,
      `{ monthlyReport(month: "2025-10") { period periodLabel scope { text } } }`,
    );
    expect(data?.monthlyReport).toEqual({
      period: '2025-10',
      periodLabel: '2025年10月',
      scope: { text: '全区（4所学校）；2025年10月' },
    });
    const { errors } = await api.run(
      VIEWERS.bureau,
      `{ scopeSummary(month: "2025-10", period: "2025-2026-1") { text } }`,
    );
    expect(errors?.[0]?.message).toContain('month 与 period 只能给一个');
  });
});
