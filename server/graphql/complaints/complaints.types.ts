import type { Complaint } from '../__generated__/resolvers-types.ts';

/**
 * A complaint as repositories return it; its flag, visit and history load on request (each
 * through its own area's visibility: a flag the viewer may not see reads as null).
 */
export type ComplaintParent = Omit<Complaint, 'flag' | 'visit' | 'events'> & {
  flagId: number | null;
  visitId: number | null;
};
