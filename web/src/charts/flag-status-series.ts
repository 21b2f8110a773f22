/**
 * What the flag charts share: the life-cycle order of statuses, one fixed colour per status
 * (the same in every chart, distinct in lightness for grey print) and the count rows'
 * shape. Counts arrive from `flagCounts` by month, code and status.
 */
import type { FlagStatus } from '../api/__generated__/schema-types.ts';
import { FLAG_STATUS_LABEL } from '../format/labels.ts';

export const FLAG_STATUSES: readonly FlagStatus[] = [
  'OPEN',
  'RECTIFYING',
  'RECTIFIED',
  'CLOSED',
  'DISMISSED',
];

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
  count: number;
}

/** The statuses that occur in `rows`, in life-cycle order (a legend without empty entries). */
export function statusesIn(rows: readonly FlagCountRow[]): FlagStatus[] {
  return FLAG_STATUSES.filter((s) => rows.some((r) => r.status === s && r.count > 0));
}

export function statusLabel(status: FlagStatus): string {
  return FLAG_STATUS_LABEL[status];
}
