/** The school page's 多方印证 section: one month's four sources and their contradictions. */

export const SCHOOL_TRIANGULATION = /* GraphQL */ `
  query SchoolTriangulation($code: String!, $month: String!) {
    triangulation(schoolCode: $code, month: $month) {
      schoolCode
      month
      report {
        reported
        feePerPeriod
        feesPublished
        schoolDays
        serviceDays
        dailyMinutes
        latestEndTime
        endTimeCap
        homeworkPeriods
        incidents
        participationRate
      }
      survey {
        itemText
        respondent
        responses
        dissatisfied
        dissatisfiedShare
      }
      complaints {
        code
        label
        count
      }
      visitFindings {
        date
        kind
        code
        label
        note
      }
      contradictions {
        rule
        source
        sourceLabel
        reportSide
        otherSide
        text
      }
    }
  }
`;
