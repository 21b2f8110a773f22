/**
 * The priority groups and their labels as the API gives them (the server's vocabulary, in
 * its order): every stat list carries all four, so the web app keeps no list of its own.
 */
import type { PriorityGroup } from '../../api/__generated__/schema-types.ts';

export interface GroupName {
  group: PriorityGroup;
  label: string;
}

/** The groups of the first stat list that has any (rows of one answer share them). */
export function groupNames(
  lists: readonly (readonly GroupName[] | null | undefined)[],
): GroupName[] {
  const list = lists.find((l) => l && l.length > 0) ?? [];
  return list.map(({ group, label }) => ({ group, label }));
}
