/**
 * The 学校 view's operations: one page of schools with the month's figures (sorted and
 * paged by the server), and the participation sparklines of that page's schools.
 */

/** A page of schools in scope for the month (first ≤ 200; `after` from the last page). */
export const SCHOOLS_PAGE = /* GraphQL */ `
  query SchoolsPage(
    $period: String!
    $scope: ScopeInput
    $sort: SchoolSort
    $direction: SortDirection
    $first: Int
    $after: String
  ) {
    schools(
      period: $period
      scope: $scope
      sort: $sort
      direction: $direction
      first: $first
      after: $after
    ) {
      total
      endCursor
      items {
        month
        reported
        enrolled
        participationRate
        demandMetRate
        priorityShortfall
        priorityShortfallGroup {
          group
          label
        }
        satisfactionScore
        satisfactionResponses
        openFlags
        school {
          code
          name
          township
          stage
          locality
        }
      }
    }
  }
`;

/** Monthly participation of the given schools, oldest first, for the table's sparklines. */
export const SCHOOLS_TRENDS = /* GraphQL */ `
  query SchoolsTrends($codes: [String!]!, $from: String!, $to: String!) {
    schoolTrends(codes: $codes, from: $from, to: $to) {
      code
      points {
        month
        participationRate
      }
    }
  }
`;
