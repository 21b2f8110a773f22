import type { Visit } from '../__generated__/resolvers-types.ts';

/**
 * A visit as repositories return it (checklist included); its flags load lazily, in one
 * query for every visit fetched together with it.
 */
export type VisitParent = Omit<Visit, 'flags' | 'evidenceFiles'> & {
  /** Ids of the visits fetched in the same query (this one included). */
  batch: readonly number[];
};
