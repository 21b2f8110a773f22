/**
 * Scores computed by hand from test/fixtures/evaluation/scoring-scheme.yaml: participation
 * linear 0.3 → 0.8 for 40 points, satisfaction thresholds (≥90: 30, ≥80: 20, ≥60: 10; at
 * least 10 answers), data quality lower-is-better 0.1 → 0 for 10, timeliness linear
 * 0.5 → 1 for 20; COLLECTIVE_TEACHING 5 a flag (cap 10), LATE_END 1 a flag (cap 3), all
 * deductions capped at 12; bands 85 / 75 / 60; at most 40 % 优秀. Version 2025.1 moves
 * 10 points from participation (30) to satisfaction (40: ≥90 40, ≥80 30, ≥60 15).
 */
import { describe, expect, it } from 'vitest';
import { parsePeriod } from '../../../../server/db/calendar.ts';
import {
  GRADE_LABELS,
  indicatorPoints,
  median,
  peerGroupOf,
  rankCompetition,
  schemeInfo,
  scoreSchool,
  scoreSchools,
} from '../../../../server/graphql/evaluation/evaluation-scoring.ts';
import {
  MEASURE_KEYS,
  type MeasureKey,
  type Measured,
  type SchoolFacts,
} from '../../../../server/graphql/evaluation/evaluation.types.ts';
import {
  loadEvaluationScheme,
  schemeFor,
  type SchemeVersion,
} from '../../../../server/policy/evaluation-scheme.ts';

const scheme = loadEvaluationScheme(
  new URL('../../../fixtures/evaluation/scoring-scheme.yaml', import.meta.url).pathname,
);
const v2024 = scheme.versions[0] as SchemeVersion;
const v2025 = scheme.versions[1] as SchemeVersion;

interface Figures {
  participation?: number | null;
  satisfaction?: number | null;
  satisfactionAnswers?: number;
  data_quality?: number | null;
  timeliness?: number | null;
}

function facts(code: string, f: Figures, flagCounts: Record<string, number> = {}): SchoolFacts {
  const measured = (value: number | null | undefined, base = 10): Measured => ({
    value: value ?? null,
    unit: 'RATE',
    base: value == null ? 0 : base,
    evidence: value == null ? '无数据' : `证据 ${value}`,
  });
  const measures = Object.fromEntries(MEASURE_KEYS.map((k) => [k, measured(null)])) as Record<
    MeasureKey,
    Measured
  >;
  measures.participation = measured(f.participation);
  measures.satisfaction = {
    ...measured(f.satisfaction, f.satisfactionAnswers ?? 50),
    unit: 'SCORE',
  };
  measures.data_quality = measured(f.data_quality);
  measures.timeliness = measured(f.timeliness);
  return {
    schoolCode: code,
    schoolName: `学校${code}`,
    township: '城关镇',
    stage: 'primary',
    locality: 'rural',
    measures,
    flagCounts,
  };
}

/** 20 + 20 + 8 + 16 = 64 under 2024.1. */
const middling: Figures = {
  participation: 0.55,
  satisfaction: 85,
  data_quality: 0.02,
  timeliness: 0.9,
};
/** Every indicator full: 40 + 30 + 10 + 20 = 100. */
const best: Figures = { participation: 0.95, satisfaction: 92, data_quality: 0, timeliness: 1 };

const points = (s: { indicators: Array<{ key: string; points: number }> }) =>
  Object.fromEntries(s.indicators.map((i) => [i.key, i.points]));

describe('scoreSchool', () => {
  it('scores each kind of rule by hand: linear, thresholds, lower is better, deductions', () => {
    const s = scoreSchool(v2024, facts('A', middling, { LATE_END: 2 }));
    // participation (0.55 − 0.3) / 0.5 × 40 = 20; satisfaction 85 ≥ 80 → 20;
    // data quality (0.1 − 0.02) / 0.1 × 10 = 8; timeliness (0.9 − 0.5) / 0.5 × 20 = 16.
    expect(points(s)).toEqual({
      participation: 20,
      satisfaction: 20,
      data_quality: 8,
      timeliness: 16,
    });
    expect(s.deductions).toEqual([
      {
        key: 'violations.minor',
        name: '一般违规',
        points: 2,
        evidence: '结束时间过晚 2 条；每条扣 1 分，本项最多扣 3 分',
      },
    ]);
    expect(s.earnedPoints).toBe(64);
    expect(s.score).toBe(62);
    expect(s.grade).toBe('PASS');
    expect(s.incomplete).toBe(false);
    expect(s.vetoed).toBe(false);
  });

  it('caps points at the weight past the full-point value', () => {
    const s = scoreSchool(v2024, facts('B', best));
    expect(points(s)).toEqual({
      participation: 40,
      satisfaction: 30,
      data_quality: 10,
      timeliness: 20,
    });
    expect(s.score).toBe(100);
    expect(s.grade).toBe('EXCELLENT');
  });

  it('rounds points to 0.1 and scores below the lowest threshold 0', () => {
    // (0.5123 − 0.3) / 0.5 × 40 = 16.984 → 17; satisfaction 59 is below every step;
    // data quality 0.2 is past the zero-point value (lower is better) → 0.
    const s = scoreSchool(
      v2024,
      facts('R', { participation: 0.5123, satisfaction: 59, data_quality: 0.2, timeliness: 0.5 }),
    );
    expect(points(s)).toEqual({
      participation: 17,
      satisfaction: 0,
      data_quality: 0,
      timeliness: 0,
    });
    expect(s.score).toBe(17);
    expect(s.grade).toBe('FAIL');
  });

  it('leaves an indicator without enough data out of the base and rescales', () => {
    // 5 answers < min_base 10: satisfaction is 数据不足, not 0 points against 30.
    // participation 0.8 → 40, data quality 0.05 → 5, timeliness 1 → 20: 65 of 70 → 92.857 → 92.9.
    const s = scoreSchool(
      v2024,
      facts('C', {
        participation: 0.8,
        satisfaction: 95,
        satisfactionAnswers: 5,
        data_quality: 0.05,
        timeliness: 1,
      }),
    );
    const sat = s.indicators.find((i) => i.key === 'satisfaction');
    expect(sat).toMatchObject({ points: 0, maxPoints: 30, value: 95, insufficientData: true });
    expect(s.earnedPoints).toBe(65);
    expect(s.measuredMaxPoints).toBe(70);
    expect(s.score).toBe(92.9);
    expect(s.incomplete).toBe(true);
    expect(s.tooLittleData).toBe(false);
    expect(s.grade).toBe('EXCELLENT');
  });

  it('grades a school with too little measurable at most 合格, and still 不合格 on bad evidence', () => {
    // Only participation (40 of 100 < 60 %) is measured: 40 / 40 → 100, graded 合格 at best.
    const good = scoreSchool(v2024, facts('G', { participation: 0.8 }));
    expect(good.score).toBe(100);
    expect(good.tooLittleData).toBe(true);
    expect(good.grade).toBe('PASS');
    const bad = scoreSchool(v2024, facts('H', { participation: 0.3 }));
    expect(bad.score).toBe(0);
    expect(bad.grade).toBe('FAIL');
    const none = scoreSchool(v2024, facts('N', {}));
    expect(none).toMatchObject({ score: 0, grade: 'PASS', tooLittleData: true, incomplete: true });
  });

  it('fails a vetoed school whatever its score, with the reason', () => {
    const s = scoreSchool(v2024, facts('D', best, { SAFETY_INCIDENT: 1 }));
    expect(s.score).toBe(100);
    expect(s.grade).toBe('FAIL');
    expect(s.vetoed).toBe(true);
    expect(s.vetoReason).toBe('发生安全责任事故（安全事故 1 条）');
  });

  it('vetoes on a rule id only for that rule', () => {
    const refused = scoreSchool(v2024, facts('E', best, { 'NOT_OFFERED.no_service': 1 }));
    expect(refused.grade).toBe('FAIL');
    expect(refused.vetoReason).toBe(
      '无正当理由不开展课后服务（未开展服务或未满足需求：本月未开展课后服务 1 条）',
    );
    // A NOT_OFFERED flag of another rule (turned away) is not a refusal.
    const turnedAway = scoreSchool(v2024, facts('F', best, { NOT_OFFERED: 1 }));
    expect(turnedAway.vetoed).toBe(false);
    expect(turnedAway.grade).toBe('EXCELLENT');
  });

  it('caps each severity and all deductions together, trimming the lightest first', () => {
    // 3 × 5 = 15 → 10 (serious cap); 4 × 1 = 4 → 3 (minor cap); 13 > 12 → minor 2.
    const s = scoreSchool(v2024, facts('X', best, { COLLECTIVE_TEACHING: 3, LATE_END: 4 }));
    expect(s.deductions.map((d) => [d.key, d.points])).toEqual([
      ['violations.serious', 10],
      ['violations.minor', 2],
    ]);
    expect(s.deductedPoints).toBe(12);
    expect(s.score).toBe(88);
  });

  it('scores lower-is-better thresholds (max steps) by the best step met', () => {
    const rejects = {
      key: 'data_quality',
      name: '数据质量',
      measure: 'data_quality' as const,
      weight: 10,
      min_base: 1,
      thresholds: [
        { max: 0, points: 10 },
        { max: 0.02, points: 6 },
        { max: 0.05, points: 2 },
      ],
    };
    expect(indicatorPoints(rejects, 0)).toBe(10);
    expect(indicatorPoints(rejects, 0.02)).toBe(6);
    expect(indicatorPoints(rejects, 0.03)).toBe(2);
    expect(indicatorPoints(rejects, 0.2)).toBe(0);
  });

  it('clamps the score at 0', () => {
    const s = scoreSchool(
      v2024,
      facts(
        'Z',
        { participation: 0.35, satisfaction: 50, data_quality: 0.5, timeliness: 0.5 },
        {
          COLLECTIVE_TEACHING: 2,
        },
      ),
    );
    // 0.05 / 0.5 × 40 = 4 earned, 10 deducted.
    expect(s.earnedPoints).toBe(4);
    expect(s.score).toBe(0);
  });
});

describe('scheme versions', () => {
  it('scores the same facts differently under the version in force for the period', () => {
    const year2024 = parsePeriod('2024-2025');
    const year2025 = parsePeriod('2025-2026');
    const spring2026 = parsePeriod('2025-2026-2');
    expect(schemeFor(scheme, year2024?.months ?? []).version).toBe('2024.1');
    expect(schemeFor(scheme, year2025?.months ?? []).version).toBe('2025.1');
    expect(schemeFor(scheme, spring2026?.months ?? []).version).toBe('2025.1');
    // A period that starts before the first version is scored with the first.
    expect(schemeFor(scheme, ['2023-09']).version).toBe('2024.1');

    const a = facts('A', middling, { LATE_END: 2 });
    expect(scoreSchool(v2024, a).score).toBe(62);
    // 2025.1: participation 0.5 × 30 = 15; satisfaction 85 ≥ 80 → 30; 8; 16: 69 − 2 = 67.
    const s = scoreSchool(v2025, a);
    expect(points(s)).toEqual({
      participation: 15,
      satisfaction: 30,
      data_quality: 8,
      timeliness: 16,
    });
    expect(s.score).toBe(67);
    expect(schemeInfo(v2025)).toEqual({
      version: '2025.1',
      name: '测试区课后服务考核方案',
      source: '测试区考核方案修订（测教〔2025〕2号）',
      effectiveFrom: '2025-09',
      maxScore: 100,
    });
  });
});

describe('scoreSchools: the share cap for 优秀', () => {
  const set = [
    facts('A', middling, { LATE_END: 2 }), // 62 合格
    facts('B', best), // 100 优秀
    facts('C', { participation: 0.8, satisfaction: 85, data_quality: 0.05, timeliness: 1 }), // 40+20+5+20 = 85 优秀
    facts('D', best, { SAFETY_INCIDENT: 1 }), // 100, vetoed
    facts('E', best), // 100 优秀
  ];

  it('keeps at most floor(40 % × 5) = 2 优秀, best first; the rest become 良好, marked', () => {
    const scored = scoreSchools(v2024, set);
    expect(scored.map((s) => [s.schoolCode, s.score, s.grade, s.excellentCapped])).toEqual([
      ['A', 62, 'PASS', false],
      ['B', 100, 'EXCELLENT', false],
      ['C', 85, 'GOOD', true],
      ['D', 100, 'FAIL', false],
      ['E', 100, 'EXCELLENT', false],
    ]);
  });

  it('caps every school tying at the boundary: the cap is never exceeded', () => {
    const tight = { ...v2024, excellent_share_cap: 0.2 }; // floor(0.2 × 5) = 1 优秀
    const scored = scoreSchools(tight, set);
    // B and E tie at 100 for the one place: neither keeps 优秀.
    expect(scored.filter((s) => s.grade === 'EXCELLENT')).toEqual([]);
    expect(scored.filter((s) => s.excellentCapped).map((s) => s.schoolCode)).toEqual([
      'B',
      'C',
      'E',
    ]);
  });

  it('applies no cap when the scheme has none', () => {
    const open = { ...v2024, excellent_share_cap: null };
    expect(scoreSchools(open, set).filter((s) => s.grade === 'EXCELLENT')).toHaveLength(3);
  });
});

describe('ranks, medians and peer groups', () => {
  it('ranks competition style: ties share a rank and the next skips', () => {
    const ranked = rankCompetition(
      [
        { code: 'A', score: 62 },
        { code: 'B', score: 100 },
        { code: 'C', score: 85 },
        { code: 'E', score: 100 },
      ],
      (s) => s.score,
    );
    expect(ranked.map((r) => [r.item.code, r.rank])).toEqual([
      ['B', 1],
      ['E', 1],
      ['C', 3],
      ['A', 4],
    ]);
  });

  it('takes the median of the values there are', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([null, 5, null])).toBe(5);
    expect(median([])).toBeNull();
  });

  it('labels peer groups and grades in Chinese', () => {
    expect(peerGroupOf('primary', 'rural')).toEqual({ key: 'primary:rural', label: '小学·乡村' });
    expect(peerGroupOf('junior', 'urban').label).toBe('初中·城区');
    expect(Object.values(GRADE_LABELS)).toEqual(['优秀', '良好', '合格', '不合格']);
  });
});
