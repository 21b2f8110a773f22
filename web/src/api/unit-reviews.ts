/**
 * The school's side of the review of its school-months (schema/reviews.graphql, issue 17):
 * the months with their review status, and submitting months (草稿 / 退回 → 已提交). Typed
 * by hand from that schema's UnitReview; kept out of queries/ (codegen's documents) until
 * the review schema is on the same branch, then it can move there unchanged.
 */
import { request } from './client.ts';

export type ReviewStatus = 'DRAFT' | 'SUBMITTED' | 'APPROVED' | 'RETURNED';
export type ReviewAction = 'SUBMIT' | 'APPROVE' | 'RETURN' | 'UNLOCK' | 'LOCKED_LOAD_REFUSED';

export interface SchoolUnitEvent {
  action: ReviewAction;
  actionLabel: string;
  note: string | null;
  username: string | null;
  occurredAt: string;
}

export interface SchoolUnit {
  schoolCode: string;
  schoolName: string;
  month: string;
  status: ReviewStatus;
  statusLabel: string;
  reasons: string[];
  hasData: boolean;
  updatedAt: string | null;
  history: SchoolUnitEvent[];
  allowedActions: ReviewAction[];
}

const UNIT_FIELDS = /* GraphQL */ `
  schoolCode
  schoolName
  month
  status
  statusLabel
  reasons
  hasData
  updatedAt
  history {
    action
    actionLabel
    note
    username
    occurredAt
  }
  allowedActions
`;

export const SCHOOL_UNITS = /* GraphQL */ `
  query SchoolUnits($first: Int) {
    unitReviews(first: $first) {
      total
      items {
        ${UNIT_FIELDS}
      }
    }
  }
`;

export const SUBMIT_UNITS = /* GraphQL */ `
  mutation SubmitSchoolUnits($schoolCode: String!, $months: [String!]!) {
    submitUnits(schoolCode: $schoolCode, months: $months) {
      ${UNIT_FIELDS}
    }
  }
`;

/** The school's months, newest first (the server narrows them to the reporter's school). */
export async function schoolUnits(first = 24): Promise<{ total: number; items: SchoolUnit[] }> {
  const data = await request<
    { unitReviews: { total: number; items: SchoolUnit[] } },
    { first: number }
  >(SCHOOL_UNITS, { first });
  return data.unitReviews;
}

/** Submits the months for review, all or nothing; answers them as they now stand. */
export async function submitSchoolUnits(
  schoolCode: string,
  months: readonly string[],
): Promise<SchoolUnit[]> {
  const data = await request<
    { submitUnits: SchoolUnit[] },
    { schoolCode: string; months: string[] }
  >(SUBMIT_UNITS, { schoolCode, months: [...months] });
  return data.submitUnits;
}
