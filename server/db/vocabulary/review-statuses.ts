/**
 * The review of a school-month (issue 17): its statuses, the steps between them and the
 * words people read for each, in one home. 已审核 is the locked state: a later file does not
 * replace a locked unit until a logged unlock.
 */
export type ReviewStatus = 'DRAFT' | 'SUBMITTED' | 'APPROVED' | 'RETURNED';
export type ReviewAction = 'SUBMIT' | 'APPROVE' | 'RETURN' | 'UNLOCK' | 'LOCKED_LOAD_REFUSED';

export const REVIEW_STATUSES: readonly ReviewStatus[] = [
  'DRAFT',
  'SUBMITTED',
  'APPROVED',
  'RETURNED',
];

export const REVIEW_STATUS_LABEL: Readonly<Record<ReviewStatus, string>> = {
  DRAFT: '草稿',
  SUBMITTED: '已提交',
  APPROVED: '已审核',
  RETURNED: '退回',
};

export const REVIEW_ACTION_LABEL: Readonly<Record<ReviewAction, string>> = {
  SUBMIT: '提交',
  APPROVE: '审核通过',
  RETURN: '退回',
  UNLOCK: '解锁',
  LOCKED_LOAD_REFUSED: '已锁定，拒绝替换',
};

/** The status a school-month is in with no unit_reviews row. */
export const DEFAULT_REVIEW_STATUS: ReviewStatus = 'DRAFT';

/** Statuses a step may start from; APPROVED is left only by UNLOCK. */
export const REVIEW_STEP_FROM: Readonly<
  Record<Exclude<ReviewAction, 'LOCKED_LOAD_REFUSED'>, readonly ReviewStatus[]>
> = {
  SUBMIT: ['DRAFT', 'RETURNED'],
  APPROVE: ['SUBMITTED'],
  RETURN: ['SUBMITTED'],
  UNLOCK: ['APPROVED'],
};

/** The status each step leads to (an unlocked unit goes back to the school as returned). */
export const REVIEW_STEP_TO: Readonly<
  Record<Exclude<ReviewAction, 'LOCKED_LOAD_REFUSED'>, ReviewStatus>
> = {
  SUBMIT: 'SUBMITTED',
  APPROVE: 'APPROVED',
  RETURN: 'RETURNED',
  UNLOCK: 'RETURNED',
};
