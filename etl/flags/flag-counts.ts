/** What one judging run changed in the flags table. */
export interface FlagCounts {
  /** New flags (status OPEN). */
  raised: number;
  /** Active flags whose observed value, threshold or policy version changed. */
  updated: number;
  /** Active flags closed because their evidence is gone (resolution 'auto'). */
  resolved: number;
  /** Automatically closed flags opened again because their evidence returned. */
  reopened: number;
}

export function noFlagChanges(): FlagCounts {
  return { raised: 0, updated: 0, resolved: 0, reopened: 0 };
}

export function addFlagCounts(a: FlagCounts, b: FlagCounts): FlagCounts {
  return {
    raised: a.raised + b.raised,
    updated: a.updated + b.updated,
    resolved: a.resolved + b.resolved,
    reopened: a.reopened + b.reopened,
  };
}
