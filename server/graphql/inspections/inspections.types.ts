import type { Visit } from '../__generated__/resolvers-types.ts';

/** A visit as repositories return it (checklist included); its flags load lazily. */
export type VisitParent = Omit<Visit, 'flags'>;
