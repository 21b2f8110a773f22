/**
 * The 数据疑点 view's operations: the filtered list with the status and rule vocabularies,
 * the two review steps, and the school page's doubts. Leadership never asks (FORBIDDEN).
 */

const DOUBT_FIELDS = /* GraphQL */ `
  fragment DataDoubtFields on DataDoubt {
    id
    schoolCode
    schoolName
    township
    month
    rule
    ruleLabel
    measure
    measureLabel
    value
    reference
    deviation
    detail
    status
    statusLabel
    evidenceBatchId
    reviewNote
    reviewedBy
    reviewedAt
    createdAt
    updatedAt
    allowedReviews
  }
`;

export const DOUBTS_LIST = /* GraphQL */ `
  query DoubtsList(
    $period: String
    $scope: ScopeInput
    $status: DoubtStatus
    $rule: String
    $schoolCode: String
    $first: Int
    $after: String
  ) {
    dataDoubts(
      period: $period
      scope: $scope
      status: $status
      rule: $rule
      schoolCode: $schoolCode
      first: $first
      after: $after
    ) {
      total
      endCursor
      items {
        ...DataDoubtFields
      }
    }
    doubtStatuses {
      status
      label
      open
    }
    doubtRules {
      rule
      label
      description
    }
  }
  ${DOUBT_FIELDS}
`;

/** How many doubts of each status the filters match (the cards above the list). */
export const DOUBTS_COUNTS = /* GraphQL */ `
  query DoubtsCounts($period: String, $scope: ScopeInput, $rule: String, $schoolCode: String) {
    all: dataDoubts(
      period: $period
      scope: $scope
      rule: $rule
      schoolCode: $schoolCode
      first: 1
    ) {
      total
    }
    open: dataDoubts(
      period: $period
      scope: $scope
      rule: $rule
      schoolCode: $schoolCode
      status: OPEN
      first: 1
    ) {
      total
    }
    correction: dataDoubts(
      period: $period
      scope: $scope
      rule: $rule
      schoolCode: $schoolCode
      status: CORRECTION_REQUESTED
      first: 1
    ) {
      total
    }
    verified: dataDoubts(
      period: $period
      scope: $scope
      rule: $rule
      schoolCode: $schoolCode
      status: VERIFIED
      first: 1
    ) {
      total
    }
    cleared: dataDoubts(
      period: $period
      scope: $scope
      rule: $rule
      schoolCode: $schoolCode
      status: CLEARED
      first: 1
    ) {
      total
    }
  }
`;

export const DOUBT_VERIFY = /* GraphQL */ `
  mutation DoubtVerify($doubtId: ID!, $note: String!) {
    verifyDoubt(doubtId: $doubtId, note: $note) {
      ...DataDoubtFields
    }
  }
  ${DOUBT_FIELDS}
`;

export const DOUBT_REQUEST_CORRECTION = /* GraphQL */ `
  mutation DoubtRequestCorrection($doubtId: ID!, $note: String!) {
    requestDoubtCorrection(doubtId: $doubtId, note: $note) {
      ...DataDoubtFields
    }
  }
  ${DOUBT_FIELDS}
`;

/** The school page's doubts: every month, newest first (at most 100: the query cost limit; the 数据疑点 view pages through the rest). */
export const SCHOOL_DOUBTS = /* GraphQL */ `
  query SchoolDoubts($schoolCode: String!) {
    dataDoubts(schoolCode: $schoolCode, first: 100) {
      total
      items {
        ...DataDoubtFields
      }
    }
  }
  ${DOUBT_FIELDS}
`;
