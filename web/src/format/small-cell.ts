/**
 * Small-cell protection as the dashboard shows it (issue 15). The server decides what is
 * withheld (`PriorityGroupStat.suppressed`, with the threshold `suppressedBelow`): the
 * web writes "<10" where a withheld figure would stand and never computes a figure, a
 * bound or a threshold itself. Every place that shows a priority group's counts, rate or
 * gap (cards, tables, charts, tooltips, exports) goes through these helpers.
 */
import type { Cell } from '../export/table-data.ts';
import { integer, percent, points } from './format.ts';

/** The disclosure fields of a PriorityGroupStat (older answers may lack them). */
export interface Disclosed {
  suppressed?: boolean | null;
  suppressedBelow?: number | null;
}

/** Whether the server withheld the group's figures. */
export function withheld(stat: Disclosed | null | undefined): boolean {
  return stat?.suppressed === true;
}

/** "<10": what stands for a withheld count (the threshold is the server's). */
export function withheldText(stat: Disclosed | null | undefined): string {
  const n = stat?.suppressedBelow;
  return typeof n === 'number' ? `<${n}` : '<n';
}

/**
 * What stands for a withheld rate or gap: "<10人", so it does not read as a percentage.
 * The group is small (or withheld to protect a small one), its rate is not shown.
 */
export function withheldRateText(stat: Disclosed | null | undefined): string {
  return `${withheldText(stat)}人`;
}

function withheldReason(stat: Disclosed | null | undefined): string {
  const n = stat?.suppressedBelow;
  const below = typeof n === 'number' ? `${n}人` : '保护线';
  return `该群体人数少于${below}（或为防止推算一并隐藏），人数、参与率和差距不予显示`;
}

/** The sentence a cell's title or tooltip gives a withheld figure. */
export function withheldHint(stat: Disclosed | null | undefined): string {
  return `小群体保护：${withheldReason(stat)}`;
}

/** The note an exported table or printed page carries when one of its figures is withheld. */
export function smallCellNote(stats: readonly (Disclosed | null | undefined)[]): string | null {
  const first = stats.find(withheld);
  return first ? `小群体保护：“${withheldText(first)}”表示${withheldReason(first)}` : null;
}

/** A group's count as text: "<10" when withheld, else "1,234" (— for null). */
export function groupCount(stat: Disclosed | null | undefined, value: number | null | undefined) {
  return withheld(stat) ? withheldText(stat) : integer(value);
}

/** A group's rate as text: "<10人" when withheld, else "62.3%". */
export function groupRate(stat: Disclosed | null | undefined, value: number | null | undefined) {
  return withheld(stat) ? withheldRateText(stat) : percent(value);
}

/** A group's gap as text: "<10人" when withheld, else "−3.2个百分点". */
export function groupGap(stat: Disclosed | null | undefined, value: number | null | undefined) {
  return withheld(stat) ? withheldRateText(stat) : points(value);
}

/**
 * What an exported cell holds: the withheld text (a string, so Excel shows "<10", never a
 * number) or the value itself.
 */
export function groupCell(stat: Disclosed | null | undefined, value: Cell, rate = false): Cell {
  if (!withheld(stat)) return value;
  return rate ? withheldRateText(stat) : withheldText(stat);
}
