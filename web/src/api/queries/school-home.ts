/**
 * 本校填报 (/my, a 学校填报员's home): the school's flags awaiting its answer (整改中, the
 * bureau's request with its deadline) and those it has answered, within the API's limits.
 * The review queue (unitReviews, submitUnits) is in ./reviews.ts (used through ../unit-reviews.ts).
 */

/** The flags the school is asked to answer, and those answered awaiting the bureau's check. */
export const SCHOOL_HOME_FLAGS = /* GraphQL */ `
  query SchoolHomeFlags($first: Int) {
    awaiting: flags(status: RECTIFYING, first: $first, sort: OVERDUE_FIRST) {
      total
      items {
        ...SchoolFlagFields
      }
    }
    answered: flags(status: RECTIFIED, first: $first) {
      total
      items {
        ...SchoolFlagFields
      }
    }
  }

  fragment SchoolFlagFields on Flag {
    id
    schoolCode
    schoolName
    month
    code
    codeLabel
    detail
    statusLabel
    rectificationDeadline
    rectificationRequest
    rectificationReport
    overdue
    daysOverdue
    allowedSteps
  }
`;
