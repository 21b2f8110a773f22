/**
 * The publication seam evaluation.service.ts reads through: the published evaluations of
 * evaluation-publication.repository.ts (migration 0007).
 */
export { readPublishedEvaluation } from './evaluation-publication.repository.ts';
