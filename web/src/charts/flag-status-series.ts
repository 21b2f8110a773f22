/**
 * What the flag charts share: the life-cycle order of statuses, one fixed colour per status
 * (the same in every chart, distinct in lightness for grey print) and the count rows'
 * shape. Counts arrive from `flagCounts` by month, code and status.
 */
import type { FlagStatus } from '../api/__generated__/schema-types.ts';

/** A status of the server's vocabulary (`flagStatuses`), in life-cycle order. */
export interface FlagStatusEntry {
  status: FlagStatus;
  label: string;
}

/** Dark red, amber, blue, green, light grey: open work stands out, finished work recedes. */
export const FLAG_STATUS_COLOR: Record<FlagStatus, string> = {
  OPEN: '#b3261e',
  RECTIFYING: '#e0a030',
  RECTIFIED: '#3f6fc4',
  CLOSED: '#2f7d4f',
  DISMISSED: '#b8bec8',
};

/** One row of `flagCounts`: flags about `month` with `code`, now in `status`. */
export interface FlagCountRow {
  month: string;
  code: string;
  status: FlagStatus;
  statusLabel: string;
  count: number;
}

/**
 * The statuses that occur in `rows` with their labels, in the vocabulary's order (a
 * legend without empty entries); statuses the vocabulary lacks (not loaded yet) follow in
 * the order they occur, labelled by the rows.
 */
export function statusesIn(
  rows: readonly FlagCountRow[],
  vocabulary: readonly FlagStatusEntry[],
): FlagStatusEntry[] {
  const present = rows.filter((r) => r.count > 0);
  const known = vocabulary.filter((v) => present.some((r) => r.status === v.status));
  const rest = present
    .filter((r) => !vocabulary.some((v) => v.status === r.status))
    .map((r) => ({ status: r.status, label: r.statusLabel }))
    .filter((e, i, all) => all.findIndex((o) => o.status === e.status) === i);
  return [...known.map((v) => ({ status: v.status, label: v.label })), ...rest];
}
