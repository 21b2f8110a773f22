import { describe, expect, it } from 'vitest';
import {
  flagListQuery,
  flagListVariables,
  legacyRange,
  parseFlagList,
} from '../../../web/src/components/flag-list-query.ts';
import { parsePeriod } from '../../../server/db/calendar.ts';
import { FLAG_STATUSES } from '../../../server/db/flag-statuses.ts';

describe('parseFlagList', () => {
  it('reads the school page’s link and ignores what is not valid', () => {
    expect(
      parseFlagList(
        {
          status: 'OPEN,RECTIFYING,BOGUS,OPEN',
          code: 'LATE_END',
          school: '1000000001',
          source: 'INSPECTION',
          overdue: '1',
          range: '12',
          from: '2025-13',
        },
        FLAG_STATUSES,
      ),
    ).toEqual({
      statuses: ['OPEN', 'RECTIFYING'],
      code: 'LATE_END',
      source: 'INSPECTION',
      overdue: true,
      school: '1000000001',
      period: '12',
      from: null,
      to: null,
      sort: 'NEWEST',
      view: 'list',
    });
    expect(
      parseFlagList({
        code: "x') OR 1",
        school: '12',
        source: 'X',
        period: '7',
        sort: 'BOGUS',
        view: 'x',
      }),
    ).toEqual({
      statuses: [],
      code: null,
      source: null,
      overdue: false,
      school: null,
      period: 'all',
      from: null,
      to: null,
      sort: 'NEWEST',
      view: 'list',
    });
  });

  it('round-trips through the URL query, defaults left out', () => {
    const query = { status: 'CLOSED', code: 'ILLEGAL_FEES', range: 'custom', from: '2025-03' };
    expect(flagListQuery(parseFlagList(query))).toEqual(query);
    const sorted = { status: 'OPEN', sort: 'OVERDUE_FIRST', view: 'groups' };
    expect(flagListQuery(parseFlagList(sorted))).toEqual(sorted);
    expect(flagListQuery(parseFlagList({ sort: 'NEWEST', view: 'list' }))).toEqual({});
    expect(flagListQuery(parseFlagList({}))).toEqual({});
  });

  it('reads an old link’s ?period=12, never the shared period 2025-2026-1', () => {
    expect(parseFlagList({ period: '12' }).period).toBe('12');
    expect(legacyRange({ period: '12' })).toBe('12');
    expect(parseFlagList({ period: '12', range: 'month' }).period).toBe('month');
    expect(parseFlagList({ period: '2025-2026-1' }).period).toBe('all');
    expect(legacyRange({ period: '2025-2026-1' })).toBeNull();
  });
});

describe('flagListVariables', () => {
  const base = parseFlagList({});

  it('passes the filters and the shared scope as the flags arguments', () => {
    expect(
      flagListVariables(
        parseFlagList({ status: 'OPEN', school: '1000000002', overdue: '1' }),
        '2025-10',
        { township: '东城镇' },
      ),
    ).toEqual({
      scope: { township: '东城镇' },
      statuses: ['OPEN'],
      overdue: true,
      schoolCode: '1000000002',
    });
  });

  it('turns the period into the month or a range ending at the shared month', () => {
    expect(flagListVariables(base, '2025-10', undefined)).toEqual({});
    expect(flagListVariables({ ...base, period: 'month' }, '2025-10', undefined)).toEqual({
      month: '2025-10',
    });
    expect(flagListVariables({ ...base, period: '3' }, '2025-02', undefined)).toEqual({
      from: '2024-12',
      to: '2025-02',
    });
    expect(
      flagListVariables(
        { ...base, period: 'custom', from: '2025-09', to: '2025-03' },
        '2025-10',
        undefined,
      ),
    ).toEqual({ from: '2025-03', to: '2025-09' });
    expect(
      flagListVariables({ ...base, period: 'custom', to: '2025-03' }, '2025-10', undefined),
    ).toEqual({ to: '2025-03' });
  });

  it('reads 所选 as the filter bar’s semester or year when one is chosen', () => {
    const semester = parsePeriod('2025-2026-1')!;
    expect(flagListVariables({ ...base, period: 'month' }, '2025-10', undefined, semester)).toEqual(
      { period: '2025-2026-1' },
    );
    expect(
      flagListVariables({ ...base, period: 'month' }, '2025-10', undefined, parsePeriod('2025-10')),
    ).toEqual({ month: '2025-10' });
    // The 近N个月 ranges still end at the shared month.
    expect(flagListVariables({ ...base, period: '3' }, '2025-10', undefined, semester)).toEqual({
      from: '2025-08',
      to: '2025-10',
    });
  });
});
