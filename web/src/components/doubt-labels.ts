/** What the 数据疑点 screens need beyond the server's labels (statusLabel, ruleLabel). */
import type { DoubtsListQuery } from '../api/__generated__/graphql.ts';
import type { DoubtReviewStep, DoubtStatus } from '../api/__generated__/schema-types.ts';

export type Doubt = DoubtsListQuery['dataDoubts']['items'][number];

/** The review steps as buttons name them (the statuses they lead to, in the server's words). */
export const DOUBT_REVIEW_LABEL: Record<DoubtReviewStep, string> = {
  VERIFY: '核实无误',
  REQUEST_CORRECTION: '要求更正',
};

/** The badge tone of a status: waiting work alerts, finished work is quiet. */
export const DOUBT_STATUS_TONE: Record<DoubtStatus, 'alert' | 'warning' | 'good' | 'neutral'> = {
  OPEN: 'alert',
  CORRECTION_REQUESTED: 'warning',
  VERIFIED: 'neutral',
  CLEARED: 'good',
};
