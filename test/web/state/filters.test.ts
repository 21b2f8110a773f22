import { describe, expect, it } from 'vitest';
import { parsePeriod, type Period } from '../../../server/db/calendar.ts';
import { describeFilters } from '../../../web/src/state/describe-filters.ts';
import {
  currentMonth,
  effectivePeriod,
  filterQuery,
  monthsEnding,
  parseFilters,
  patchQuery,
  periodChoices,
  periodMonth,
  scopeOf,
  switchPeriodKind,
  trendWindow,
  type Filters,
} from '../../../web/src/state/filters.ts';

const period = (key: string): Period => parsePeriod(key) as Period;
const NO_FILTERS: Filters = {
  period: null,
  month: null,
  township: null,
  stage: null,
  locality: null,
};

describe('parseFilters', () => {
  it('keeps valid values and drops invalid ones', () => {
    expect(
      parseFilters({ month: '2025-09', township: '东城镇', stage: 'PRIMARY', locality: 'RURAL' }),
    ).toEqual({
      period: {
        kind: 'MONTH',
        key: '2025-09',
        months: ['2025-09'],
        label: '2025年9月',
      },
      month: '2025-09',
      township: '东城镇',
      stage: 'PRIMARY',
      locality: 'RURAL',
    });
    expect(
      parseFilters({ month: '2025-13', stage: 'college', locality: ['URBAN', 'RURAL'] }),
    ).toEqual({
      period: null,
      month: null,
      township: null,
      stage: null,
      locality: 'URBAN',
    });
  });

  it('reads a semester or a school year from ?period=, and no month from it', () => {
    const semester = parseFilters({ period: '2024-2025-1' });
    expect(semester.period).toEqual({
      kind: 'SEMESTER',
      key: '2024-2025-1',
      months: ['2024-09', '2024-10', '2024-11', '2024-12', '2025-01'],
      label: '2024-2025学年第一学期',
    });
    expect(semester.month).toBeNull();
    expect(parseFilters({ period: '2024-2025' }).period?.label).toBe('2024-2025学年');
    expect(parseFilters({ period: '2024-2025-2' }).period?.months).toEqual([
      '2025-02',
      '2025-03',
      '2025-04',
      '2025-05',
      '2025-06',
      '2025-07',
    ]);
  });

  it('keeps old ?month= links working, and lets ?period= win over them', () => {
    expect(parseFilters({ month: '2025-10' }).period?.key).toBe('2025-10');
    expect(parseFilters({ month: '2025-10' }).month).toBe('2025-10');
    expect(parseFilters({ period: '2024-2025-2', month: '2025-10' }).period?.key).toBe(
      '2024-2025-2',
    );
    // An invalid period falls back to the month; ?month= never names a semester.
    expect(parseFilters({ period: '2024-2026-1', month: '2025-10' }).period?.key).toBe('2025-10');
    expect(parseFilters({ month: '2024-2025-1' }).period).toBeNull();
    expect(parseFilters({ period: '2024-2025-3' }).period).toBeNull();
  });
});

describe('periodChoices', () => {
  // Newest first, as reportMonths arrives; 2025-08 has none (summer).
  const months = ['2025-10', '2025-09', '2025-06', '2025-03', '2025-01', '2024-10'];

  it('lists the semesters and years holding a reported month, newest first', () => {
    expect(periodChoices(months, 'SEMESTER').map((p) => [p.key, p.label])).toEqual([
      ['2025-2026-1', '2025-2026学年第一学期'],
      ['2024-2025-2', '2024-2025学年第二学期'],
      ['2024-2025-1', '2024-2025学年第一学期'],
    ]);
    expect(periodChoices(months, 'YEAR').map((p) => p.key)).toEqual(['2025-2026', '2024-2025']);
    expect(periodChoices(months, 'MONTH').map((p) => p.key)).toEqual(months);
    expect(periodChoices([], 'SEMESTER')).toEqual([]);
  });

  it('switches kind around the newest reported month of the period shown', () => {
    expect(switchPeriodKind(period('2025-01'), 'SEMESTER', months)?.key).toBe('2024-2025-1');
    expect(switchPeriodKind(period('2025-01'), 'YEAR', months)?.key).toBe('2024-2025');
    // A semester to months: its newest month with reports, not its last calendar month.
    expect(switchPeriodKind(period('2024-2025-2'), 'MONTH', months)?.key).toBe('2025-06');
    expect(switchPeriodKind(period('2024-2025'), 'SEMESTER', months)?.key).toBe('2024-2025-2');
    // A period without reports: the newest period of the kind with reports.
    expect(switchPeriodKind(period('2023-2024-1'), 'SEMESTER', months)?.key).toBe('2025-2026-1');
    expect(switchPeriodKind(null, 'YEAR', months)?.key).toBe('2025-2026');
    expect(switchPeriodKind(null, 'YEAR', [])).toBeNull();
  });
});

describe('effectivePeriod and periodMonth', () => {
  const months = ['2025-10', '2025-09', '2024-10'];

  it('defaults to the newest reported month, and waits while the months are unknown', () => {
    expect(effectivePeriod(NO_FILTERS, months)?.key).toBe('2025-10');
    expect(effectivePeriod(NO_FILTERS, null)).toBeNull();
    expect(effectivePeriod({ ...NO_FILTERS, period: period('2024-2025') }, null)?.key).toBe(
      '2024-2025',
    );
  });

  it('stands a semester or year on its newest reported month', () => {
    expect(periodMonth(period('2025-09'), null)).toBe('2025-09');
    expect(periodMonth(period('2025-2026-1'), months)).toBe('2025-10');
    expect(periodMonth(period('2024-2025'), months)).toBe('2024-10');
    expect(periodMonth(period('2025-2026-1'), null)).toBeNull();
    // No reports in it, wholly past: its last month.
    expect(periodMonth(period('2023-2024-2'), months)).toBe('2024-07');
  });
});

describe('trendWindow', () => {
  it('is 12 months for a month, and the period’s own months otherwise', () => {
    expect(trendWindow(period('2025-10'))).toEqual({ from: '2024-11', to: '2025-10' });
    expect(trendWindow(period('2024-2025-1'))).toEqual({ from: '2024-09', to: '2025-01' });
    expect(trendWindow(period('2024-2025'))).toEqual({ from: '2024-09', to: '2025-08' });
  });
});

describe('patchQuery', () => {
  it('writes the period and drops an old link’s month, keeping the other filters', () => {
    expect(
      patchQuery({ month: '2025-10', township: '东城镇', sort: 'NAME' }, { period: '2025-2026-1' }),
    ).toEqual({ township: '东城镇', period: '2025-2026-1' });
    expect(patchQuery({ period: '2025-2026-1', stage: 'JUNIOR' }, { stage: null })).toEqual({
      period: '2025-2026-1',
    });
    expect(patchQuery({ period: '2025-2026-1' }, { month: '2025-09' })).toEqual({
      month: '2025-09',
    });
  });
});

describe('scopeOf', () => {
  it('narrows only by the filters that are set', () => {
    expect(scopeOf({ ...NO_FILTERS, period: period('2025-09'), month: '2025-09' })).toBeUndefined();
    expect(scopeOf({ ...NO_FILTERS, township: '西山乡', stage: 'JUNIOR' })).toEqual({
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
    expect(filterQuery({ period: '2025-2026', locality: 'RURAL', window: 'year' })).toEqual({
      period: '2025-2026',
      locality: 'RURAL',
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
    const filters: Filters = { ...NO_FILTERS, township: '东城镇', stage: 'NINE_YEAR' };
    expect(describeFilters(filters, '2025-09')).toBe(
      '月份：2025年9月；乡镇（街道）：东城镇；学段：九年一贯制；城乡类型：全部',
    );
    expect(describeFilters(filters, period('2025-2026-1'))).toBe(
      '统计周期：2025-2026学年第一学期；乡镇（街道）：东城镇；学段：九年一贯制；城乡类型：全部',
    );
    expect(describeFilters(NO_FILTERS, '2024-2025')).toBe(
      '统计周期：2024-2025学年；乡镇（街道）：全部；学段：全部；城乡类型：全部',
    );
    expect(describeFilters(NO_FILTERS, null)).toBe(
      '月份：—；乡镇（街道）：全部；学段：全部；城乡类型：全部',
    );
  });
});

describe('currentMonth', () => {
  it('is the month in Beijing, which starts 8 hours before UTC', () => {
    expect(currentMonth(new Date('2025-09-30T15:59:59Z'))).toBe('2025-09');
    expect(currentMonth(new Date('2025-09-30T16:00:00Z'))).toBe('2025-10');
  });
});

describe('仅显示已审核数据 (approved=1)', () => {
  it('reads approved=1 only, asks the scope for approved figures and says so in words', () => {
    const on = parseFilters({ period: '2025-10', approved: '1' });
    expect(on.approvedOnly).toBe(true);
    expect(parseFilters({ period: '2025-10', approved: 'yes' }).approvedOnly).toBeUndefined();
    expect(scopeOf(on)).toEqual({ approvedOnly: true });
    expect(filterQuery({ approved: '1', other: 'x' })).toEqual({ approved: '1' });
    expect(describeFilters(on, '2025-10')).toBe(
      '月份：2025年10月；乡镇（街道）：全部；学段：全部；城乡类型：全部；仅已审核数据',
    );
  });
});
