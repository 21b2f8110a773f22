import type { Period } from '../../db/calendar.ts';
import type { ScopeRequest } from '../scope/scope.ts';
import type { SchoolMonth } from '../__generated__/resolvers-types.ts';

/** A school page: the school is visible to the viewer in `month`; parts load lazily. */
export interface SchoolDetailParent {
  code: string;
  month: string;
  /** The period asked for; `request` holds its summed months. */
  period: Period;
  current: SchoolMonth;
  /** The request that found the school visible (schoolCodes = [code], the summed months). */
  request: ScopeRequest;
}
