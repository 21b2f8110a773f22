/**
 * The 走访计划 view's operations: the ranked plan (a 督学's schools, or the bureau's
 * district / one 督学's), the band legend, and the bureau's schools no one visited in the
 * semester. Leadership never asks (FORBIDDEN).
 */

export const PLAN_VISIT_PLAN = /* GraphQL */ `
  query PlanVisitPlan($month: String, $inspectorId: String, $scope: ScopeInput, $first: Int) {
    visitPlan(month: $month, inspectorId: $inspectorId, scope: $scope, first: $first) {
      month
      asOf
      total
      high
      medium
      low
      items {
        rank
        schoolCode
        schoolName
        township
        score
        band
        bandLabel
        lastVisit
        reasons {
          code
          label
          text
          points
        }
        inspectors {
          id
          name
        }
      }
    }
    riskBands(month: $month) {
      band
      label
      minScore
    }
  }
`;

export const PLAN_UNVISITED = /* GraphQL */ `
  query PlanUnvisited($semester: String, $first: Int) {
    unvisitedSchools(semester: $semester, first: $first) {
      semester
      label
      total
      items {
        schoolCode
        schoolName
        township
        lastVisit
        inspectors {
          id
          name
        }
      }
    }
  }
`;
