import type { ScopeRequest } from '../scope/scope.ts';

/** A satisfaction report over a month range (single-month windows); parts load lazily. */
export interface SatisfactionReportParent {
  from: string;
  to: string;
  /** The period asked for, or null for a from–to range. */
  period: string | null;
  request: ScopeRequest;
}
