/**
 * The school page's operations: the school's month with its 12-month series, grades,
 * survey items, flags and inspectors (one request), and its supervision visits (a second
 * request, so the page never waits for them).
 */
import { PRIORITY_GROUP_FIELDS } from './priority-group-fields.ts';

export const SCHOOL_DETAIL = /* GraphQL */ `
  query SchoolDetail($code: String!, $period: String!, $from: String!, $to: String!) {
    school(code: $code, period: $period) {
      month
      period
      school {
        code
        name
        township
        stage
        locality
        ownership
        remote
        teachersTotal
      }
      inspectors {
        id
        name
      }
      current {
        reported
        offering
        schoolDays
        serviceDays
        dailyMinutes
        latestEndTime
        feePerPeriod
        teachersServing
        teacherParticipationRate
        enrolled
        applicants
        participants
        participationRate
        demandMetRate
        fiveDayShare
        priorityGap
        priorityGroups {
          ...PriorityGroupFields
        }
        satisfactionScore
        satisfactionResponses
        openFlags
      }
      series(from: $from, to: $to) {
        month
        reported
        participationRate
        demandMetRate
        satisfactionScore
      }
      grades {
        grade
        enrolled
        applicants
        participants
        participationRate
        demandMetRate
        fiveDayShare
      }
      surveyItems {
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
      flags {
        id
        month
        code
        codeLabel
        detail
        status
        statusLabel
        source
        overdue
        daysOverdue
        rectificationDeadline
      }
    }
  }
  ${PRIORITY_GROUP_FIELDS}
`;

/** The school's supervision visits, newest first. */
export const SCHOOL_VISITS = /* GraphQL */ `
  query SchoolVisits($schoolCode: String!) {
    visits(schoolCode: $schoolCode, first: 50) {
      total
      items {
        id
        date
        kind
        inspectorName
        findings
        evidenceFiles {
          id
          fileName
          url
          thumbnailUrl
        }
      }
    }
  }
`;

/** The school's priority groups alone, as an export asks for them (protected figures). */
export const SCHOOL_PRIORITY_GROUPS = /* GraphQL */ `
  query SchoolPriorityGroups($code: String!, $period: String!) {
    school(code: $code, period: $period) {
      current {
        priorityGroups {
          ...PriorityGroupFields
        }
      }
    }
  }
  ${PRIORITY_GROUP_FIELDS}
`;
