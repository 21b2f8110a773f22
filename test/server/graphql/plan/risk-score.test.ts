/**
 * The risk score on a small hand-built district (month 2026-03, judged on 2026-03-31, the
 * default visit_plan weights): every school's points, order and reason texts below are
 * computed by hand from the rows inserted here.
 *
 * 甲 9000000001: 2 open flags (2 × 2 = 4), 1 of them overdue 11 days (1 × 3), 2 complaints in
 *   2026-01..03 (2 × 3 = 6; one of 2025-12 is too old, one closed as not borne out does not
 *   count), last visit 2025-12-10: 3 whole months (3 × 1) → 16, HIGH.
 * 乙 9000000002: parents 87.5 → 62.5 (−25 ≥ 5: 2), participation 90 % → 75 % (−15 ≥ 10: 2),
 *   留守儿童 50 % vs 75 % (gap 25 > 10: 2; 残疾儿童 exactly 10 below is not over; 随迁子女 has
 *   10 pupils, under min_group_enrolled 20), 2 open doubts (2 × 1), visited this month → 8,
 *   MEDIUM.
 * 丙 9000000003: participation 90 % → 80 % (exactly 10 points: 2), never visited (6) → 8,
 *   MEDIUM; tied with 乙, after it by school code.
 * 戊 9000000006: last visit 2025-01-15, 14 months, capped at 6 → 6, MEDIUM.
 * 丁 9000000004: visited 2026-03-20 (a visit on 2026-04-02 is after the day judged), parents
 *   −3.125 and participation −2 points, both under their thresholds → 0, LOW.
 * 己 9000000005 closed on 2026-01-01: not in the month's plan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWarehouse, type Warehouse } from '../../../../server/db/connect.ts';
import { riskScores, wholeMonths } from '../../../../server/graphql/plan/risk-score.ts';
import { DEFAULT_PARAMETERS } from '../../../../server/policy/policy.schema.ts';
import { loadPolicy, policyFor, type DistrictPolicy } from '../../../../server/policy/policy.ts';
import { API_FIXTURE_POLICY } from '../../../helpers/api-fixture.ts';
import { query } from '../../../helpers/with-warehouse.ts';

const MONTH = '2026-03';
const AS_OF = '2026-03-31';

let warehouse: Warehouse;
let policy: DistrictPolicy;

const q = (text: string) => query(warehouse, text);

function school(code: string, name: string, validTo: string | null = null): string {
  return `('${code}', '${name}', '东城镇', 'primary', 'urban', 'public', FALSE, 30, NULL,
    ${validTo === null ? 'NULL' : `'${validTo}'`}, NULL, 1, NULL, NULL)`;
}

function participation(code: string, month: string, e: number, p: number, groups: number[] = []) {
  const [lbE = 0, lbP = 0, mE = 0, mP = 0, dE = 0, dP = 0] = groups;
  return `('${code}', '${month}', 6, ${e}, ${e}, ${p}, ${lbE}, ${lbP}, ${mE}, ${mP}, ${dE}, ${dP}, 0, 0, NULL, NULL)`;
}

function flag(code: string, month: string, status: string, deadline: string | null = null) {
  return `('${code}', '${month}', 'LATE_END', 'LATE_END.cap', 'report', '${status}', '结束时间过晚',
    'system', ${deadline === null ? 'NULL' : `'${deadline}'`})`;
}

function complaint(code: string, on: string, substantiated: boolean | null = null) {
  const status = substantiated === null ? 'RECEIVED' : 'CLOSED';
  return `('${code}', 'HOTLINE_12345', 'ILLEGAL_FEES', '${on}', '${on.slice(0, 7)}', '收费',
    '${status}', '${on}', ${substantiated === null ? 'NULL' : substantiated}, 1, 'bureau')`;
}

function doubt(code: string, month: string, status: string, rule = 'MONTH_JUMP.participants') {
  return `('${code}', '${month}', '${rule}', 'participants', '参与人数突变',
    'participants jumped', '${status}')`;
}

function visit(code: string, date: string) {
  return `('${code}', '${date}', 'ROUTINE', 1, 'dx', '督学', '无')`;
}

let responseNo = 0;
/** Parents' (or students') overall answers of one month, and a non-overall answer of 1 each. */
function survey(code: string, month: string, scores: number[], respondent = 'parent'): string[] {
  return scores.flatMap((score) => {
    responseNo += 1;
    return [
      `INSERT INTO survey_responses VALUES (1, ${responseNo}, '${code}', '${respondent}', NULL, '${month}', NULL, NULL)`,
      `INSERT INTO survey_answers VALUES (1, ${responseNo}, 1, ${score}), (1, ${responseNo}, 2, 1)`,
    ];
  });
}

beforeAll(async () => {
  warehouse = await openWarehouse(':memory:');
  policy = loadPolicy(API_FIXTURE_POLICY);
  const statements = [
    `INSERT INTO schools VALUES ${[
      school('9000000001', '甲小学'),
      school('9000000002', '乙小学'),
      school('9000000003', '丙中学'),
      school('9000000004', '丁中学'),
      school('9000000005', '己小学', '2026-01-01'),
      school('9000000006', '戊小学'),
    ].join(', ')}`,
    `INSERT INTO flags (school_code, month, code, rule, source, status, detail, raised_by,
      rectify_deadline) VALUES ${[
        flag('9000000001', '2026-02', 'OPEN'),
        flag('9000000001', '2026-03', 'RECTIFYING', '2026-03-20'),
        flag('9000000001', '2026-01', 'CLOSED'),
        flag('9000000001', '2026-04', 'OPEN'),
        flag('9000000005', '2026-03', 'OPEN'),
      ].join(', ')}`,
    `INSERT INTO complaints (school_code, source, flag_code, received_on, month, allegation,
      status, deadline, substantiated, created_by_user_id, created_by) VALUES ${[
        complaint('9000000001', '2026-01-15'),
        complaint('9000000001', '2026-03-05'),
        complaint('9000000001', '2025-12-20'),
        complaint('9000000001', '2026-02-10', false),
      ].join(', ')}`,
    `INSERT INTO data_doubts (school_code, month, rule, measure, detail, detail_en, status)
      VALUES ${[
        doubt('9000000002', '2026-03', 'OPEN'),
        doubt('9000000002', '2026-02', 'CORRECTION_REQUESTED'),
        doubt('9000000002', '2026-02', 'VERIFIED', 'ROUND_COUNTS.report'),
      ].join(', ')}`,
    `INSERT INTO visits (school_code, visit_date, kind, user_id, username, user_name, findings)
      VALUES ${[
        visit('9000000001', '2025-12-10'),
        visit('9000000002', '2026-03-05'),
        visit('9000000004', '2026-03-20'),
        visit('9000000004', '2026-04-02'),
        visit('9000000006', '2025-01-15'),
      ].join(', ')}`,
    `INSERT INTO participation_monthly VALUES ${[
      participation('9000000002', '2026-02', 200, 180),
      // 留守儿童 20/40, 随迁子女 0/10 (too few to judge), 残疾儿童 13/20 (exactly 10 below).
      participation('9000000002', '2026-03', 200, 150, [40, 20, 10, 0, 20, 13]),
      participation('9000000003', '2026-02', 100, 90),
      participation('9000000003', '2026-03', 100, 80),
      participation('9000000004', '2026-02', 100, 90),
      participation('9000000004', '2026-03', 100, 88),
    ].join(', ')}`,
    `INSERT INTO survey_items VALUES (1, 1, '总体满意度', TRUE), (1, 2, '收费', FALSE)`,
    ...survey('9000000002', '2026-01', [5, 5, 4, 4]),
    ...survey('9000000002', '2026-03', [4, 4, 3, 3]),
    // Students are not parents: their low scores do not move the parents' figure.
    ...survey('9000000002', '2026-03', [1, 1], 'student'),
    ...survey('9000000004', '2026-02', [4, 4]),
    // 丁: 75 → 71.875, a fall of 3.125 points, under the 5 that count.
    ...survey('9000000004', '2026-03', [4, 4, 4, 4, 4, 4, 4, 3]),
  ];
  for (const s of statements) await q(s);
});

afterAll(async () => {
  await warehouse.close();
});

describe('riskScores', () => {
  it('uses the default visit_plan weights (the figures below are computed with them)', () => {
    expect(policyFor(policy, MONTH).visit_plan).toEqual(DEFAULT_PARAMETERS.visit_plan);
    expect(policyFor(policy, MONTH).priority_gap).toEqual({
      max_gap_points: 10,
      min_group_enrolled: 20,
    });
  });

  it('ranks the month’s schools with hand-computed scores, bands and reasons', async () => {
    const scores = await riskScores(warehouse.db, policy, MONTH, null, { asOf: AS_OF });
    expect(scores.map((s) => [s.schoolCode, s.score, s.band])).toEqual([
      ['9000000001', 16, 'HIGH'],
      ['9000000002', 8, 'MEDIUM'],
      ['9000000003', 8, 'MEDIUM'],
      ['9000000006', 6, 'MEDIUM'],
      ['9000000004', 0, 'LOW'],
    ]);
    const reasons = Object.fromEntries(
      scores.map((s) => [s.schoolCode, s.reasons.map((r) => [r.code, r.points, r.text])]),
    );
    expect(reasons['9000000001']).toEqual([
      ['COMPLAINT', 6, '2026年1月至2026年3月收到投诉举报 2 件'],
      ['OPEN_FLAG', 4, '有 2 条违规预警未办结'],
      ['OVERDUE_FLAG', 3, '1 条违规预警整改已逾期，最长逾期 11 天'],
      ['UNVISITED', 3, '上次走访为 2025-12-10，距今 3 个月'],
    ]);
    expect(reasons['9000000002']).toEqual([
      ['SATISFACTION_DROP', 2, '家长满意度2026年3月为 62.5 分，较2026年1月的 87.5 分下降 25.0 分'],
      [
        'PARTICIPATION_DROP',
        2,
        '学生参与率2026年3月为 75.0%，较2026年2月的 90.0% 下降 15.0 个百分点',
      ],
      ['PRIORITY_GAP', 2, '2026年3月留守儿童参与率 50.0%，低于全校 75.0% 超过 10 个百分点'],
      ['OPEN_DOUBT', 2, '有 2 个数据疑点待核实或待更正'],
    ]);
    expect(reasons['9000000003']).toEqual([
      ['UNVISITED', 6, '没有走访记录（按 6 个月计）'],
      [
        'PARTICIPATION_DROP',
        2,
        '学生参与率2026年3月为 80.0%，较2026年2月的 90.0% 下降 10.0 个百分点',
      ],
    ]);
    expect(reasons['9000000006']).toEqual([
      ['UNVISITED', 6, '上次走访为 2025-01-15，距今 14 个月（按 6 个月计）'],
    ]);
    expect(reasons['9000000004']).toEqual([]);
    expect(scores[0]?.reasons[0]?.label).toBe('投诉举报');
    expect(scores.find((s) => s.schoolCode === '9000000004')?.lastVisit).toBe('2026-03-20');
  });

  it('scores only the schools it is given', async () => {
    const some = await riskScores(warehouse.db, policy, MONTH, ['9000000004', '9000000003'], {
      asOf: AS_OF,
    });
    expect(some.map((s) => [s.schoolCode, s.score])).toEqual([
      ['9000000003', 8],
      ['9000000004', 0],
    ]);
    expect(await riskScores(warehouse.db, policy, MONTH, [], { asOf: AS_OF })).toEqual([]);
  });

  it('judges a past month on its last day', async () => {
    // 2026-02's plan (judged 2026-02-28): complaints of 2025-12..2026-02 (2), 甲's flag of
    // 2026-03 not counted (nor its deadline), last visit 2 whole months before.
    const [first] = await riskScores(warehouse.db, policy, '2026-02', ['9000000001'], {
      now: new Date('2026-05-01T04:00:00Z'),
    });
    expect(first?.reasons.map((r) => [r.code, r.points])).toEqual([
      ['COMPLAINT', 6],
      ['OPEN_FLAG', 2],
      ['UNVISITED', 2],
    ]);
  });
});

describe('wholeMonths', () => {
  it('counts whole months between two days', () => {
    expect(wholeMonths('2025-12-10', '2026-03-31')).toBe(3);
    expect(wholeMonths('2025-12-31', '2026-03-30')).toBe(2);
    expect(wholeMonths('2026-03-05', '2026-03-31')).toBe(0);
  });
});
