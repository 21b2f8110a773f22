import { describe, expect, it } from 'vitest';
import {
  prioritySchoolRows,
  type SchoolGapItem,
} from '../../../../web/src/charts/priority-gap/priority-school-rows.ts';
import { labelOf } from './api-groups.ts';

const stat = (
  group: 'LEFT_BEHIND' | 'MIGRANT' | 'DISABLED' | 'POOR',
  enrolled: number | null,
  participants: number | null,
  rate: number | null,
  gap: number | null,
) => ({ group, label: labelOf(group), enrolled, participants, rate, gap });

/** The fixture's 2025-10 page sorted by the most negative gap. */
const ITEMS: SchoolGapItem[] = [
  {
    school: { code: '1000000002', name: '东城村小', township: '东城镇' },
    participationRate: 0.8,
    priorityGap: -0.8,
    priorityGroups: [
      stat('LEFT_BEHIND', 20, 10, 0.5, -0.3),
      stat('MIGRANT', 0, 0, null, null),
      stat('DISABLED', 1, 0, 0, -0.8),
      stat('POOR', 10, 4, 0.4, -0.4),
    ],
  },
  {
    school: { code: '1000000001', name: '东城第一小学', township: '东城镇' },
    participationRate: 0.84,
    priorityGap: -0.34,
    priorityGroups: [
      stat('LEFT_BEHIND', 20, 14, 0.7, -0.14),
      stat('MIGRANT', 20, 15, 0.75, -0.09),
      stat('DISABLED', 2, 1, 0.5, -0.34),
      stat('POOR', 10, 8, 0.8, -0.04),
    ],
  },
  {
    school: { code: '1000000004', name: '西山九年一贯制学校', township: '西山乡' },
    participationRate: null,
    priorityGap: null,
    priorityGroups: [stat('LEFT_BEHIND', null, null, null, null)],
  },
];

describe('prioritySchoolRows', () => {
  it('shows each school’s worst group for all groups, in the API’s order', () => {
    const rows = prioritySchoolRows(ITEMS, null);
    expect(rows.map((r) => [r.name, r.group, r.enrolled, r.participants, r.rate, r.gap])).toEqual([
      ['东城村小', 'DISABLED', 1, 0, 0, -0.8],
      ['东城第一小学', 'DISABLED', 2, 1, 0.5, -0.34],
    ]);
    expect(rows[0]!.overallRate).toBe(0.8);
  });

  it('shows one group’s figures when a group is chosen, leaving out schools without it', () => {
    const rows = prioritySchoolRows(ITEMS, 'MIGRANT');
    expect(rows.map((r) => [r.code, r.group, r.rate, r.gap])).toEqual([
      ['1000000001', 'MIGRANT', 0.75, -0.09],
    ]);
  });

  it('takes the first group in order when gaps tie', () => {
    const tie: SchoolGapItem = {
      school: { code: '1', name: 'a', township: 't' },
      participationRate: 0.7,
      priorityGap: -0.2,
      priorityGroups: [stat('LEFT_BEHIND', 10, 5, 0.5, -0.2), stat('MIGRANT', 20, 10, 0.5, -0.2)],
    };
    expect(prioritySchoolRows([tie], null)[0]!.group).toBe('LEFT_BEHIND');
  });
});
