/**
 * The evaluation queries on the API fixture district with test/fixtures/evaluation/
 * test-scheme.yaml, every score computed by hand from the measures (the measures
 * themselves: evaluation-measures.e2e.test.ts).
 *
 * 2025-10 (scheme 2025.2: LATE_END −1 a flag):
 * - 东城第一小学: coverage 1 → 40; participation 168/200 → 33.6; parents 66.7 (3 answers)
 *   → 13.3; 86.9 − 3 LATE_END = 83.9, 良好.
 * - 东城村小: 40 + 0.8 × 40 = 72 of the 80 measured (1 parent answer < min_base 2:
 *   数据不足) → 90.0, but a safety incident vetoes it: 不合格, ranked last.
 * - 西山中学: no service: 0 + 0 (0 of 200) of 80 → 0, 不合格.
 * - 西山九年一贯制学校: no report: coverage 0 of 40 measured → 0, 不合格 (too little data).
 *   西山中学 and it tie at 0: rank 2 both.
 * 2025-09 (scheme 2025.1), the previous period: 85.0, 95.0, 72.5, 100.0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import {
  schemeEngine,
  useEvaluationEngine,
  type EvaluationEngine,
} from '../../../../server/graphql/evaluation/evaluation-engine.ts';
import { loadEvaluationScheme } from '../../../../server/policy/evaluation-scheme.ts';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../../helpers/api-fixture.ts';
import { seedEvaluationExtras } from './evaluation-fixture.ts';

const SCHEME = fileURLToPath(
  new URL('../../../fixtures/evaluation/test-scheme.yaml', import.meta.url),
);

let fx: ApiFixture;
let before: EvaluationEngine | null;

beforeAll(async () => {
  fx = await openApiFixture();
  await seedEvaluationExtras(fx.writer);
  before = useEvaluationEngine(schemeEngine(loadEvaluationScheme(SCHEME)));
}, 60_000);

afterAll(async () => {
  useEvaluationEngine(before);
  await fx.close();
});

const PAGE = `query Page($period: String!, $scope: ScopeInput, $first: Int, $after: String, $grade: EvaluationGrade) {
  evaluations(period: $period, scope: $scope, first: $first, after: $after, grade: $grade) {
    period periodLabel schemeVersion schemeName schemeSource published publishedAt publishedBy version
    total endCursor
    gradeCounts { grade label schools }
    items {
      schoolCode schoolName township stage locality peerGroup score grade gradeLabel
      rank peerRank peerGroupSize vetoed vetoReason incomplete excellentCapped
      previousScore previousGrade scoreChange
      indicators { key name points maxPoints value unit evidence insufficientData
        peerMedianPoints peerMedianValue districtMedianValue }
      deductions { key name points evidence }
    }
  }
}`;

type Item = {
  schoolCode: string;
  score: number;
  grade: string;
  rank: number;
  peerRank: number;
  vetoed: boolean;
  vetoReason: string | null;
  incomplete: boolean;
  previousScore: number | null;
  scoreChange: number | null;
  indicators: {
    key: string;
    points: number;
    value: number | null;
    insufficientData: boolean;
    evidence: string | null;
    peerMedianValue: number | null;
    districtMedianValue: number | null;
  }[];
  deductions: { key: string; points: number }[];
};
type Page = {
  schemeVersion: string;
  total: number;
  endCursor: string | null;
  gradeCounts: { grade: string; schools: number }[];
  items: Item[];
  published: boolean;
};

async function page(
  viewer: (typeof VIEWERS)[keyof typeof VIEWERS],
  variables: Record<string, unknown>,
): Promise<Page> {
  const res = await fx.run(viewer, PAGE, variables);
  expect(res.errors).toBeUndefined();
  return (res.data as { evaluations: Page }).evaluations;
}

const ranks = (p: Page) => p.items.map((i) => [i.schoolCode, i.score, i.rank]);

describe('evaluations for the bureau', () => {
  it('scores, ranks, a tie, a veto and the version of the period', async () => {
    const p = await page(VIEWERS.bureau, { period: '2025-10' });
    expect(p.schemeVersion).toBe('2025.2');
    expect(p.published).toBe(false);
    expect(p.total).toBe(4);
    expect(ranks(p)).toEqual([
      ['1000000001', 83.9, 1],
      ['1000000003', 0, 2],
      ['1000000004', 0, 2],
      ['1000000002', 90, 4],
    ]);
    const [first, , fourth, vetoed] = p.items as [Item, Item, Item, Item];
    expect(first.grade).toBe('GOOD');
    expect(first.indicators.map((i) => [i.key, i.points])).toEqual([
      ['coverage', 40],
      ['participation', 33.6],
      ['satisfaction', 13.3],
    ]);
    expect(first.deductions.map((d) => [d.key, d.points])).toEqual([['violations.major', 3]]);
    expect(first.indicators[1]?.evidence).toBe('参与 168 / 在校 200');
    expect(vetoed).toMatchObject({ grade: 'FAIL', vetoed: true, incomplete: true });
    expect(vetoed.vetoReason).toContain('发生安全责任事故');
    expect(vetoed.indicators[2]).toMatchObject({ insufficientData: true, points: 0, value: 50 });
    expect(fourth).toMatchObject({ grade: 'FAIL', incomplete: true, vetoed: false });
    expect(fourth.indicators[1]).toMatchObject({ insufficientData: true, value: null });
    expect(p.gradeCounts).toEqual([
      { grade: 'EXCELLENT', label: '优秀', schools: 0 },
      { grade: 'GOOD', label: '良好', schools: 1 },
      { grade: 'PASS', label: '合格', schools: 0 },
      { grade: 'FAIL', label: '不合格', schools: 3 },
    ]);
  });

  it('the change against the previous period, scored with its own version', async () => {
    const p = await page(VIEWERS.bureau, { period: '2025-10' });
    expect(p.items.map((i) => [i.schoolCode, i.previousScore, i.scoreChange])).toEqual([
      ['1000000001', 85, -1.1],
      ['1000000003', 72.5, -72.5],
      ['1000000004', 100, -100],
      ['1000000002', 95, -5],
    ]);
    const sep = await page(VIEWERS.bureau, { period: '2025-09' });
    expect(sep.schemeVersion).toBe('2025.1');
  });

  it('lends a previous score only to a school that reported in the previous period', async () => {
    // 2024-2025 has one report (东城第一小学, 2024-10): the other three schools were never
    // asked about then, so they have no previous score rather than a rise from 0.
    const year = await page(VIEWERS.bureau, { period: '2025-2026' });
    const withPrevious = year.items.filter((i) => i.previousScore !== null);
    expect(withPrevious.map((i) => i.schoolCode)).toEqual(['1000000001']);
    expect(year.items.filter((i) => i.scoreChange !== null)).toHaveLength(1);
    // 2023-2024 has no report at all: nothing is evaluated.
    const empty = await page(VIEWERS.bureau, { period: '2023-2024' });
    expect([empty.total, empty.items.length]).toEqual([0, 0]);
  });

  it('peer groups of one school have no median; the district median is over measured schools', async () => {
    const p = await page(VIEWERS.bureau, { period: '2025-10' });
    const participation = p.items[0]?.indicators[1];
    expect(participation?.peerMedianValue).toBeNull();
    // Participation measured at 0.84, 0.8 and 0 (西山九年一贯制学校 has none): median 0.8.
    expect(participation?.districtMedianValue).toBe(0.8);
  });

  it('pages with a cursor, filters by grade and by township (ranks within the filter)', async () => {
    const one = await page(VIEWERS.bureau, { period: '2025-10', first: 2 });
    expect(one.items.map((i) => i.schoolCode)).toEqual(['1000000001', '1000000003']);
    const two = await page(VIEWERS.bureau, { period: '2025-10', first: 2, after: one.endCursor });
    expect(two.items.map((i) => i.schoolCode)).toEqual(['1000000004', '1000000002']);
    expect(two.endCursor).toBeNull();
    const fail = await page(VIEWERS.bureau, { period: '2025-10', grade: 'FAIL' });
    expect(fail.total).toBe(3);
    expect(fail.gradeCounts.find((g) => g.grade === 'GOOD')?.schools).toBe(1);
    const west = await page(VIEWERS.bureau, { period: '2025-10', scope: { township: '西山乡' } });
    expect(ranks(west)).toEqual([
      ['1000000003', 0, 1],
      ['1000000004', 0, 1],
    ]);
  });

  it('refuses a bad period and a page too large', async () => {
    const bad = await fx.run(VIEWERS.bureau, PAGE, { period: '2025-2027' });
    expect(bad.errors?.[0]?.message).toContain('must be a month');
    const big = await fx.run(VIEWERS.bureau, PAGE, { period: '2025-10', first: 201 });
    expect(big.errors?.[0]?.message).toContain('first');
  });
});

describe('scoping by role', () => {
  it('a 责任督学 sees only the schools in their remit in the period, ranked among them', async () => {
    // 西山中学 passes from DX01 to DX02 in 2025-10 (督学挂牌.csv).
    const dx01 = await page(VIEWERS.dx01, { period: '2025-10' });
    expect(ranks(dx01)).toEqual([['1000000001', 83.9, 1]]);
    const dx02 = await page(VIEWERS.dx02, { period: '2025-10' });
    expect(ranks(dx02)).toEqual([
      ['1000000003', 0, 1],
      ['1000000004', 0, 1],
      ['1000000002', 90, 3],
    ]);
    expect(dx02.gradeCounts.find((g) => g.grade === 'FAIL')?.schools).toBe(3);
    // Over the semester, DX01 had 西山中学 in September.
    const autumn = await page(VIEWERS.dx01, { period: '2025-2026-1' });
    expect(autumn.items.map((i) => i.schoolCode)).toEqual(['1000000001', '1000000003']);
  });

  it('a 督学 without an inspector ID sees nothing; leadership sees the district', async () => {
    expect((await page(VIEWERS.unlinked, { period: '2025-10' })).total).toBe(0);
    expect((await page(VIEWERS.leader, { period: '2025-10' })).total).toBe(4);
  });

  it('a school outside the scope is null, with no error, on the card and the peer comparison', async () => {
    const CARD = `query Card($code: String!) {
      schoolEvaluation(code: $code, period: "2025-10") { schoolCode score rank }
      peerComparison(code: $code, period: "2025-10") { schoolCode peerGroup peerGroupSize
        figures { key value peerMedian districtMedian } }
    }`;
    for (const code of ['1000000002', '1000000003']) {
      const hidden = await fx.run(VIEWERS.dx01, CARD, { code });
      expect(hidden.errors).toBeUndefined();
      expect(hidden.data).toEqual({ schoolEvaluation: null, peerComparison: null });
    }
    const missing = await fx.run(VIEWERS.bureau, CARD, { code: '9999999999' });
    expect(missing.data).toEqual({ schoolEvaluation: null, peerComparison: null });
    const own = await fx.run(VIEWERS.dx02, CARD, { code: '1000000003' });
    expect(own.data?.schoolEvaluation).toEqual({ schoolCode: '1000000003', score: 0, rank: 1 });
    expect(own.data?.peerComparison).toMatchObject({
      schoolCode: '1000000003',
      peerGroup: '初中·镇区',
      peerGroupSize: 1,
    });
  });
});

describe('one district evaluation per request', () => {
  it('a card and its peer comparison in one operation measure the district once', async () => {
    const card = await fx.run(
      VIEWERS.bureau,
      `{ schoolEvaluation(code: "1000000001", period: "2025-10") { score } }`,
    );
    const both = await fx.run(
      VIEWERS.bureau,
      `{ schoolEvaluation(code: "1000000001", period: "2025-10") { score }
         peerComparison(code: "1000000001", period: "2025-10") { peerGroup } }`,
    );
    expect(both.errors).toBeUndefined();
    expect(both.queries).toBe(card.queries);
  });
});

describe('summary and schemes', () => {
  it('grades by township and the movers, largest first', async () => {
    const res = await fx.run(
      VIEWERS.leader,
      `{ evaluationSummary(period: "2025-10") {
        period periodLabel schemeVersion published
        byTownship { township schools excellent good pass fail meanScore }
        risers { schoolCode change }
        fallers { schoolCode change previousScore score grade previousGrade }
      } }`,
    );
    expect(res.errors).toBeUndefined();
    const s = (res.data as { evaluationSummary: Record<string, unknown> }).evaluationSummary;
    expect(s.periodLabel).toBe('2025年10月');
    expect(s.byTownship).toEqual([
      {
        township: '东城镇',
        schools: 2,
        excellent: 0,
        good: 1,
        pass: 0,
        fail: 1,
        meanScore: (83.9 + 90) / 2,
      },
      { township: '西山乡', schools: 2, excellent: 0, good: 0, pass: 0, fail: 2, meanScore: 0 },
    ]);
    expect(s.risers).toEqual([]);
    expect(
      (s.fallers as { schoolCode: string; change: number }[]).map((f) => [f.schoolCode, f.change]),
    ).toEqual([
      ['1000000004', -100],
      ['1000000003', -72.5],
      ['1000000002', -5],
      ['1000000001', -1.1],
    ]);
  });

  it('lists the scheme versions, oldest first', async () => {
    const res = await fx.run(
      VIEWERS.bureau,
      '{ evaluationSchemes { version effectiveFrom maxScore } }',
    );
    expect(res.data).toEqual({
      evaluationSchemes: [
        { version: '2025.1', effectiveFrom: '2025-09', maxScore: 100 },
        { version: '2025.2', effectiveFrom: '2025-10', maxScore: 100 },
      ],
    });
  });
});
