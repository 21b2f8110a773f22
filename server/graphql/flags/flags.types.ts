import type { Flag } from '../__generated__/resolvers-types.ts';

/**
 * A flag as repositories return it: every scalar field of the GraphQL Flag, plus whether
 * the viewer may act on the flag's school now (computed in SQL with the flag, so
 * `allowedSteps` needs no query). History is loaded by its own field resolver.
 */
export type FlagParent = Omit<
  Flag,
  | 'history'
  | 'allowedSteps'
  | 'closingVisits'
  | 'closingVisitsHint'
  | 'closingVisit'
  | 'evidenceFiles'
> & {
  /** The viewer's role and remit allow life-cycle steps on this school (now). */
  actsOnSchool: boolean;
};
