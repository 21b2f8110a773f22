import { describe, expect, it } from 'vitest';
import { describeFilters } from '../../../web/src/state/describe-filters.ts';
import {
  currentMonth,
  filterQuery,
  monthsEnding,
  parseFilters,
  scopeOf,
} from '../../../web/src/state/filters.ts';

describe('parseFilters', () => {
  it('keeps valid values and drops invalid ones', () => {
    expect(
      parseFilters({ month: '2025-09', township: '东城镇', stage: 'PRIMARY', locality: 'RURAL' }),
    ).toEqual({
      month: '2025-09',
      township: '东城镇',
      stage: 'PRIMARY',
      locality: 'RURAL',
    });
    expect(
      parseFilters({ month: '2025-13', stage: 'college', locality: ['URBAN', 'RURAL'] }),
    ).toEqual({
      month: null,
      township: null,
      stage: null,
      locality: 'URBAN',
    });
  });
});

describe('scopeOf', () => {
  it('narrows only by the filters that are set', () => {
    expect(
      scopeOf({ month: '2025-09', township: null, stage: null, locality: null }),
    ).toBeUndefined();
    expect(scopeOf({ month: null, township: '西山乡', stage: 'JUNIOR', locality: null })).toEqual({
      township: '西山乡',
      stage: 'JUNIOR',
    });
  });
});

describe('filterQuery', () => {
  it('carries only the shared filters across links', () => {
    expect(filterQuery({ month: '2025-09', township: '东城镇', sort: 'NAME', stage: '' })).toEqual({
      month: '2025-09',
      township: '东城镇',
    });
  });
});

describe('monthsEnding', () => {
  it('spans n months ending at the month, across years', () => {
    expect(monthsEnding('2025-10', 12)).toEqual({ from: '2024-11', to: '2025-10' });
    expect(monthsEnding('2026-01', 2)).toEqual({ from: '2025-12', to: '2026-01' });
    expect(monthsEnding('2025-03', 1)).toEqual({ from: '2025-03', to: '2025-03' });
  });
});

describe('describeFilters', () => {
  it('states every filter in Chinese', () => {
    expect(
      describeFilters(
        { month: null, township: '东城镇', stage: 'NINE_YEAR', locality: null },
        '2025-09',
      ),
    ).toBe('月份：2025年9月；乡镇（街道）：东城镇；学段：九年一贯制；城乡类型：全部');
  });
});

describe('currentMonth', () => {
  it('is the month in Beijing, which starts 8 hours before UTC', () => {
    expect(currentMonth(new Date('2025-09-30T15:59:59Z'))).toBe('2025-09');
    expect(currentMonth(new Date('2025-09-30T16:00:00Z'))).toBe('2025-10');
  });
});
