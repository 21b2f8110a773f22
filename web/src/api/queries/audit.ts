/** 审计日志 (bureau inspectors only; schema/audit.graphql). */

export const AUDIT_EVENTS = /* GraphQL */ `
  query AuditEvents(
    $from: String
    $to: String
    $username: String
    $category: String
    $outcome: AuditOutcome
    $text: String
    $first: Int
    $after: String
  ) {
    auditEvents(
      from: $from
      to: $to
      username: $username
      category: $category
      outcome: $outcome
      text: $text
      first: $first
      after: $after
    ) {
      total
      endCursor
      items {
        id
        occurredAt
        username
        userName
        action
        actionLabel
        category
        target
        outcome
        detail
        ip
      }
    }
  }
`;

export const AUDIT_CATEGORIES = /* GraphQL */ `
  query AuditCategories {
    auditCategories
  }
`;
