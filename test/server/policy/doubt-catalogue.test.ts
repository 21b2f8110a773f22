/**
 * The doubt catalogue is the one home of the checks' names: every rule the checks can
 * raise is there with a Chinese label, its measure has a label, and the SQL of the checks
 * names no rule outside it.
 */
import { describe, expect, it } from 'vitest';
import { checkSelects } from '../../../etl/doubts/checks.ts';
import {
  DOUBT_CATALOGUE,
  DOUBT_MEASURE_LABELS,
  DOUBT_RULES,
  doubtMeasureLabel,
  doubtRuleLabel,
} from '../../../server/policy/doubt-catalogue.ts';

describe('the doubt catalogue', () => {
  it('holds each rule once, as <CHECK>.<measure>, with labels', () => {
    expect(new Set(DOUBT_RULES).size).toBe(DOUBT_RULES.length);
    expect(DOUBT_RULES).toHaveLength(12);
    for (const info of DOUBT_CATALOGUE.values()) {
      expect(info.rule).toBe(`${info.check}.${info.measure}`);
      expect(info.zh).toMatch(/\p{Script=Han}/u);
      expect(DOUBT_MEASURE_LABELS[info.measure]).toBeDefined();
    }
    expect(doubtRuleLabel('PEER_OUTLIER.participation_rate')).toBe('参与率与同类学校差异过大');
    expect(doubtRuleLabel('OLD.rule')).toBe('OLD.rule');
    expect(doubtMeasureLabel('disabled')).toBe('残疾儿童人数');
  });

  it('covers every rule the checks write', () => {
    const sql = checkSelects().join('\n');
    const written = [...sql.matchAll(/'([A-Z_]+)\.(?:[a-z_]+)?'/gu)].map((m) => m[0].slice(1, -1));
    const checks = new Set(DOUBT_RULES.map((r) => r.split('.')[0]));
    for (const rule of written) {
      const check = rule.split('.')[0] ?? '';
      expect(checks.has(check)).toBe(true);
      if (!rule.endsWith('.')) expect(DOUBT_CATALOGUE.has(rule)).toBe(true);
    }
    expect(written.length).toBeGreaterThanOrEqual(8);
  });
});
