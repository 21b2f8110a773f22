import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  daysBetween,
  addMonths,
  currentDate,
  currentMonth,
  monthSequence,
  monthsBetween,
  nextShanghaiMidnight,
  parsePeriod,
  periodOf,
  previousPeriod,
  schoolYearOf,
  semesterEndSql,
  semesterLabelSql,
  semesterStart,
  semesterStartSql,
  shanghaiDate,
  shanghaiDateSql,
  shanghaiInstant,
  shanghaiIso,
  weekStart,
  yearEarlierPeriod,
  type Period,
} from '../../../server/db/calendar.ts';

describe('shanghaiIso', () => {
  it('writes an instant in China Standard Time with its offset', () => {
    expect(shanghaiIso(Date.parse('2025-11-20T04:00:00.789Z'))).toBe('2025-11-20T12:00:00+08:00');
    expect(shanghaiIso(Date.parse('2025-10-31T16:30:00Z'))).toBe('2025-11-01T00:30:00+08:00');
  });
});

describe('shanghaiDate, currentDate, currentMonth', () => {
  it('gives the calendar date in Asia/Shanghai', () => {
    expect(shanghaiDate(Date.parse('2025-11-05T15:59:59Z'))).toBe('2025-11-05');
    expect(shanghaiDate(Date.parse('2025-11-05T16:00:00Z'))).toBe('2025-11-06');
  });

  it('turns over at midnight in Shanghai, not in UTC', () => {
    expect(currentDate(new Date('2025-12-31T15:59:59Z'))).toBe('2025-12-31');
    expect(currentDate(new Date('2025-12-31T16:00:00Z'))).toBe('2026-01-01');
    expect(currentMonth(new Date('2025-12-31T15:59:59Z'))).toBe('2025-12');
    expect(currentMonth(new Date('2025-12-31T16:00:00Z'))).toBe('2026-01');
  });
});

describe('shanghaiInstant and nextShanghaiMidnight', () => {
  it('reads a local date and time as an instant', () => {
    expect(shanghaiInstant('2025-12-05', '23:59:59').toISOString()).toBe(
      '2025-12-05T15:59:59.000Z',
    );
    expect(shanghaiInstant('2026-02-01').toISOString()).toBe('2026-01-31T16:00:00.000Z');
  });

  it('finds the next local midnight', () => {
    expect(nextShanghaiMidnight(new Date('2025-11-05T15:59:00Z'))).toBe(
      Date.parse('2025-11-05T16:00:00Z'),
    );
    expect(nextShanghaiMidnight(new Date('2025-11-05T16:00:00Z'))).toBe(
      Date.parse('2025-11-06T16:00:00Z'),
    );
  });
});

describe('day arithmetic', () => {
  it('moves calendar dates across month, year and leap days', () => {
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2025-10-20', -30)).toBe('2025-09-20');
    expect(daysBetween('2025-12-01', '2025-12-08')).toBe(7);
    expect(daysBetween('2025-12-08', '2025-12-01')).toBe(-7);
  });
});

describe('month arithmetic', () => {
  it('steps across the year', () => {
    expect(addMonths('2025-12', 1)).toBe('2026-01');
    expect(addMonths('2025-03', -4)).toBe('2024-11');
    expect(addMonths('2026-06', -11)).toBe('2025-07');
    expect(monthsBetween('2025-09', '2026-01')).toBe(4);
    expect(monthsBetween('2026-01', '2025-09')).toBe(-4);
  });

  it('lists the months of a range, inclusive, and none when it runs backwards', () => {
    expect(monthSequence('2025-11', '2026-02')).toEqual([
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
    ]);
    expect(monthSequence('2025-11', '2025-11')).toEqual(['2025-11']);
    expect(monthSequence('2025-11', '2025-10')).toEqual([]);
  });
});

describe('semesters', () => {
  const cases: Array<[month: string, start: string, year: number]> = [
    ['2025-09', '2025-09', 2025],
    ['2025-12', '2025-09', 2025],
    ['2026-01', '2025-09', 2025],
    ['2026-02', '2026-02', 2025],
    ['2026-06', '2026-02', 2025],
    ['2026-08', '2026-02', 2025],
  ];

  it.each(cases)('%s is in the semester starting %s, school year %i', (month, start, year) => {
    expect(semesterStart(month)).toBe(start);
    expect(schoolYearOf(month)).toBe(year);
  });

  it('writes the same semesters in SQL, with labels and the next semester', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    try {
      const values = cases.map(([m]) => `('${m}')`).join(', ');
      const reader = await conn.runAndReadAll(
        `SELECT m, ${semesterStartSql('m')} AS s, ${semesterLabelSql(semesterStartSql('m'))} AS label,
           ${semesterEndSql(semesterStartSql('m'))} AS next,
           strftime(${shanghaiDateSql(`TIMESTAMPTZ '2025-11-05 16:00:00+00'`)}, '%Y-%m-%d') AS d
         FROM (VALUES ${values}) AS t(m) ORDER BY m`,
      );
      expect(reader.getRowObjects()).toEqual([
        { m: '2025-09', s: '2025-09', label: '2025 秋季学期', next: '2026-02', d: '2025-11-06' },
        { m: '2025-12', s: '2025-09', label: '2025 秋季学期', next: '2026-02', d: '2025-11-06' },
        { m: '2026-01', s: '2025-09', label: '2025 秋季学期', next: '2026-02', d: '2025-11-06' },
        { m: '2026-02', s: '2026-02', label: '2026 春季学期', next: '2026-09', d: '2025-11-06' },
        { m: '2026-06', s: '2026-02', label: '2026 春季学期', next: '2026-09', d: '2025-11-06' },
        { m: '2026-08', s: '2026-02', label: '2026 春季学期', next: '2026-09', d: '2025-11-06' },
      ]);
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });
});

describe('periods', () => {
  it('reads a month, both semesters and a school year, with their months and labels', () => {
    expect(parsePeriod('2024-09')).toEqual({
      kind: 'MONTH',
      key: '2024-09',
      months: ['2024-09'],
      label: '2024年9月',
    });
    expect(parsePeriod('2024-2025-1')).toEqual({
      kind: 'SEMESTER',
      key: '2024-2025-1',
      months: ['2024-09', '2024-10', '2024-11', '2024-12', '2025-01'],
      label: '2024-2025学年第一学期',
    });
    expect(parsePeriod('2024-2025-2')?.months).toEqual([
      '2025-02',
      '2025-03',
      '2025-04',
      '2025-05',
      '2025-06',
      '2025-07',
    ]);
    const year = parsePeriod('2024-2025');
    expect(year?.label).toBe('2024-2025学年');
    expect(year?.months).toHaveLength(12);
    expect([year?.months[0], year?.months[11]]).toEqual(['2024-09', '2025-08']);
  });

  it('refuses what names no period', () => {
    for (const text of ['2024-2026', '2024-2025-3', '2024-13', '2024-2025-1 ', '24-25', ''])
      expect(parsePeriod(text)).toBeNull();
  });

  it('steps back to the previous period (环比) and the same period a year earlier (同比)', () => {
    const first = parsePeriod('2024-2025-1') as Period;
    const second = parsePeriod('2024-2025-2') as Period;
    expect(previousPeriod(first).key).toBe('2023-2024-2');
    expect(previousPeriod(second).key).toBe('2024-2025-1');
    expect(yearEarlierPeriod(second).key).toBe('2023-2024-2');
    expect(previousPeriod(parsePeriod('2024-2025') as Period).key).toBe('2023-2024');
    expect(previousPeriod(parsePeriod('2025-01') as Period).key).toBe('2024-12');
    expect(yearEarlierPeriod(parsePeriod('2025-01') as Period).key).toBe('2024-01');
  });

  it('finds the period of a kind that holds a month', () => {
    expect(periodOf('2025-01', 'SEMESTER').key).toBe('2024-2025-1');
    expect(periodOf('2025-03', 'SEMESTER').key).toBe('2024-2025-2');
    expect(periodOf('2025-08', 'YEAR').key).toBe('2024-2025');
    expect(periodOf('2025-09', 'YEAR').key).toBe('2025-2026');
  });
});

describe('weekStart', () => {
  it('is the Monday of the date’s week', () => {
    expect(weekStart('2026-12-05')).toBe('2026-11-30'); // Saturday
    expect(weekStart('2026-11-30')).toBe('2026-11-30'); // Monday
    expect(weekStart('2026-11-29')).toBe('2026-11-23'); // Sunday
    expect(weekStart('2026-01-01')).toBe('2025-12-29'); // Thursday, across the year
  });
});
