/**
 * 报表审核: the queue of school-months with their review, the counts by status, and the
 * four steps (submit, approve, return with reasons, unlock with a reason). The school's
 * own page (SchoolHomeView) asks the same unitReviews and submitUnits.
 */

const UNIT_REVIEW_FIELDS = /* GraphQL */ `
  fragment UnitReviewFields on UnitReview {
    schoolCode
    schoolName
    township
    month
    status
    statusLabel
    reasons
    hasData
    updatedAt
    updatedBy
    allowedActions
    history {
      action
      actionLabel
      fromStatus
      toStatus
      note
      batchId
      username
      occurredAt
    }
  }
`;

export const UNIT_REVIEWS = /* GraphQL */ `
  query UnitReviews(
    $month: String
    $status: ReviewStatus
    $township: String
    $first: Int
    $after: String
  ) {
    unitReviews(month: $month, status: $status, township: $township, first: $first, after: $after) {
      total
      endCursor
      items {
        ...UnitReviewFields
      }
    }
    unitReviewCounts(month: $month, township: $township) {
      status
      label
      count
    }
  }
  ${UNIT_REVIEW_FIELDS}
`;

export const SUBMIT_UNITS = /* GraphQL */ `
  mutation SubmitUnits($schoolCode: String!, $months: [String!]!) {
    submitUnits(schoolCode: $schoolCode, months: $months) {
      ...UnitReviewFields
    }
  }
  ${UNIT_REVIEW_FIELDS}
`;

export const APPROVE_UNITS = /* GraphQL */ `
  mutation ApproveUnits($units: [UnitKeyInput!]!) {
    approveUnits(units: $units) {
      ...UnitReviewFields
    }
  }
  ${UNIT_REVIEW_FIELDS}
`;

export const RETURN_UNITS = /* GraphQL */ `
  mutation ReturnUnits($units: [UnitKeyInput!]!, $reasons: [String!]!) {
    returnUnits(units: $units, reasons: $reasons) {
      ...UnitReviewFields
    }
  }
  ${UNIT_REVIEW_FIELDS}
`;

export const UNLOCK_UNIT = /* GraphQL */ `
  mutation UnlockUnit($unit: UnitKeyInput!, $reason: String!) {
    unlockUnit(unit: $unit, reason: $reason) {
      ...UnitReviewFields
    }
  }
  ${UNIT_REVIEW_FIELDS}
`;
