import { describe, expect, it } from 'vitest';
import {
  changeMark,
  countDelta,
  date,
  dateTime,
  integer,
  month,
  monthShort,
  percent,
  percentNumber,
  points,
  score,
  scoreDelta,
} from '../../../web/src/format/format.ts';

describe('percent', () => {
  it('shows fractions with one decimal and null as a dash', () => {
    expect(percent(0.62345)).toBe('62.3%');
    expect(percent(1)).toBe('100.0%');
    expect(percent(0)).toBe('0.0%');
    expect(percent(null)).toBe('—');
    expect(percentNumber(0.62345)).toBe(62.3);
  });
});

describe('points', () => {
  it('writes rate differences as signed percentage points', () => {
    expect(points(0.012)).toBe('+1.2个百分点');
    expect(points(-0.1049)).toBe('−10.5个百分点');
    expect(points(0.0004)).toBe('持平');
    expect(points(undefined)).toBe('—');
  });
});

describe('integer, countDelta, score, scoreDelta', () => {
  it('groups thousands the zh-CN way and signs differences', () => {
    expect(integer(1234567)).toBe('1,234,567');
    expect(countDelta(3)).toBe('+3');
    expect(countDelta(-1200)).toBe('−1,200');
    expect(countDelta(0)).toBe('持平');
    expect(score(85.25)).toBe('85.3');
    expect(scoreDelta(-2.04)).toBe('−2.0分');
  });
});

describe('month, monthShort, date, dateTime', () => {
  it('writes dates the Chinese way', () => {
    expect(month('2025-09')).toBe('2025年9月');
    expect(monthShort('2025-10')).toBe('10月');
    expect(monthShort('2026-01')).toBe('2026年1月');
    expect(date('2025-09-03')).toBe('2025年9月3日');
  });

  it('shows instants in Beijing time whatever the machine zone', () => {
    expect(dateTime('2025-11-20T04:05:00Z')).toBe('2025/11/20 12:05');
    expect(dateTime('2025-12-31T16:30:00Z')).toBe('2026/01/01 00:30');
  });
});

describe('changeMark', () => {
  it('shows no arrow on a change whose text reads 持平, however small its delta', () => {
    const tiny = -0.0004;
    expect(changeMark({ text: points(tiny), delta: tiny }, 'up')).toEqual({
      arrow: '',
      tone: 'flat',
    });
    expect(changeMark({ text: scoreDelta(0.04), delta: 0.04 }, 'up').arrow).toBe('');
  });

  it('points the arrow by the sign and the tone by the good direction', () => {
    expect(changeMark({ text: points(-0.012), delta: -0.012 }, 'up')).toEqual({
      arrow: '▼',
      tone: 'bad',
    });
    expect(changeMark({ text: countDelta(-2), delta: -2 }, 'down')).toEqual({
      arrow: '▼',
      tone: 'good',
    });
    expect(changeMark({ text: countDelta(3), delta: 3 }, 'down')).toEqual({
      arrow: '▲',
      tone: 'bad',
    });
    expect(changeMark({ text: '—', delta: null }, 'up')).toEqual({ arrow: '', tone: 'flat' });
  });
});
