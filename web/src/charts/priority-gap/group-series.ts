/**
 * One series per priority group (the API's groups, in its order) over a list of stat lists
 * (per township, per month): each group's rate, and where the server withheld the group's
 * figures (small-cell protection) no value but the note "<10人" for the tooltip and table.
 */
import type { PriorityGroup } from '../../api/__generated__/schema-types.ts';
import { withheld, withheldRateText, type Disclosed } from '../../format/small-cell.ts';
import { groupNames } from './group-names.ts';

export interface GroupRateStat extends Disclosed {
  group: PriorityGroup;
  label: string;
  rate: number | null;
}

export interface GroupRateSeries {
  name: string;
  values: (number | null)[];
  notes: (string | null)[];
}

export function groupRateSeries(lists: readonly (readonly GroupRateStat[])[]): GroupRateSeries[] {
  return groupNames(lists).map(({ group, label }) => {
    const stats = lists.map((list) => list.find((s) => s.group === group));
    return {
      name: label,
      values: stats.map((s) => (withheld(s) ? null : (s?.rate ?? null))),
      notes: stats.map((s) => (withheld(s) ? withheldRateText(s) : null)),
    };
  });
}
