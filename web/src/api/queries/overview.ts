/**
 * The 总览 view's operations: the period's key figures with the monthly trend (one request),
 * and the township comparison (a second request, so the cards never wait for it). The
 * period is a month, a semester or a school year (the filter bar's).
 */

export const OVERVIEW_SUMMARY = /* GraphQL */ `
  query OverviewSummary($period: String!, $scope: ScopeInput, $from: String!, $to: String!) {
    overview(period: $period, scope: $scope) {
      month
      period
      periodLabel
      periodKind
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
  query OverviewTownships($period: String!, $scope: ScopeInput) {
    overviewByTownship(period: $period, scope: $scope) {
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
