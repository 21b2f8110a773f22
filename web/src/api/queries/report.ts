/** The leadership monthly report (月度报告): one month's summary with server-written findings. */
import { PRIORITY_GROUP_FIELDS } from './priority-group-fields.ts';

export const REPORT_MONTHLY = /* GraphQL */ `
  query ReportMonthly($period: String!, $scope: ScopeInput) {
    monthlyReport(period: $period, scope: $scope) {
      month
      dataAsOf
      scope {
        audience
        remit
        schoolsInScope
        text
      }
      overview {
        month
        periodKind
        schoolsInScope
        schoolsReporting
        schoolsOffering
        schoolCoverageRate
        enrolled
        applicants
        participants
        participationRate
        demandMetRate
        teacherParticipationRate
        teachersServing
        teachersTotal
        priorityGroups {
          ...PriorityGroupFields
        }
        satisfaction {
          respondent
          responses
          score
          satisfiedShare
        }
        openFlags
        overdueFlags
        changes {
          metric
          value
          monthOnMonth
          yearOnYear
        }
      }
      satisfaction {
        month
        current
        periodText
        stats {
          respondent
          responses
          score
          satisfiedShare
        }
      }
      findings {
        code
        severity
        text
        schools {
          code
          name
        }
      }
      topSchools(first: 5) {
        school {
          code
          name
          township
        }
        enrolled
        participants
        participationRate
        demandMetRate
      }
      bottomSchools(first: 5) {
        school {
          code
          name
          township
        }
        enrolled
        participants
        participationRate
        demandMetRate
      }
      newFlags(first: 200) {
        id
        schoolCode
        schoolName
        township
        code
        codeLabel
        detail
        status
        statusLabel
        overdue
      }
      closedFlags(first: 200) {
        id
        schoolCode
        schoolName
        township
        code
        codeLabel
        detail
        status
        statusLabel
        resolution
      }
    }
  }
  ${PRIORITY_GROUP_FIELDS}
`;

/** Participation over the twelve months ending with the report month. */
export const REPORT_TREND = /* GraphQL */ `
  query ReportTrend($from: String!, $to: String!, $scope: ScopeInput) {
    trend(from: $from, to: $to, scope: $scope) {
      month
      participationRate
      demandMetRate
    }
  }
`;

/** The month's figures per township. */
export const REPORT_TOWNSHIPS = /* GraphQL */ `
  query ReportTownships($period: String!, $scope: ScopeInput) {
    overviewByTownship(period: $period, scope: $scope) {
      township
      overview {
        month
        participationRate
        demandMetRate
      }
    }
  }
`;

/** What an export of a filtered view covers (its first line). */
export const EXPORT_SCOPE = /* GraphQL */ `
  query ExportScope($period: String!, $scope: ScopeInput) {
    scopeSummary(period: $period, scope: $scope) {
      text
    }
  }
`;
