/**
 * The one home of the 数据疑点 status vocabulary: each status's Chinese label (the same
 * words as schema/doubts.graphql's enum descriptions), which statuses still need a review
 * or a corrected file, and which review step moves a doubt from which statuses. The server
 * and (through DataDoubt.statusLabel) the web app read labels from here.
 */
import type { DoubtAction, DoubtStatus } from '../tables/data-doubts.table.ts';

/** Every status in review order, with its label as users read it. */
export const DOUBT_STATUS_VOCABULARY = [
  { status: 'OPEN', label: '待核实', open: true },
  { status: 'VERIFIED', label: '核实无误', open: false },
  { status: 'CORRECTION_REQUESTED', label: '要求更正', open: true },
  // The check no longer holds on a later file: the school corrected its report.
  { status: 'CLEARED', label: '已更正', open: false },
] as const satisfies readonly { status: DoubtStatus; label: string; open: boolean }[];

/** Statuses still waiting for someone (an inspector's review or the school's correction). */
export const OPEN_DOUBT_STATUSES: readonly DoubtStatus[] = DOUBT_STATUS_VOCABULARY.filter(
  (s) => s.open,
).map((s) => s.status);

const LABELS = new Map<string, string>(DOUBT_STATUS_VOCABULARY.map((s) => [s.status, s.label]));

/** The status's Chinese label, e.g. 核实无误. */
export function doubtStatusLabel(status: DoubtStatus): string {
  return LABELS.get(status) ?? status;
}

/** An inspector's review steps on a doubt (the checks themselves raise and clear doubts). */
export type DoubtReview = 'VERIFY' | 'REQUEST_CORRECTION';

export interface DoubtTransition {
  from: readonly DoubtStatus[];
  to: DoubtStatus;
  action: DoubtAction;
  /** The audit_log action (the audit vocabulary lists it as a doubt review). */
  auditAction: string;
}

/**
 * 核实无误 closes a doubt even if later loads still find it; 要求更正 asks the school for a
 * corrected file, which clears it. A verified figure can still be sent back for correction
 * (the inspector learned more), and a requested correction can be withdrawn by verifying.
 */
export const DOUBT_TRANSITIONS: Readonly<Record<DoubtReview, DoubtTransition>> = {
  VERIFY: {
    from: ['OPEN', 'CORRECTION_REQUESTED'],
    to: 'VERIFIED',
    action: 'VERIFIED',
    auditAction: 'DOUBT_VERIFIED',
  },
  REQUEST_CORRECTION: {
    from: ['OPEN', 'VERIFIED'],
    to: 'CORRECTION_REQUESTED',
    action: 'CORRECTION_REQUESTED',
    auditAction: 'DOUBT_CORRECTION_REQUESTED',
  },
};

/** The review steps that apply to a doubt in `status`, in the order above. */
export function allowedReviews(status: DoubtStatus): DoubtReview[] {
  return (Object.keys(DOUBT_TRANSITIONS) as DoubtReview[]).filter((step) =>
    DOUBT_TRANSITIONS[step].from.includes(status),
  );
}
