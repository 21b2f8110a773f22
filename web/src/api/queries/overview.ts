/**
 * The 总览 view's operations: the month's key figures with the 12-month trend (one request),
 * and the township comparison (a second request, so the cards never wait for it).
 */

export const OVERVIEW_SUMMARY = /* GraphQL */ `
  query OverviewSummary($month: String!, $scope: ScopeInput, $from: String!, $to: String!) {
    overview(month: $month, scope: $scope) {
      month
      schoolsInScope
      schoolsReporting
      schoolsOffering
      schoolsNotOffering
      schoolsNotReported
      serviceMonth
      schoolCoverageRate
      enrolled
      applicants
      participants
      participationRate
      demandMetRate
      teacherParticipationRate
      teachersServing
      teachersTotal
      fiveDayShare
      fivePlusTwoRate
      policyMinDailyMinutes
      openFlags
      overdueFlags
      satisfaction {
        respondent
        responses
        score
      }
      changes {
        metric
        value
        monthOnMonth
        yearOnYear
        monthOnMonthComparable
        yearOnYearComparable
      }
    }
    # Answers counted in the month they were submitted: a semester-to-date window would
    # carry May's answers into July and August and leave the new semester's months empty.
    trend(from: $from, to: $to, scope: $scope, satisfactionWindow: MONTH) {
      month
      serviceMonth
      schoolCoverageRate
      participationRate
      demandMetRate
      teacherParticipationRate
      openFlags
      satisfaction {
        respondent
        score
      }
    }
  }
`;

export const OVERVIEW_TOWNSHIPS = /* GraphQL */ `
  query OverviewTownships($month: String!, $scope: ScopeInput) {
    overviewByTownship(month: $month, scope: $scope) {
      township
      overview {
        schoolsInScope
        schoolsReporting
        participationRate
        demandMetRate
        teacherParticipationRate
        openFlags
        satisfaction {
          respondent
          responses
          score
        }
      }
    }
  }
`;
