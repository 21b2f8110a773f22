/**
 * How a 报送情况 cell reads: a mark and a word per state (the SDL's SubmissionState), so the
 * grid stays readable in grey print and for colour-blind readers; colour only repeats it.
 */
import type { SubmissionState } from '../api/__generated__/schema-types.ts';

export interface StateMark {
  state: SubmissionState;
  /** One character drawn in the cell. */
  mark: string;
  label: string;
}

export const SUBMISSION_STATES: readonly StateMark[] = [
  { state: 'ON_TIME', mark: '✓', label: '按时报送' },
  { state: 'LATE', mark: '迟', label: '逾期报送' },
  { state: 'MISSING', mark: '缺', label: '未报送' },
  { state: 'NOT_DUE', mark: '·', label: '未到期或无需报送' },
];

export function stateMark(state: SubmissionState): StateMark {
  return SUBMISSION_STATES.find((s) => s.state === state) ?? SUBMISSION_STATES[3]!;
}

/** The cell's words for a tooltip and screen readers, e.g. "2025年9月 逾期报送，更正1次，待核实疑点2条". */
export function cellText(
  monthLabel: string,
  cell: {
    state: SubmissionState;
    corrections: number;
    openDoubts: number;
    received: string | null;
  },
): string {
  const parts = [`${monthLabel} ${stateMark(cell.state).label}`];
  if (cell.received) parts.push(`首次报送 ${cell.received}`);
  if (cell.corrections > 0) parts.push(`更正${cell.corrections}次`);
  if (cell.openDoubts > 0) parts.push(`待核实疑点${cell.openDoubts}条`);
  return parts.join('，');
}
