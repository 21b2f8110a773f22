/**
 * The 年度考核 view's operations (schema/evaluation.graphql): a page of the ranked
 * evaluation, one school's card, leadership's summary, the published versions, and
 * publishing. Every answer is already narrowed to the viewer's scope by the server.
 */

const SCHOOL_EVALUATION_FIELDS = /* GraphQL */ `
  fragment SchoolEvaluationFields on SchoolEvaluation {
    schoolCode
    schoolName
    township
    stage
    locality
    peerGroup
    score
    grade
    gradeLabel
    rank
    peerRank
    peerGroupSize
    vetoed
    vetoReason
    incomplete
    previousScore
    previousGrade
    scoreChange
    excellentCapped
  }
`;

const PAGE_HEAD_FIELDS = /* GraphQL */ `
  fragment EvaluationPageHead on EvaluationPage {
    period
    periodLabel
    schemeVersion
    schemeName
    schemeSource
    published
    publishedAt
    publishedBy
    version
    total
    endCursor
    gradeCounts {
      grade
      label
      schools
    }
  }
`;

/** One page of the ranked evaluation (rank order), with the scheme and publication state. */
export const EVALUATIONS_PAGE = /* GraphQL */ `
  query EvaluationsPage(
    $period: String!
    $scope: ScopeInput
    $first: Int
    $after: String
    $version: Int
    $grade: EvaluationGrade
  ) {
    evaluations(
      period: $period
      scope: $scope
      first: $first
      after: $after
      version: $version
      grade: $grade
    ) {
      ...EvaluationPageHead
      items {
        ...SchoolEvaluationFields
      }
    }
  }
  ${PAGE_HEAD_FIELDS}
  ${SCHOOL_EVALUATION_FIELDS}
`;

/** Every school with its indicators' points, for the 考核结果表 export. */
export const EVALUATIONS_SHEET = /* GraphQL */ `
  query EvaluationsSheet(
    $period: String!
    $scope: ScopeInput
    $first: Int
    $after: String
    $version: Int
    $grade: EvaluationGrade
  ) {
    evaluations(
      period: $period
      scope: $scope
      first: $first
      after: $after
      version: $version
      grade: $grade
    ) {
      ...EvaluationPageHead
      items {
        ...SchoolEvaluationFields
        indicators {
          key
          name
          points
          maxPoints
          insufficientData
        }
        deductions {
          key
          name
          points
        }
      }
    }
  }
  ${PAGE_HEAD_FIELDS}
  ${SCHOOL_EVALUATION_FIELDS}
`;

/** One school's card: every indicator with its value, evidence and the peer median. */
export const SCHOOL_EVALUATION = /* GraphQL */ `
  query SchoolEvaluationCard($code: String!, $period: String!, $version: Int) {
    schoolEvaluation(code: $code, period: $period, version: $version) {
      ...SchoolEvaluationFields
      indicators {
        key
        name
        points
        maxPoints
        value
        unit
        evidence
        insufficientData
        peerMedianPoints
        peerMedianValue
        districtMedianValue
      }
      deductions {
        key
        name
        points
        evidence
      }
    }
  }
  ${SCHOOL_EVALUATION_FIELDS}
`;

/** Leadership's summary: grades by township and the movers. */
export const EVALUATION_SUMMARY = /* GraphQL */ `
  query EvaluationSummary($period: String!, $scope: ScopeInput, $version: Int) {
    evaluationSummary(period: $period, scope: $scope, version: $version) {
      period
      periodLabel
      schemeVersion
      published
      version
      gradeCounts {
        grade
        label
        schools
      }
      byTownship {
        township
        schools
        excellent
        good
        pass
        fail
        meanScore
      }
      risers {
        ...EvaluationMoveFields
      }
      fallers {
        ...EvaluationMoveFields
      }
    }
  }

  fragment EvaluationMoveFields on EvaluationMove {
    schoolCode
    schoolName
    township
    score
    previousScore
    change
    grade
    previousGrade
  }
`;

/** The publications of a period, newest first, and the scheme versions. */
export const EVALUATION_VERSIONS = /* GraphQL */ `
  query EvaluationVersions($period: String!) {
    evaluationVersions(period: $period) {
      period
      version
      schemeVersion
      publishedAt
      publishedBy
      note
      schools
      current
    }
    evaluationSchemes {
      version
      name
      source
      effectiveFrom
      maxScore
    }
  }
`;

/** Bureau inspectors: snapshot the period's evaluation as a new published version. */
export const PUBLISH_EVALUATION = /* GraphQL */ `
  mutation PublishEvaluation($period: String!, $note: String) {
    publishEvaluation(period: $period, note: $note) {
      period
      version
      published
      publishedAt
      publishedBy
      total
    }
  }
`;

/** A school's figures against its peer group's and the district's medians. */
export const PEER_COMPARISON = /* GraphQL */ `
  query PeerComparison($code: String!, $period: String!) {
    peerComparison(code: $code, period: $period) {
      schoolCode
      period
      peerGroup
      peerGroupSize
      figures {
        key
        name
        unit
        value
        peerMedian
        districtMedian
      }
    }
  }
`;

/** The district's name as its policy states it (for the 考核结果表's title). */
export const EVALUATION_DISTRICT = /* GraphQL */ `
  query EvaluationDistrict {
    policyVersions {
      district
      effectiveFrom
    }
  }
`;
