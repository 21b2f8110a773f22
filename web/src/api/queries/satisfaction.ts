/** The satisfaction view (满意度): survey results over a window of months in scope. */

/**
 * Cards per respondent type and every item's answer distribution: from..to, or the months
 * of a semester or school year (`period`).
 */
export const SATISFACTION_SUMMARY = /* GraphQL */ `
  query SatisfactionSummary($from: String, $to: String, $period: String, $scope: ScopeInput) {
    satisfaction(from: $from, to: $to, period: $period, scope: $scope) {
      from
      to
      byRespondent {
        respondent
        responses
        score
        satisfiedShare
      }
      items {
        itemText
        isOverall
        respondent
        responses
        score
        satisfiedShare
        distribution {
          level
          label
          count
          share
        }
      }
    }
  }
`;

/** The schools with the lowest overall score for one respondent type. */
export const SATISFACTION_LOWEST_SCHOOLS = /* GraphQL */ `
  query SatisfactionLowestSchools(
    $from: String
    $to: String
    $period: String
    $scope: ScopeInput
    $respondent: String!
    $minResponses: Int!
  ) {
    satisfaction(from: $from, to: $to, period: $period, scope: $scope) {
      from
      to
      lowestSchools(respondent: $respondent, minResponses: $minResponses, first: 10) {
        school {
          code
          name
          township
          stage
        }
        respondent
        responses
        score
        satisfiedShare
      }
    }
  }
`;

/** Month-by-month scores (responses submitted in each month). */
export const SATISFACTION_TREND = /* GraphQL */ `
  query SatisfactionTrend($from: String!, $to: String!, $scope: ScopeInput) {
    trend(from: $from, to: $to, scope: $scope, satisfactionWindow: MONTH) {
      month
      satisfaction {
        respondent
        responses
        score
        satisfiedShare
      }
    }
  }
`;

/** Months with answers in scope, newest first: the view opens on the newest of them. */
export const SATISFACTION_MONTHS = /* GraphQL */ `
  query SatisfactionMonths($scope: ScopeInput) {
    satisfactionMonths(scope: $scope)
  }
`;
