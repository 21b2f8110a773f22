import type { LoadBatch } from '../__generated__/resolvers-types.ts';

/** A load batch as repositories return it; `rejects` loads lazily, batched per request. */
export type LoadBatchParent = Omit<LoadBatch, 'rejects' | 'id'> & { id: string };
