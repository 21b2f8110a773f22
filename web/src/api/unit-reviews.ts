/**
 * The school's side of the review of its school-months (schema/reviews.graphql, issue 17):
 * the months with their review status, and submitting months (草稿 / 退回 → 已提交). The
 * documents are the review queue's own (queries/reviews.ts): one selection, one type.
 */
import type {
  ReviewStatus,
  SubmitUnitsMutation,
  SubmitUnitsMutationVariables,
  UnitReviewFieldsFragment,
  UnitReviewsQuery,
  UnitReviewsQueryVariables,
} from './__generated__/graphql.ts';
import { request } from './client.ts';
import { SUBMIT_UNITS, UNIT_REVIEWS } from './queries/reviews.ts';

export type { ReviewStatus };
export type SchoolUnit = UnitReviewFieldsFragment;

/** The school's months, newest first (the server narrows them to the reporter's school). */
export async function schoolUnits(first = 24): Promise<{ total: number; items: SchoolUnit[] }> {
  const data = await request<UnitReviewsQuery, UnitReviewsQueryVariables>(UNIT_REVIEWS, { first });
  return data.unitReviews;
}

/** Submits the months for review, all or nothing; answers them as they now stand. */
export async function submitSchoolUnits(
  schoolCode: string,
  months: readonly string[],
): Promise<SchoolUnit[]> {
  const data = await request<SubmitUnitsMutation, SubmitUnitsMutationVariables>(SUBMIT_UNITS, {
    schoolCode,
    months: [...months],
  });
  return data.submitUnits;
}
