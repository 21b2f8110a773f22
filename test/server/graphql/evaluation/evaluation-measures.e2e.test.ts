/**
 * The measuring SQL on the API fixture district (test/fixtures/api), every figure summed
 * by hand from the fixture's rows: 2025-10 (one service month) and the autumn semester
 * 2025-2026-1 (service months 2025-09 … 2026-01, of which the fixture reports two).
 * Seeded on top: rectification deadlines, visits with and without a finding, a load reject.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePeriod, type Period } from '../../../../server/db/calendar.ts';
import { measureSchools } from '../../../../server/graphql/evaluation/evaluation-measures.repository.ts';
import type { SchoolFacts } from '../../../../server/graphql/evaluation/evaluation.types.ts';
import { loadPolicy } from '../../../../server/policy/policy.ts';
import {
  API_FIXTURE_POLICY,
  openApiFixture,
  type ApiFixture,
} from '../../../helpers/api-fixture.ts';
import { seedEvaluationExtras } from './evaluation-fixture.ts';

let fx: ApiFixture;
const policy = loadPolicy(API_FIXTURE_POLICY);
const OCT = parsePeriod('2025-10') as Period;
const SEP = parsePeriod('2025-09') as Period;
const AUTUMN = parsePeriod('2025-2026-1') as Period;
let byPeriod: Map<string, SchoolFacts[]>;

function school(period: Period, code: string): SchoolFacts {
  const found = byPeriod.get(period.key)?.find((s) => s.schoolCode === code);
  if (!found) throw new Error(`${code} not measured in ${period.key}`);
  return found;
}

beforeAll(async () => {
  fx = await openApiFixture();
  await seedEvaluationExtras(fx.writer);
  byPeriod = await measureSchools(fx.warehouse.db, policy, [OCT, SEP, AUTUMN]);
}, 60_000);

afterAll(async () => {
  await fx.close();
});

describe('measures of 2025-10 (one service month)', () => {
  it('measures every school of the district, ordered by code', () => {
    expect(byPeriod.get(OCT.key)?.map((s) => s.schoolCode)).toEqual([
      '1000000001',
      '1000000002',
      '1000000003',
      '1000000004',
    ]);
  });

  it('东城第一小学: participation, demand, 5+2, priority gap, parents, timeliness', () => {
    const m = school(OCT, '1000000001').measures;
    // Grades 1 and 2: participants 78 + 90, enrolled 100 + 100, applicants 80 + 90.
    expect(m.participation).toEqual({
      value: 168 / 200,
      unit: 'RATE',
      base: 200,
      evidence: '参与 168 / 在校 200',
    });
    expect(m.demand_met.value).toBeCloseTo(168 / 170, 12);
    expect(m.demand_met.evidence).toBe('参与 168 / 报名 170');
    // 20 of 20 days, 120 minutes ≥ 120.
    expect(m.five_plus_two).toMatchObject({ value: 1, base: 1 });
    expect(m.coverage).toMatchObject({ value: 1, base: 1, evidence: '开展服务 1 / 应服务 1 个月' });
    // Left-behind 14 / 20 = 70 % against 84 %: −14 points (migrant 15/20 = 75 %, disabled
    // and poor enrol fewer than 20).
    expect(m.priority_equity.value).toBeCloseTo(0.7 - 0.84, 12);
    expect(m.priority_equity.base).toBe(20);
    expect(m.priority_equity.evidence).toBe('留守儿童参与率 70.0% / 全校 84.0%（-14.0 个百分点）');
    // Parents' overall answers in October: 非常满意, 满意, 不满意 → 100, 75, 25.
    expect(m.satisfaction).toEqual({
      value: 200 / 3,
      unit: 'SCORE',
      base: 3,
      evidence: '家长答卷 3 份，平均 66.7 分',
    });
    // Loaded 2025-11-20, after the 2025-11-05 deadline.
    expect(m.timeliness).toMatchObject({ value: 0, base: 1 });
    // One report row and two grade rows, nothing rejected.
    expect(m.data_quality).toMatchObject({ value: 0, base: 3, evidence: '退回 0 / 共 3 行' });
  });

  it('rectification on time: deadlines in the period, rectified by them; dismissed flags left out', () => {
    const m = school(OCT, '1000000001').measures;
    expect(m.rectification_on_time).toEqual({
      value: 1 / 3,
      unit: 'RATE',
      base: 3,
      evidence: '按期整改 1 / 到期 3 条',
    });
  });

  it('visits without a finding, a load reject, flags by code and rule', () => {
    const f = school(OCT, '1000000002');
    expect(f.measures.visit_findings).toMatchObject({ value: 1 / 2, base: 2 });
    expect(f.measures.visit_findings.evidence).toBe('未发现问题 1 / 督导 2 次');
    // One report row, one grade row, one rejected row of the report file.
    expect(f.measures.data_quality).toMatchObject({ value: 1 / 3, base: 3 });
    // 18 of 20 days: SHORT_SERVICE raised by the load; the visit's SAFETY finding too.
    expect(f.measures.five_plus_two.value).toBe(0);
    expect(f.flagCounts).toMatchObject({ SHORT_SERVICE: 1, 'SHORT_SERVICE.days': 1 });
    expect(f.flagCounts.SAFETY_INCIDENT).toBe(1);
    // The seeded flags of 东城第一小学: three LATE_END in October, the dismissed one not counted.
    expect(school(OCT, '1000000001').flagCounts).toEqual({
      LATE_END: 3,
      'LATE_END.cap': 3,
      PRIORITY_GAP: 1,
      'PRIORITY_GAP.left_behind': 1,
    });
  });

  it('marks what a school has no data for: null values, base 0', () => {
    const m = school(OCT, '1000000004').measures; // no October report or participation
    expect(m.coverage).toMatchObject({ value: 0, base: 1 });
    expect(m.five_plus_two).toMatchObject({ value: null, base: 0 });
    expect(m.participation).toMatchObject({ value: null, base: 0 });
    expect(m.satisfaction).toMatchObject({
      value: null,
      base: 0,
      evidence: '无家长总体满意度答卷',
    });
    expect(m.priority_equity.value).toBeNull();
    // 西山中学 reported no service: coverage 0, participation 0 of 200, demand unmeasured.
    const x = school(OCT, '1000000003').measures;
    expect(x.coverage.value).toBe(0);
    expect(x.participation).toMatchObject({ value: 0, base: 200 });
    expect(x.demand_met).toMatchObject({ value: null, base: 0 });
  });
});

describe('measures of a semester: sums over its service months', () => {
  it('coverage and timeliness over the five service months, rates of summed counts', () => {
    const m = school(AUTUMN, '1000000001').measures;
    // Service months 2025-09, -10, -11, -12, 2026-01; reports in two of them.
    expect(m.coverage).toMatchObject({ value: 2 / 5, base: 5 });
    expect(m.timeliness).toMatchObject({ value: 0, base: 5 });
    // September: 16 of 16 days but 110 minutes < 120; October meets 5+2.
    expect(m.five_plus_two).toMatchObject({ value: 1 / 2, base: 2 });
    // (70 + 78 + 90) / (100 + 100 + 100), never the mean of 70 % and 84 %.
    expect(m.participation).toMatchObject({ value: 238 / 300, base: 300 });
    // Parents' answers of September and October: only October's three.
    expect(m.satisfaction.base).toBe(3);
  });

  it('the priority-group size test is per month: 30 left-behind pupils over 2 months is 15 a month', () => {
    const m = school(AUTUMN, '1000000004').measures;
    // 西山九年一贯制学校: only September, 5 left-behind pupils: no group large enough.
    expect(m.priority_equity.value).toBeNull();
    const d = school(AUTUMN, '1000000002').measures;
    // 东城村小: left-behind (15 + 10) / (20 + 20) = 62.5 % against (45 + 40) / 100 = 85 %.
    expect(d.priority_equity.value).toBeCloseTo(0.625 - 0.85, 12);
  });

  it('answers in one statement', async () => {
    const statements: string[] = [];
    const db = fx.warehouse.db.withPlugin({
      transformQuery(args) {
        statements.push(args.node.kind);
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    await measureSchools(db, policy, [AUTUMN, parsePeriod('2024-2025-2') as Period]);
    expect(statements).toHaveLength(1);
  });

  it('a period without service months measures nobody', async () => {
    const august = await measureSchools(fx.warehouse.db, policy, [
      parsePeriod('2025-08') as Period,
    ]);
    expect(august.get('2025-08')).toEqual([]);
    const rows = await sql<{ n: number }>`SELECT count(*)::INTEGER AS n FROM schools`.execute(
      fx.warehouse.db,
    );
    expect(rows.rows[0]?.n).toBe(4);
  });
});
