import type { MetricChange, Overview } from '../__generated__/resolvers-types.ts';

/** An Overview as resolvers build it; `changes` loads lazily (one batch per request). */
export type OverviewCore = Omit<Overview, 'changes'>;

export interface OverviewParent extends OverviewCore {
  loadChanges: () => Promise<MetricChange[]>;
}
