import type { ScopeRequest } from '../scope/scope.ts';
import type { SchoolMonth } from '../__generated__/resolvers-types.ts';

/** A school page: the school is visible to the viewer in `month`; parts load lazily. */
export interface SchoolDetailParent {
  code: string;
  month: string;
  current: SchoolMonth;
  /** The request that found the school visible (schoolCodes = [code], months = [month]). */
  request: ScopeRequest;
}
