import { describe, expect, it } from 'vitest';
import {
  belowDemandFloor,
  gapBeyondLimit,
} from '../../../../server/graphql/report/threshold-checks.ts';
import { schoolMonth } from './school-month.ts';

describe('belowDemandFloor', () => {
  it('holds below the floor and not exactly at it', () => {
    expect(belowDemandFloor(schoolMonth('1', { applicants: 100, participants: 94 }), 0.95)).toBe(
      true,
    );
    expect(belowDemandFloor(schoolMonth('1', { applicants: 100, participants: 95 }), 0.95)).toBe(
      false,
    );
    // 100 × 0.55 is 55.00000000000001 in floating point; the flags compare decimals.
    expect(belowDemandFloor(schoolMonth('1', { applicants: 100, participants: 55 }), 0.55)).toBe(
      false,
    );
  });

  it('ignores schools without service or without applicants, as NOT_OFFERED.turned_away does', () => {
    const closed = schoolMonth('1', { applicants: 100, participants: 0, serviceDays: 0 });
    expect(belowDemandFloor(closed, 0.95)).toBe(false);
    expect(belowDemandFloor(schoolMonth('1', { applicants: 0, participants: 0 }), 0.95)).toBe(
      false,
    );
  });
});

describe('gapBeyondLimit', () => {
  it('holds more than the points below the school’s rate, not exactly at them', () => {
    // School 60%; the group 50% is exactly 10 points below (2024-10's migrant pupils).
    const exact = schoolMonth('1', {
      enrolled: 90,
      participants: 54,
      groups: { MIGRANT: [20, 10] },
    });
    expect(gapBeyondLimit(exact, 'MIGRANT', 10, 20)).toBe(false);
    const beyond = schoolMonth('1', {
      enrolled: 200,
      participants: 168,
      groups: { LEFT_BEHIND: [20, 14] },
    });
    expect(gapBeyondLimit(beyond, 'LEFT_BEHIND', 10, 20)).toBe(true);
    expect(gapBeyondLimit(beyond, 'LEFT_BEHIND', 20, 20)).toBe(false);
  });

  it('does not judge groups smaller than the policy’s minimum', () => {
    const small = schoolMonth('1', {
      enrolled: 100,
      participants: 90,
      groups: { DISABLED: [19, 0] },
    });
    expect(gapBeyondLimit(small, 'DISABLED', 10, 20)).toBe(false);
    expect(gapBeyondLimit(small, 'DISABLED', 10, 19)).toBe(true);
  });

  it('does not judge a school without participation counts', () => {
    const none = schoolMonth('1', { enrolled: null, participants: null, applicants: null });
    expect(gapBeyondLimit(none, 'LEFT_BEHIND', 10, 1)).toBe(false);
  });
});
