/**
 * The retention rule of scheduled backups, on dates whose choice is worked out by hand in
 * the comments (weekdays from 2026-01-01, a Thursday).
 */
import { describe, expect, it } from 'vitest';
import { chooseRetained, checkRetentionRule } from '../../../server/db/backup-retention.ts';
import { addDays } from '../../../server/db/calendar.ts';

/** A backup taken at `time` Beijing time on `date`, named by its date. */
const at = (date: string, time = '03:00') => ({
  id: `${date} ${time}`,
  createdAt: new Date(`${date}T${time}:00+08:00`),
});

/** One backup a day at 03:00, `from` to `to` inclusive. */
function daily(from: string, to: string) {
  const out = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(at(d));
  return out;
}

const kept = (choice: ReturnType<typeof chooseRetained<ReturnType<typeof at>>>) =>
  choice.keep.map((k) => k.backup.id);

describe('chooseRetained', () => {
  it('keeps 7 days, 4 weeks and 12 months of daily backups from 2026-10-01 to 2026-12-05', () => {
    const backups = daily('2026-10-01', '2026-12-05'); // 66 backups
    const choice = chooseRetained(backups, { daily: 7, weekly: 4, monthly: 12 });
    // daily: 11-29 … 12-05. weekly (Mon–Sun): weeks of 11-30 (newest 12-05), 11-23 (11-29),
    // 11-16 (11-22), 11-09 (11-15). monthly: December (12-05), November (11-30), October
    // (10-31): only three months have backups.
    expect(kept(choice)).toEqual([
      '2026-12-05 03:00',
      '2026-12-04 03:00',
      '2026-12-03 03:00',
      '2026-12-02 03:00',
      '2026-12-01 03:00',
      '2026-11-30 03:00',
      '2026-11-29 03:00',
      '2026-11-22 03:00',
      '2026-11-15 03:00',
      '2026-10-31 03:00',
    ]);
    expect(choice.remove).toHaveLength(66 - 10);
    expect(choice.keep[0]?.reasons).toEqual(['newest', 'daily', 'weekly', 'monthly']);
    expect(choice.keep.find((k) => k.backup.id === '2026-11-30 03:00')?.reasons).toEqual([
      'daily',
      'monthly',
    ]);
    expect(choice.keep.find((k) => k.backup.id === '2026-11-15 03:00')?.reasons).toEqual([
      'weekly',
    ]);
  });

  it('counts days that have backups, not days back from today', () => {
    // A server off from 11-04 to 11-30: the daily rule reaches back over the gap.
    const backups = [...daily('2026-10-28', '2026-11-03'), ...daily('2026-12-01', '2026-12-02')];
    const choice = chooseRetained(backups, { daily: 4, weekly: 0, monthly: 0 });
    expect(kept(choice)).toEqual([
      '2026-12-02 03:00',
      '2026-12-01 03:00',
      '2026-11-03 03:00',
      '2026-11-02 03:00',
    ]);
  });

  it('keeps the newest of a day, and a day is Beijing’s', () => {
    const backups = [
      at('2026-12-05', '01:30'), // 2026-12-04T17:30Z: still 12-05 in Beijing
      at('2026-12-05', '13:00'),
      at('2026-12-04', '23:59'),
      at('2026-12-04', '03:00'),
    ];
    const choice = chooseRetained(backups, { daily: 2, weekly: 0, monthly: 0 });
    expect(kept(choice)).toEqual(['2026-12-05 13:00', '2026-12-04 23:59']);
    expect(choice.remove.map((b) => b.id)).toEqual(['2026-12-05 01:30', '2026-12-04 03:00']);
  });

  it('keeps the newest monthly backups over a year, in any input order', () => {
    // The first of every month from 2025-01 to 2026-12, 24 backups, shuffled.
    const backups = Array.from({ length: 24 }, (_, i) =>
      at(`${2025 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`),
    ).reverse();
    [backups[3], backups[17]] = [backups[17]!, backups[3]!];
    const choice = chooseRetained(backups, { daily: 1, weekly: 2, monthly: 12 });
    // daily 1 and weekly 2: 2026-12-01 and 2026-11-01 (each alone in its week); monthly
    // 12: 2026-01 … 2026-12.
    expect(kept(choice)).toEqual([
      '2026-12-01 03:00',
      '2026-11-01 03:00',
      '2026-10-01 03:00',
      '2026-09-01 03:00',
      '2026-08-01 03:00',
      '2026-07-01 03:00',
      '2026-06-01 03:00',
      '2026-05-01 03:00',
      '2026-04-01 03:00',
      '2026-03-01 03:00',
      '2026-02-01 03:00',
      '2026-01-01 03:00',
    ]);
    expect(choice.remove).toHaveLength(12);
  });

  it('always keeps the newest, even with a rule of zeros, and nothing of nothing', () => {
    const choice = chooseRetained(daily('2026-12-01', '2026-12-03'), {
      daily: 0,
      weekly: 0,
      monthly: 0,
    });
    expect(kept(choice)).toEqual(['2026-12-03 03:00']);
    expect(chooseRetained([], { daily: 7, weekly: 4, monthly: 12 })).toEqual({
      keep: [],
      remove: [],
    });
  });
});

describe('checkRetentionRule', () => {
  it('takes whole numbers from 0 to 1000 and names a bad one in both languages', () => {
    expect(checkRetentionRule({ daily: 0, weekly: 4, monthly: 1000 })).toBeNull();
    expect(checkRetentionRule({ daily: 7, weekly: Number.NaN, monthly: 12 })).toMatch(
      /--keep-weekly 须为.*\/ --keep-weekly must be/u,
    );
    expect(checkRetentionRule({ daily: 7, weekly: 4, monthly: 1001 })).toMatch(/monthly/u);
  });
});
