/**
 * PUBLICATION SEAM (temporary): helper eval-publish's reader,
 * `readPublishedEvaluation(db, period, version?)` in evaluation-publication.repository.ts,
 * answers here once its branch is merged; evaluation.service.ts's loadDistrictEvaluation is
 * the single call site. Until then there is no publication to read.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DistrictEvaluation } from './evaluation.types.ts';

export async function readPublishedEvaluation(
  _db: Kysely<Database>,
  _period: string,
  _version?: number,
): Promise<DistrictEvaluation | null> {
  return null;
}
