/** 报送情况: the school × month grid (bureau and 督学; schema/doubts.graphql). */

export const SUBMISSION_MATRIX = /* GraphQL */ `
  query SubmissionMatrix($from: String!, $to: String!, $scope: ScopeInput, $inspectorId: String) {
    submissionMatrix(from: $from, to: $to, scope: $scope, inspectorId: $inspectorId) {
      months
      total
      onTime
      late
      missing
      corrected
      withDoubts
      inspectors {
        id
        name
      }
      rows {
        schoolCode
        schoolName
        township
        cells {
          month
          state
          firstReceivedAt
          corrections
          openDoubts
        }
      }
    }
  }
`;
