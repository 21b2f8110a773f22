/**
 * The 四不两直 view's operations (bureau only: the server answers FORBIDDEN to any other
 * role): draw, the list of draws, the replay check; and a 督学's due unannounced visits.
 */

const DRAW_FIELDS = /* GraphQL */ `
  fragment VisitDrawFields on VisitDraw {
    id
    seed
    from
    to
    sampleSize
    recentDays
    includeRecent
    scopeJson
    policyVersion
    drawnBy
    drawnAt
    note
    candidateCount
    excludedRecentCount
    strata {
      township
      band
      bandLabel
      population
      allocated
    }
    schools {
      schoolCode
      schoolName
      township
      band
      bandLabel
      riskScore
      position
      visitDate
      visitId
    }
  }
`;

export const DRAW_VISITS = /* GraphQL */ `
  mutation DrawVisits($input: DrawVisitsInput!) {
    drawVisits(input: $input) {
      ...VisitDrawFields
    }
  }
  ${DRAW_FIELDS}
`;

export const VISIT_DRAWS = /* GraphQL */ `
  query VisitDraws($first: Int, $after: String) {
    visitDraws(first: $first, after: $after) {
      total
      endCursor
      items {
        ...VisitDrawFields
      }
    }
  }
  ${DRAW_FIELDS}
`;

export const VERIFY_DRAW = /* GraphQL */ `
  query VerifyDraw($id: ID!) {
    verifyDraw(id: $id) {
      drawId
      matches
      checked
      differences
    }
  }
`;

export const MY_UNANNOUNCED_VISITS = /* GraphQL */ `
  query MyUnannouncedVisits {
    myUnannouncedVisits {
      schoolCode
      schoolName
      visitDate
      visitId
    }
  }
`;
