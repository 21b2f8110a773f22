/**
 * Which scheduled backups to keep: a grandfather-father-son rule on the backups that exist,
 * pure so that its choice can be computed by hand.
 *
 * For each of the newest `daily` calendar days that have a backup, the newest backup of
 * that day is kept; likewise for the newest `weekly` weeks (Monday to Sunday) and the newest
 * `monthly` months. The three choices are independent and united (a backup may be kept by
 * more than one), and the newest backup of all is always kept, so a rule of zeros never
 * empties the folder. Days, weeks and months are the district's (Asia/Shanghai, calendar.ts):
 * a backup at 01:30 Beijing time belongs to that day, as the operator reading the folder
 * names sees it. Counting periods that have backups, not calendar periods back from today,
 * means a server that was off for a month still keeps `daily` restorable days.
 */
import { shanghaiDate, weekStart } from './calendar.ts';

export interface RetentionRule {
  daily: number;
  weekly: number;
  monthly: number;
}

export const DEFAULT_RETENTION: RetentionRule = { daily: 7, weekly: 4, monthly: 12 };

export interface Dated {
  /** The backup's folder (or any key). */
  id: string;
  /** When the snapshot was taken (the manifest's createdAt). */
  createdAt: Date;
}

export interface RetentionChoice<T extends Dated> {
  /** Newest first, each with the rules that keep it. */
  keep: Array<{ backup: T; reasons: Array<keyof RetentionRule | 'newest'> }>;
  /** Newest first. */
  remove: T[];
}

const PERIODS: ReadonlyArray<[keyof RetentionRule, (date: string) => string]> = [
  ['daily', (date) => date],
  ['weekly', weekStart],
  ['monthly', (date) => date.slice(0, 7)],
];

/** Splits `backups` into those the rule keeps and those it lets go. */
export function chooseRetained<T extends Dated>(
  backups: readonly T[],
  rule: RetentionRule,
): RetentionChoice<T> {
  // Newest first; equal instants by id so the choice never depends on the input's order.
  const sorted = [...backups].sort(
    (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1),
  );
  const reasons = new Map<T, Array<keyof RetentionRule | 'newest'>>();
  const mark = (backup: T, reason: keyof RetentionRule | 'newest'): void => {
    reasons.set(backup, [...(reasons.get(backup) ?? []), reason]);
  };
  if (sorted[0]) mark(sorted[0], 'newest');
  for (const [name, periodOf] of PERIODS) {
    const seen = new Set<string>();
    for (const backup of sorted) {
      if (seen.size >= rule[name]) break;
      const period = periodOf(shanghaiDate(backup.createdAt.getTime()));
      if (seen.has(period)) continue;
      // The first backup met in a period is its newest.
      seen.add(period);
      mark(backup, name);
    }
  }
  return {
    keep: sorted
      .filter((b) => reasons.has(b))
      .map((b) => ({ backup: b, reasons: reasons.get(b)! })),
    remove: sorted.filter((b) => !reasons.has(b)),
  };
}

/** Checks a rule's counts (whole numbers 0…1000); the message names the bad one. */
export function checkRetentionRule(rule: RetentionRule): string | null {
  for (const [name, value] of Object.entries(rule))
    if (!Number.isInteger(value) || value < 0 || value > 1000)
      return `--keep-${name} 须为 0 到 1000 的整数 / --keep-${name} must be a whole number from 0 to 1000 (got ${String(value)})`;
  return null;
}
