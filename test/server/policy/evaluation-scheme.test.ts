/**
 * Evaluation scheme files as a district writes them: every problem is reported with its
 * version and field in Chinese and English, a later version inherits what it does not
 * change (indicators and vetoes entry by entry), and the shipped schemes are valid.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { DEMO_EVALUATION_SCHEME_PATH } from '../../../etl/demo/demo-policy.ts';
import {
  evaluationSchemePath,
  DEFAULT_EVALUATION_SCHEME_PATH,
  loadEvaluationScheme,
  parseEvaluationScheme,
  schemeFlagKeys,
} from '../../../server/policy/evaluation-scheme.ts';
import { PolicyError } from '../../../server/policy/policy.ts';

const FIXTURE = new URL('../../fixtures/evaluation/scoring-scheme.yaml', import.meta.url).pathname;

type Doc = { name: string; versions: Array<Record<string, unknown>> };

interface IndicatorDoc {
  name: string;
  measure: string;
  weight: number;
  linear?: { zero: number; full: number };
  thresholds?: Array<{ min?: number; max?: number; points: number }>;
}

/** The fixture's first version, as far as the tests edit it. */
interface FirstVersion {
  indicators: Record<'participation' | 'satisfaction' | 'timeliness', IndicatorDoc>;
  vetoes: Record<string, { reason: string }>;
  deductions: { severities: { minor: { codes: string[] } } };
  bands: Record<string, number>;
}

/** The fixture scheme, with its first version changed by `edit`. */
function edited(edit: (first: FirstVersion, doc: Doc) => void): string {
  const doc = parse(readFileSync(FIXTURE, 'utf8')) as Doc;
  edit(doc.versions[0] as unknown as FirstVersion, doc);
  return stringify(doc);
}

function issuesOf(text: string): readonly string[] {
  try {
    parseEvaluationScheme(text, 'test.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyError);
    return (error as PolicyError).issues;
  }
  throw new Error('expected a PolicyError');
}

describe('parseEvaluationScheme: errors name the version and field', () => {
  it('rejects weights that do not sum to the maximum score', () => {
    const issues = issuesOf(edited((v) => (v.indicators.timeliness.weight = 25)));
    expect(issues).toEqual([
      'versions[2024.1].indicators: 各指标分值之和为 105，应等于满分 100 / weights sum to 105, not max_score 100',
      // The second version inherits the broken weight: its sum is off as well.
      'versions[2025.1].indicators: 各指标分值之和为 105，应等于满分 100 / weights sum to 105, not max_score 100',
    ]);
  });

  it('rejects a flag code the catalogue does not have, and an unknown rule', () => {
    const issues = issuesOf(
      edited((v) => {
        v.vetoes.SAFETY_INCIDNET = { reason: '安全事故' };
        v.deductions.severities.minor.codes = ['LATE_END.too_late'];
      }),
    );
    expect(issues.filter((i) => i.startsWith('versions[2024.1]'))).toEqual([
      'versions[2024.1].deductions.severities.minor: LATE_END 没有规则 too_late / unknown rule of LATE_END',
      'versions[2024.1].vetoes.SAFETY_INCIDNET: 违规代码 SAFETY_INCIDNET 不在违规目录中（server/policy/flag-catalogue.yaml） / unknown flag code',
    ]);
  });

  it('rejects an unknown measure, listing the known ones', () => {
    const issues = issuesOf(edited((v) => (v.indicators.participation.measure = 'attendance')));
    expect(issues[0]).toBe(
      'versions[2024.1].indicators.participation.measure: 未知的测量项 "attendance" / unknown measure; 可选 / one of: coverage, five_plus_two, participation, demand_met, priority_equity, satisfaction, timeliness, data_quality, rectification_on_time, visit_findings',
    );
  });

  it('rejects bands out of order', () => {
    const issues = issuesOf(edited((v) => (v.bands = { excellent: 85, good: 90, pass: 60 })));
    expect(issues).toContain(
      'versions[2024.1].bands: 等级下限应满足 满分 ≥ 优秀 > 良好 > 合格 ≥ 0（现为 85、90、60） / bands must be ordered excellent > good > pass ≥ 0, excellent ≤ max_score',
    );
  });

  it('rejects a rate written in percent, a rule without a kind and points above the weight', () => {
    const issues = issuesOf(
      edited((v) => {
        v.indicators.participation.linear = { zero: 30, full: 80 };
        v.indicators.timeliness = { name: '按时报送', measure: 'timeliness', weight: 20 };
        (v.indicators.satisfaction.thresholds ?? [])[0]!.points = 35;
      }),
    );
    expect(issues.filter((i) => i.startsWith('versions[2024.1]'))).toEqual([
      "versions[2024.1].indicators.participation.linear.zero: 30 超出 participation 的取值范围 0..1（比率写作小数，如 0.85） / outside the measure's range (rates are fractions)",
      "versions[2024.1].indicators.participation.linear.full: 80 超出 participation 的取值范围 0..1（比率写作小数，如 0.85） / outside the measure's range (rates are fractions)",
      'versions[2024.1].indicators.satisfaction.thresholds[0].points: 35 超过该指标满分 30 / more than the weight',
      'versions[2024.1].indicators.timeliness: 须给出 thresholds 或 linear 之一 / exactly one of thresholds and linear is required',
    ]);
  });

  it('rejects a flag counted twice (under its code and one of its rules)', () => {
    const issues = issuesOf(edited((v) => (v.vetoes.NOT_OFFERED = { reason: '未开展' })));
    expect(issues).toContain(
      'versions[2024.1].vetoes.NOT_OFFERED: NOT_OFFERED 与 versions[2024.1].vetoes.NOT_OFFERED.no_service 的 NOT_OFFERED.no_service 重复计算 / NOT_OFFERED is also counted under versions[2024.1].vetoes.NOT_OFFERED.no_service',
    );
  });

  it('rejects an unknown key with its path (zod)', () => {
    const issues = issuesOf(edited((v) => (v.bands.excelent = 95)));
    expect(issues[0]).toMatch(/^versions\[2024\.1\]\.bands: /u);
    expect(issues[0]).toContain('excelent');
  });
});

describe('versions', () => {
  it('inherits indicators entry by entry; null removes one, a named one replaces it whole', () => {
    const scheme = parseEvaluationScheme(
      edited((_first, doc) => {
        doc.versions.push({
          version: '2026.1',
          effective_from: '2026-09',
          source: '测试区考核方案第三版',
          indicators: {
            data_quality: null,
            timeliness: {
              name: '按时报送',
              measure: 'timeliness',
              weight: 30,
              thresholds: [{ min: 1, points: 30 }],
            },
          },
          vetoes: { 'NOT_OFFERED.no_service': null },
          bands: { excellent: 90 },
        });
      }),
    );
    const v = scheme.versions[2];
    expect(v?.indicators.map((i) => [i.key, i.weight])).toEqual([
      ['participation', 30],
      ['satisfaction', 40],
      ['timeliness', 30],
    ]);
    expect(v?.indicators[2]?.linear).toBeUndefined();
    expect(v?.vetoes.map((x) => x.key)).toEqual(['SAFETY_INCIDENT']);
    expect(v?.bands).toEqual({ excellent: 90, good: 75, pass: 60 });
    expect(v?.source).toBe('测试区考核方案第三版');
  });

  it('names the version that breaks when inheriting', () => {
    const issues = issuesOf(
      edited((_first, doc) => {
        doc.versions.push({
          version: '2026.1',
          effective_from: '2025-09',
          source: '重复月份',
          bands: { pass: 80 },
        });
      }),
    );
    expect(issues).toContain(
      'versions[2026.1]: 生效月份 2025-09 重复 / two versions start in the same month',
    );
    expect(issues.some((i) => i.startsWith('versions[2026.1].bands:'))).toBe(true);
  });
});

describe('the shipped schemes', () => {
  it('the default and 清河县 schemes are valid, with weights summing to 100', () => {
    for (const path of [DEFAULT_EVALUATION_SCHEME_PATH, DEMO_EVALUATION_SCHEME_PATH]) {
      const scheme = loadEvaluationScheme(path);
      for (const v of scheme.versions)
        expect(v.indicators.reduce((s, i) => s + i.weight, 0)).toBe(v.max_score);
    }
    const qinghe = loadEvaluationScheme(DEMO_EVALUATION_SCHEME_PATH);
    expect(qinghe.versions.map((v) => [v.version, v.effective_from])).toEqual([
      ['2024.1', '2024-09'],
      ['2025.1', '2025-09'],
    ]);
    expect(schemeFlagKeys(qinghe.versions[0]!)).toContain('NOT_OFFERED.no_service');
  });

  it('reads KEHOU_EVALUATION_SCHEME, else the default file', () => {
    expect(evaluationSchemePath({})).toBe(DEFAULT_EVALUATION_SCHEME_PATH);
    expect(evaluationSchemePath({ KEHOU_EVALUATION_SCHEME: '' })).toBe(
      DEFAULT_EVALUATION_SCHEME_PATH,
    );
    expect(evaluationSchemePath({ KEHOU_EVALUATION_SCHEME: '/etc/kehou/scheme.yaml' })).toBe(
      '/etc/kehou/scheme.yaml',
    );
  });
});
