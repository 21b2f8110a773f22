/**
 * The priority groups (优先保障群体, domain.md §1): the one list, in the contract's order,
 * with the warehouse's column prefix and the labels every layer shows. The GraphQL enum
 * PriorityGroup names the same four (a test holds them equal) and its values carry these
 * labels to the web app.
 */
export const PRIORITY_GROUPS = [
  { group: 'LEFT_BEHIND', column: 'left_behind', zh: '留守儿童', en: 'left-behind children' },
  { group: 'MIGRANT', column: 'migrant', zh: '随迁子女', en: "migrant workers' children" },
  { group: 'DISABLED', column: 'disabled', zh: '残疾儿童', en: 'disabled children' },
  { group: 'POOR', column: 'poor', zh: '困难家庭学生', en: 'children of families in hardship' },
] as const;

export type PriorityGroupEntry = (typeof PRIORITY_GROUPS)[number];
export type PriorityGroupKey = PriorityGroupEntry['group'];
/** Prefix of the group's `_enrolled` / `_participants` count columns. */
export type PriorityGroupColumn = PriorityGroupEntry['column'];

export const PRIORITY_GROUP_COLUMNS: readonly PriorityGroupColumn[] = PRIORITY_GROUPS.map(
  (g) => g.column,
);

export function priorityGroup(group: PriorityGroupKey): PriorityGroupEntry {
  // Every key is in the list: the type admits no other.
  return PRIORITY_GROUPS.find((g) => g.group === group)!;
}
