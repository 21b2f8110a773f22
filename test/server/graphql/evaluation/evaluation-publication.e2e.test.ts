/**
 * Publishing the evaluation on the API fixture district with test/fixtures/evaluation/
 * test-scheme.yaml (scores by hand: evaluations.e2e.test.ts). 2025-10 as published:
 * 东城第一小学 83.9 (rank 1), 西山中学 0 and 西山九年一贯制学校 0 (tied, rank 2), 东城村小 90
 * but vetoed (rank 4).
 *
 * Then 西山中学's corrected 2025-10 report loads through the real ETL
 * (test/fixtures/evaluation/月报-更正-2025-10.csv: 开展天数 0 → 20). Live, its coverage is
 * 1 of 1 service month → 40 of 40; participation stays 0 of 200 pupils → 0 of 40;
 * satisfaction has no answers (not measured): (40 + 0) / 80 measured × 100 = 50.0, still
 * 不合格 (below 60). The published version must not move; republishing gives version 2
 * with 50.0, and version 1 stays readable as it was.
 */
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCode, loadPaths } from '../../../../etl/index.ts';
import { parsePeriod, type Period } from '../../../../server/db/calendar.ts';
import {
  schemeEngine,
  useEvaluationEngine,
  type EvaluationEngine,
} from '../../../../server/graphql/evaluation/evaluation-engine.ts';
import { forgetPublishedReads } from '../../../../server/graphql/evaluation/evaluation-publication.repository.ts';
import { PUBLISH_FORBIDDEN } from '../../../../server/graphql/evaluation/evaluation-publication.service.ts';
import { liveDistrictEvaluation } from '../../../../server/graphql/evaluation/evaluation.service.ts';
import { loadEvaluationScheme } from '../../../../server/policy/evaluation-scheme.ts';
import { loadPolicy } from '../../../../server/policy/policy.ts';
import {
  API_FIXTURE_POLICY,
  FIXTURE_LOADED_AT,
  openApiFixture,
  VIEWERS,
  type ApiFixture,
} from '../../../helpers/api-fixture.ts';
import { query } from '../../../helpers/with-warehouse.ts';
import { seedEvaluationExtras } from './evaluation-fixture.ts';

const fixture = (name: string) =>
  fileURLToPath(new URL(`../../../fixtures/evaluation/${name}`, import.meta.url));
const SCHEME = fixture('test-scheme.yaml');
const CORRECTION = fixture('月报-更正-2025-10.csv');
const PERIOD = '2025-10';
/** When the bureau publishes (the fixture's clock), and when it republishes. */
const FIRST_AT = new Date('2025-11-20T10:30:00+08:00');
const SECOND_AT = new Date('2025-11-21T09:00:00+08:00');

let fx: ApiFixture;
let before: EvaluationEngine | null;

beforeAll(async () => {
  fx = await openApiFixture({ now: FIRST_AT });
  await seedEvaluationExtras(fx.writer);
  before = useEvaluationEngine(schemeEngine(loadEvaluationScheme(SCHEME)));
}, 60_000);

afterAll(async () => {
  useEvaluationEngine(before);
  await fx.close();
});

const PAGE_FIELDS = `period periodLabel schemeVersion schemeName schemeSource published publishedAt
  publishedBy version total endCursor
  gradeCounts { grade label schools }
  items {
    schoolCode schoolName township stage locality peerGroup score grade gradeLabel
    rank peerRank peerGroupSize vetoed vetoReason incomplete excellentCapped
    previousScore previousGrade scoreChange
    indicators { key name points maxPoints value unit evidence insufficientData
      peerMedianPoints peerMedianValue districtMedianValue }
    deductions { key name points evidence }
  }`;

const PUBLISH = `mutation ($period: String!, $note: String) {
  publishEvaluation(period: $period, note: $note) { ${PAGE_FIELDS} } }`;
const PAGE = `query ($period: String!, $version: Int) {
  evaluations(period: $period, version: $version) { ${PAGE_FIELDS} } }`;
const SUMMARY = `query ($period: String!, $version: Int) {
  evaluationSummary(period: $period, version: $version) {
    period schemeVersion published version gradeCounts { grade schools }
    byTownship { township schools excellent good pass fail meanScore }
    risers { schoolCode change } fallers { schoolCode change } } }`;
const VERSIONS = `query ($period: String!) {
  evaluationVersions(period: $period) {
    period version schemeVersion publishedAt publishedBy note schools current } }`;

interface Item {
  schoolCode: string;
  score: number;
  grade: string;
  rank: number;
}
interface Page {
  published: boolean;
  version: number | null;
  publishedAt: string | null;
  publishedBy: string | null;
  schemeVersion: string;
  total: number;
  items: Item[];
}

type Viewer = (typeof VIEWERS)[keyof typeof VIEWERS];

async function ok<T>(viewer: Viewer, document: string, variables: Record<string, unknown>) {
  const res = await fx.run(viewer, document, variables);
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data as T;
}
const page = async (variables: Record<string, unknown>, viewer: Viewer = VIEWERS.bureau) =>
  (await ok<{ evaluations: Page }>(viewer, PAGE, variables)).evaluations;
const ranks = (p: Page) => p.items.map((i) => [i.schoolCode, i.score, i.grade, i.rank]);

const AS_PUBLISHED = [
  ['1000000001', 83.9, 'GOOD', 1],
  ['1000000003', 0, 'FAIL', 2],
  ['1000000004', 0, 'FAIL', 2],
  ['1000000002', 90, 'FAIL', 4],
];

async function publications(): Promise<number> {
  const [row] = await query(fx.warehouse, `SELECT count(*) AS n FROM evaluation_publications`);
  return Number(row?.n);
}

async function loadCorrection(): Promise<void> {
  const summary = await fx.writer.exclusive(() =>
    loadPaths(fx.warehouse, [CORRECTION], { user: 'test', now: FIXTURE_LOADED_AT }),
  );
  expect(exitCode(summary), JSON.stringify(summary.files.map((f) => f.error))).toBe(0);
  expect(summary.files[0]?.changes).toMatchObject({ unitsNew: 0, unitsReplaced: 1 });
}

// The tests run in order: each builds on the publications of the one before.
describe('publishing an evaluation', () => {
  let published: string;
  let summaryV1: string;

  it('nothing is published at first: evaluations answers live figures, no versions', async () => {
    const live = await page({ period: PERIOD });
    expect(live).toMatchObject({ published: false, version: null, publishedAt: null });
    expect(ranks(live)).toEqual(AS_PUBLISHED);
    expect(await ok(VIEWERS.bureau, VERSIONS, { period: PERIOD })).toEqual({
      evaluationVersions: [],
    });
  });

  it('a 责任督学, leadership and an unlinked account may not publish; nothing is written', async () => {
    for (const viewer of [VIEWERS.dx02, VIEWERS.dx01, VIEWERS.leader, VIEWERS.unlinked]) {
      const res = await fx.run(viewer, PUBLISH, { period: PERIOD });
      expect(res.data, viewer.username).toBeNull();
      expect(res.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([
        ['FORBIDDEN', PUBLISH_FORBIDDEN],
      ]);
    }
    expect(PUBLISH_FORBIDDEN).toBe(
      '只有教育局督导可以发布考核结果 / only bureau inspectors may publish an evaluation',
    );
    expect(await publications()).toBe(0);
    expect(
      await query(
        fx.warehouse,
        `SELECT username, outcome FROM audit_log WHERE action = 'evaluation.publish' ORDER BY audit_id`,
      ),
    ).toEqual(
      ['dx02', 'dx01', 'leader', 'nobody'].map((username) => ({ username, outcome: 'denied' })),
    );
  });

  it('refuses a bad period and a period not over yet (the clock is 2025-11-20)', async () => {
    const bad = await fx.run(VIEWERS.bureau, PUBLISH, { period: '2025-13' });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    for (const [period, message] of [
      ['2025-11', '2025年11月尚未结束（截至 2025-11），不能发布考核结果'],
      ['2025-2026-1', '2025-2026学年第一学期尚未结束（截至 2026-01），不能发布考核结果'],
    ] as const) {
      const early = await fx.run(VIEWERS.bureau, PUBLISH, { period });
      expect(early.errors?.[0]?.extensions?.code, period).toBe('BAD_USER_INPUT');
      expect(early.errors?.[0]?.message, period).toContain(message);
    }
    expect(await publications()).toBe(0);
  });

  it('the bureau publishes: version 1, who and when, and evaluations answers it', async () => {
    const res = await ok<{ publishEvaluation: Page }>(VIEWERS.bureau, PUBLISH, {
      period: PERIOD,
      note: '  2025年10月考核结果  ',
    });
    const answer = res.publishEvaluation;
    expect(answer).toMatchObject({
      published: true,
      version: 1,
      publishedAt: '2025-11-20T10:30:00+08:00',
      publishedBy: 'bureau',
      schemeVersion: '2025.2',
      total: 4,
    });
    expect(ranks(answer)).toEqual(AS_PUBLISHED);
    const read = await page({ period: PERIOD });
    expect(read).toEqual(answer);
    published = JSON.stringify(read);
    summaryV1 = JSON.stringify(await ok(VIEWERS.leader, SUMMARY, { period: PERIOD }));
    expect(JSON.parse(summaryV1)).toMatchObject({
      evaluationSummary: { published: true, version: 1 },
    });
    expect(await ok(VIEWERS.leader, VERSIONS, { period: PERIOD })).toEqual({
      evaluationVersions: [
        {
          period: PERIOD,
          version: 1,
          schemeVersion: '2025.2',
          publishedAt: '2025-11-20T10:30:00+08:00',
          publishedBy: 'bureau',
          note: '2025年10月考核结果',
          schools: 4,
          current: true,
        },
      ],
    });
    // A 责任督学 reads the publication narrowed to their remit, ranks among their schools.
    const dx01 = await page({ period: PERIOD }, VIEWERS.dx01);
    expect(dx01).toMatchObject({ published: true, version: 1, total: 1 });
  });

  it('a corrected report loaded later leaves the publication unchanged, byte for byte', async () => {
    await loadCorrection();
    forgetPublishedReads(); // read the stored rows again, not the copy in memory
    expect(JSON.stringify(await page({ period: PERIOD }))).toBe(published);
    expect(JSON.stringify(await page({ period: PERIOD, version: 1 }))).toBe(published);
    expect(JSON.stringify(await ok(VIEWERS.leader, SUMMARY, { period: PERIOD }))).toBe(summaryV1);
    // The live evaluation follows the warehouse: 西山中学 now served its month.
    const live = await liveDistrictEvaluation(
      fx.warehouse.db,
      loadPolicy(API_FIXTURE_POLICY),
      parsePeriod(PERIOD) as Period,
    );
    expect(live.publication).toBeNull();
    expect(live.schools.find((s) => s.schoolCode === '1000000003')).toMatchObject({
      score: 50,
      grade: 'FAIL',
    });
  });

  it('republishing is version 2 with the corrected figures; version 1 stays readable', async () => {
    fx.setNow(SECOND_AT);
    const res = await ok<{ publishEvaluation: Page }>(VIEWERS.bureau, PUBLISH, {
      period: PERIOD,
      note: '西山中学10月月报更正后重新发布',
    });
    expect(res.publishEvaluation).toMatchObject({
      published: true,
      version: 2,
      publishedAt: '2025-11-21T09:00:00+08:00',
    });
    expect(ranks(res.publishEvaluation)).toEqual([
      ['1000000001', 83.9, 'GOOD', 1],
      ['1000000003', 50, 'FAIL', 2],
      ['1000000004', 0, 'FAIL', 3],
      ['1000000002', 90, 'FAIL', 4],
    ]);
    expect(await page({ period: PERIOD })).toEqual(res.publishEvaluation);
    expect(JSON.stringify(await page({ period: PERIOD, version: 1 }))).toBe(published);
    expect(JSON.stringify(await ok(VIEWERS.leader, SUMMARY, { period: PERIOD, version: 1 }))).toBe(
      summaryV1,
    );
    const versions = await ok<{ evaluationVersions: Record<string, unknown>[] }>(
      VIEWERS.dx02,
      VERSIONS,
      { period: PERIOD },
    );
    expect(
      versions.evaluationVersions.map((v) => [v.version, v.current, v.note, v.publishedAt]),
    ).toEqual([
      [2, true, '西山中学10月月报更正后重新发布', '2025-11-21T09:00:00+08:00'],
      [1, false, '2025年10月考核结果', '2025-11-20T10:30:00+08:00'],
    ]);
    const missing = await fx.run(VIEWERS.bureau, PAGE, { period: PERIOD, version: 3 });
    expect(missing.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // Other periods are not published by publishing 2025-10.
    expect((await page({ period: '2025-09' })).published).toBe(false);
  });

  it('audits each publish with counts only and logs one structured line', async () => {
    expect(
      await query(
        fx.warehouse,
        `SELECT username, target, outcome, detail FROM audit_log
         WHERE action = 'evaluation.publish' AND outcome = 'ok' ORDER BY audit_id`,
      ),
    ).toEqual([
      {
        username: 'bureau',
        target: 'evaluation:2025-10:v1',
        outcome: 'ok',
        detail: JSON.stringify({ period: PERIOD, version: 1, schemeVersion: '2025.2', schools: 4 }),
      },
      {
        username: 'bureau',
        target: 'evaluation:2025-10:v2',
        outcome: 'ok',
        detail: JSON.stringify({ period: PERIOD, version: 2, schemeVersion: '2025.2', schools: 4 }),
      },
    ]);
    // The log line, captured from a logger of our own.
    const lines: string[] = [];
    const log = pino(
      { level: 'info' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString('utf8'));
          done();
        },
      }),
    );
    const response = await fx.apollo.executeOperation(
      { query: PUBLISH, variables: { period: PERIOD } },
      {
        contextValue: {
          viewer: VIEWERS.bureau,
          db: fx.warehouse.db,
          writer: fx.writer,
          log,
          policy: loadPolicy(API_FIXTURE_POLICY),
          now: () => SECOND_AT,
        },
      },
    );
    expect(response.body.kind === 'single' && response.body.singleResult.errors).toBeFalsy();
    const published = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      level: 30,
      msg: 'evaluation published',
      event: 'evaluation.publish',
      outcome: 'ok',
      user: 'bureau',
      period: PERIOD,
      version: 3,
      schemeVersion: '2025.2',
      schools: 4,
    });
    // No school and no figure of a school in the log.
    expect(lines.join('')).not.toMatch(/1000000|东城|西山|83\.9/u);
  });
});
