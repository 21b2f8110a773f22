/**
 * Rows of the "schools with the largest gaps" table from a `schools(sort: PRIORITY_GAP)`
 * page: for one group, that group's figures; for all groups, the group with the school's
 * most negative gap (the API's `priorityGap`). Schools without a gap (nothing reported,
 * or no student of the group) are left out; the API's order is kept.
 */
import type { PriorityGroup } from '../../api/__generated__/schema-types.ts';

export interface GroupStat {
  group: PriorityGroup;
  label: string;
  enrolled: number | null;
  participants: number | null;
  rate: number | null;
  gap: number | null;
}

export interface SchoolGapItem {
  school: { code: string; name: string; township: string };
  participationRate: number | null;
  priorityGap: number | null;
  priorityGroups: readonly GroupStat[];
}

export interface PrioritySchoolRow {
  code: string;
  name: string;
  township: string;
  group: PriorityGroup;
  label: string;
  enrolled: number | null;
  participants: number | null;
  rate: number | null;
  gap: number;
  /** The school's participation rate (all students). */
  overallRate: number | null;
}

function worstGroup(item: SchoolGapItem): GroupStat | undefined {
  if (item.priorityGap === null) return undefined;
  return (
    item.priorityGroups.find((g) => g.gap === item.priorityGap) ??
    [...item.priorityGroups]
      .filter((g) => g.gap !== null)
      .sort((a, b) => (a.gap as number) - (b.gap as number))[0]
  );
}

export function prioritySchoolRows(
  items: readonly SchoolGapItem[],
  group: PriorityGroup | null,
): PrioritySchoolRow[] {
  const rows: PrioritySchoolRow[] = [];
  for (const item of items) {
    const stat = group ? item.priorityGroups.find((g) => g.group === group) : worstGroup(item);
    if (!stat || stat.gap === null) continue;
    rows.push({
      code: item.school.code,
      name: item.school.name,
      township: item.school.township,
      group: stat.group,
      label: stat.label,
      enrolled: stat.enrolled,
      participants: stat.participants,
      rate: stat.rate,
      gap: stat.gap,
      overallRate: item.participationRate,
    });
  }
  return rows;
}
