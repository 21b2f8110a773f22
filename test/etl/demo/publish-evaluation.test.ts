/**
 * Which school year the demo publishes: the newest one over on the demo's "today" that
 * holds some of its months (the default demo: 2024-09..2026-10, today 2026-11-25).
 */
import { describe, expect, it } from 'vitest';
import { newestCompleteYear } from '../../../etl/demo/publish-evaluation.ts';

describe('newestCompleteYear', () => {
  it('is the year before the one today falls in', () => {
    const months = ['2024-09', '2025-06', '2026-10'];
    expect(newestCompleteYear(new Date('2026-11-25T00:00:00+08:00'), months)?.key).toBe(
      '2025-2026',
    );
    // 2026-08-31 is still in 2025-2026 (its last month, August, is not over).
    expect(newestCompleteYear(new Date('2026-08-31T23:00:00+08:00'), months)?.key).toBe(
      '2024-2025',
    );
    // Shanghai time decides: 2026-08-31T16:30Z is 2026-09-01 00:30 there.
    expect(newestCompleteYear(new Date('2026-08-31T16:30:00Z'), months)?.key).toBe('2025-2026');
  });

  it('is null when the demo has no month in that year', () => {
    expect(newestCompleteYear(new Date('2025-03-01T00:00:00+08:00'), ['2024-09'])).toBeNull();
  });
});
