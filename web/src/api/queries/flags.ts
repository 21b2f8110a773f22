/**
 * The 违规预警 view's operations: key figures, chart counts, the filtered list, one flag
 * with its history and the steps the user may take, the rectification steps, and the
 * supervision visits (list, form choices, recording). Each stays within the API's limits
 * (≤ 8 warehouse root fields, ≤ 15 aliases).
 */

/**
 * The cards: the open backlog (as of now, whatever the period: the overview's count), by
 * status, overdue, and flags about the period (a month, semester or school year).
 */
export const FLAGS_SUMMARY = /* GraphQL */ `
  query FlagsSummary($period: String!, $scope: ScopeInput) {
    unfinished: flags(open: true, scope: $scope, first: 1) {
      total
    }
    open: flags(status: OPEN, scope: $scope, first: 1) {
      total
    }
    rectifying: flags(status: RECTIFYING, scope: $scope, first: 1) {
      total
    }
    rectified: flags(status: RECTIFIED, scope: $scope, first: 1) {
      total
    }
    overdue: flags(overdue: true, scope: $scope, first: 1) {
      total
    }
    newInMonth: flags(period: $period, scope: $scope, first: 1) {
      total
    }
  }
`;

/** The status vocabulary (labels, order, which are open): see api/flag-statuses.ts. */
export const FLAG_STATUSES = /* GraphQL */ `
  query FlagStatuses {
    flagStatuses {
      status
      label
      open
    }
  }
`;

/** Counts by month, code and status for the charts. */
export const FLAGS_CHARTS = /* GraphQL */ `
  query FlagsCharts($from: String!, $to: String!, $scope: ScopeInput) {
    flagCounts(from: $from, to: $to, scope: $scope) {
      month
      code
      status
      statusLabel
      count
    }
  }
`;

export const FLAGS_LIST = /* GraphQL */ `
  query FlagsList(
    $scope: ScopeInput
    $statuses: [FlagStatus!]
    $code: String
    $source: FlagSource
    $overdue: Boolean
    $schoolCode: String
    $month: String
    $period: String
    $from: String
    $to: String
    $first: Int
    $after: String
    $sort: FlagSort
  ) {
    flags(
      sort: $sort
      scope: $scope
      statuses: $statuses
      code: $code
      source: $source
      overdue: $overdue
      schoolCode: $schoolCode
      month: $month
      period: $period
      from: $from
      to: $to
      first: $first
      after: $after
    ) {
      total
      endCursor
      items {
        id
        schoolCode
        schoolName
        township
        month
        code
        codeLabel
        detail
        status
        statusLabel
        source
        rectificationDeadline
        overdue
        daysOverdue
        allowedSteps
      }
    }
  }
`;

export const FLAG_DETAIL = /* GraphQL */ `
  query FlagDetail($id: ID!) {
    flag(id: $id) {
      id
      schoolCode
      schoolName
      township
      month
      code
      codeLabel
      ruleLabel
      source
      status
      statusLabel
      detail
      policyVersion
      threshold
      observed
      evidenceFile
      visitId
      raisedBy
      rectificationDeadline
      rectificationRequest
      rectificationReport
      rectifiedOn
      overdue
      daysOverdue
      resolution
      createdAt
      updatedAt
      allowedSteps
      closingVisit {
        id
        date
        inspectorName
        findings
      }
      history {
        id
        action
        fromStatus
        fromStatusLabel
        toStatus
        toStatusLabel
        userName
        at
        note
        deadline
        visitId
      }
    }
  }
`;

/** The visits the server accepts when closing the flag (and why none, if so). */
export const FLAG_CLOSING_VISITS = /* GraphQL */ `
  query FlagClosingVisits($id: ID!) {
    flag(id: $id) {
      id
      rectifiedOn
      closingVisitsHint
      closingVisits {
        id
        date
        inspectorName
        findings
      }
    }
  }
`;

export const FLAG_REQUEST_RECTIFICATION = /* GraphQL */ `
  mutation FlagRequestRectification($flagId: ID!, $deadline: String!, $request: String!) {
    requestRectification(flagId: $flagId, deadline: $deadline, request: $request) {
      id
      status
      rectificationDeadline
      updatedAt
    }
  }
`;

export const FLAG_RECORD_RECTIFICATION = /* GraphQL */ `
  mutation FlagRecordRectification($flagId: ID!, $report: String!, $note: String) {
    recordRectification(flagId: $flagId, report: $report, note: $note) {
      id
      status
      rectificationDeadline
      updatedAt
    }
  }
`;

export const FLAG_CLOSE = /* GraphQL */ `
  mutation FlagClose($flagId: ID!, $note: String!, $visitId: ID) {
    closeFlag(flagId: $flagId, note: $note, visitId: $visitId) {
      id
      status
      rectificationDeadline
      updatedAt
    }
  }
`;

export const FLAG_DISMISS = /* GraphQL */ `
  mutation FlagDismiss($flagId: ID!, $reason: String!) {
    dismissFlag(flagId: $flagId, reason: $reason) {
      id
      status
      rectificationDeadline
      updatedAt
    }
  }
`;

export const FLAGS_VISITS = /* GraphQL */ `
  query FlagsVisits($from: String, $to: String, $scope: ScopeInput, $first: Int, $after: String) {
    visits(from: $from, to: $to, scope: $scope, first: $first, after: $after) {
      total
      endCursor
      items {
        id
        date
        schoolCode
        schoolName
        kind
        inspectorName
        inspectorId
        checklist {
          item
          result
          note
        }
        findings
        evidence
        flags {
          id
          code
          codeLabel
          status
        }
      }
    }
  }
`;

/**
 * Choices of the filters and the visit form: the schools the user sees in the month and
 * the flag catalogue (labels; which codes an inspection may raise).
 */
export const FLAGS_CHOICES = /* GraphQL */ `
  query FlagsChoices($month: String!) {
    schools(month: $month, first: 200) {
      items {
        school {
          code
          name
          township
        }
      }
    }
    flagCodes {
      code
      label
      fromReports
      fromInspections
    }
  }
`;

export const FLAGS_RECORD_VISIT = /* GraphQL */ `
  mutation FlagsRecordVisit($input: VisitInput!) {
    recordVisit(input: $input) {
      id
      date
      schoolName
      flags {
        id
        code
        status
      }
    }
  }
`;

/** Recurring flags: the list's flags grouped by school and rule (FlagGroupTable). */
export const FLAG_GROUPS = /* GraphQL */ `
  query FlagGroups(
    $scope: ScopeInput
    $statuses: [FlagStatus!]
    $code: String
    $source: FlagSource
    $overdue: Boolean
    $schoolCode: String
    $month: String
    $period: String
    $from: String
    $to: String
    $first: Int
    $after: String
    $sort: FlagSort
  ) {
    flagGroups(
      sort: $sort
      scope: $scope
      statuses: $statuses
      code: $code
      source: $source
      overdue: $overdue
      schoolCode: $schoolCode
      month: $month
      period: $period
      from: $from
      to: $to
      first: $first
      after: $after
    ) {
      total
      endCursor
      items {
        schoolCode
        schoolName
        township
        code
        codeLabel
        rule
        ruleLabel
        count
        openCount
        overdueCount
        months
        flagIds
        latest {
          id
          status
          statusLabel
          detail
          allowedSteps
        }
      }
    }
  }
`;

/** 批量要求整改: the flags moved and the ones skipped with why. */
export const FLAG_REQUEST_RECTIFICATIONS = /* GraphQL */ `
  mutation FlagRequestRectifications($flagIds: [ID!]!, $deadline: String!, $request: String!) {
    requestRectifications(flagIds: $flagIds, deadline: $deadline, request: $request) {
      requested {
        id
      }
      skipped {
        flagId
        reason
        message
      }
    }
  }
`;
