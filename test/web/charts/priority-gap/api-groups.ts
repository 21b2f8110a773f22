/** Priority groups as the API gives them: the server vocabulary's order and labels. */
import {
  PRIORITY_GROUPS,
  priorityGroup,
  type PriorityGroupKey,
} from '../../../../server/db/vocabulary/priority-groups.ts';

export const labelOf = (group: PriorityGroupKey): string => priorityGroup(group).zh;

/** One `{ group, label, rate }` per group in the API's order, rates by position. */
export function groupRates(rates: readonly (number | null)[]) {
  return PRIORITY_GROUPS.map(({ group, zh }, i) => ({ group, label: zh, rate: rates[i] ?? null }));
}
