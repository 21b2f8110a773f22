import { describe, expect, it } from 'vitest';
import {
  count,
  dateZh,
  namesEn,
  namesZh,
  oneDecimal,
  percentOfCounts,
  plural,
  thresholdPercent,
  trend,
} from '../../../../server/graphql/report/report-format.ts';

describe('percentOfCounts', () => {
  it('rounds half up in integer arithmetic, as the flags do', () => {
    expect(percentOfCounts(208, 450)).toBe('46.2%');
    expect(percentOfCounts(3, 8)).toBe('37.5%');
    expect(percentOfCounts(1, 16)).toBe('6.3%');
    expect(percentOfCounts(4, 4)).toBe('100.0%');
    expect(percentOfCounts(0, 7)).toBe('0.0%');
  });
});

describe('oneDecimal', () => {
  it('rounds half away from zero and never writes -0.0', () => {
    expect(oneDecimal(66.666)).toBe('66.7');
    expect(oneDecimal(-0.04)).toBe('0.0');
    expect(oneDecimal(-1.25)).toBe('-1.3');
  });
});

describe('thresholdPercent', () => {
  it('writes a policy rate without trailing zeros', () => {
    expect(thresholdPercent(0.95)).toBe('95%');
    expect(thresholdPercent(0.925)).toBe('92.5%');
  });
});

describe('trend', () => {
  it('says up, down or unchanged after rounding to one decimal', () => {
    expect(trend(1.24, '个百分点', 'percentage points')).toEqual({
      zh: '较上月上升1.2个百分点',
      en: 'up 1.2 percentage points on the previous month',
      fell: false,
    });
    expect(trend(-15.62, '个百分点', 'percentage points').zh).toBe('较上月下降15.6个百分点');
    expect(trend(-15.62, '个百分点', 'percentage points').fell).toBe(true);
    expect(trend(-0.04, '分', 'points')).toEqual({
      zh: '与上月持平',
      en: 'unchanged from the previous month',
      fell: false,
    });
  });
});

describe('namesZh', () => {
  it('lists at most the given number of names, then how many in all', () => {
    expect(namesZh(['甲', '乙'], 5)).toBe('甲、乙');
    expect(namesZh(['甲', '乙', '丙'], 2)).toBe('甲、乙等3所');
    expect(namesEn(['A', 'B', 'C'], 2)).toBe('A, B and 1 more');
  });
});

describe('dateZh', () => {
  it('writes a date without leading zeros', () => {
    expect(dateZh('2025-11-05')).toBe('2025年11月5日');
  });
});

describe('plural', () => {
  it('uses the singular for one only', () => {
    expect(plural(1, 'school')).toBe('1 school');
    expect(plural(12345, 'school')).toBe('12,345 schools');
  });
});

describe('count', () => {
  it('groups whole numbers by hand exactly as toLocaleString does, and other numbers through it', () => {
    for (const n of [
      0,
      7,
      999,
      1000,
      -1000,
      12345,
      -1234567,
      1234567890,
      2 ** 53 - 1,
      1.5,
      12345.678,
    ])
      expect(count(n)).toBe(n.toLocaleString('en-US'));
    expect(count(1451)).toBe('1,451');
  });
});
