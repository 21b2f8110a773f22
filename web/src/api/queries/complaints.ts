/**
 * The 投诉与举报 view's operations: the filtered list with the vocabularies, one complaint
 * with its history, the handlers a bureau inspector may assign, the five steps, and the
 * school page's complaints. Leadership never asks (FORBIDDEN).
 */

const COMPLAINT_FIELDS = /* GraphQL */ `
  fragment ComplaintFields on Complaint {
    id
    schoolCode
    schoolName
    township
    source
    sourceLabel
    category
    categoryLabel
    receivedOn
    month
    allegation
    status
    statusLabel
    handlerName
    deadline
    overdue
    finding
    substantiated
    allowedSteps
  }
`;

export const COMPLAINTS_LIST = /* GraphQL */ `
  query ComplaintsList(
    $month: String
    $status: ComplaintStatus
    $source: ComplaintSource
    $category: String
    $schoolCode: String
    $overdue: Boolean
    $scope: ScopeInput
    $first: Int
    $after: String
  ) {
    complaints(
      month: $month
      status: $status
      source: $source
      category: $category
      schoolCode: $schoolCode
      overdue: $overdue
      scope: $scope
      first: $first
      after: $after
    ) {
      total
      endCursor
      items {
        ...ComplaintFields
      }
    }
    complaintSources {
      source
      label
    }
    complaintStatuses {
      status
      label
      open
    }
    flagCodes {
      code
      label
      fromInspections
    }
  }
  ${COMPLAINT_FIELDS}
`;

export const COMPLAINT_DETAIL = /* GraphQL */ `
  query ComplaintDetail($id: ID!) {
    complaint(id: $id) {
      ...ComplaintFields
      complainant {
        name
        contact
      }
      handlerUsername
      createdBy
      createdAt
      closedAt
      flag {
        id
        codeLabel
        statusLabel
        detail
      }
      visit {
        id
        date
        inspectorName
      }
      events {
        action
        actionLabel
        status
        userName
        note
        occurredAt
      }
    }
  }
  ${COMPLAINT_FIELDS}
`;

export const COMPLAINT_HANDLERS = /* GraphQL */ `
  query ComplaintHandlers($schoolCode: String!) {
    complaintHandlers(schoolCode: $schoolCode) {
      id
      name
      username
      role
    }
  }
`;

export const COMPLAINT_VISITS = /* GraphQL */ `
  query ComplaintVisits($schoolCode: String!, $from: String!) {
    visits(schoolCode: $schoolCode, from: $from, first: 50) {
      items {
        id
        date
        inspectorName
        findings
      }
    }
  }
`;

export const RECORD_COMPLAINT = /* GraphQL */ `
  mutation RecordComplaint($input: ComplaintInput!) {
    recordComplaint(input: $input) {
      id
    }
  }
`;

export const ASSIGN_COMPLAINT = /* GraphQL */ `
  mutation AssignComplaint($id: ID!, $handlerUserId: ID!) {
    assignComplaint(id: $id, handlerUserId: $handlerUserId) {
      id
    }
  }
`;

export const RAISE_COMPLAINT_FLAG = /* GraphQL */ `
  mutation RaiseComplaintFlag($id: ID!, $detail: String!) {
    raiseComplaintFlag(id: $id, detail: $detail) {
      id
    }
  }
`;

export const LINK_COMPLAINT_VISIT = /* GraphQL */ `
  mutation LinkComplaintVisit($id: ID!, $visitId: ID!) {
    linkComplaintVisit(id: $id, visitId: $visitId) {
      id
    }
  }
`;

export const CLOSE_COMPLAINT = /* GraphQL */ `
  mutation CloseComplaint($id: ID!, $finding: String!, $substantiated: Boolean!) {
    closeComplaint(id: $id, finding: $finding, substantiated: $substantiated) {
      id
    }
  }
`;
