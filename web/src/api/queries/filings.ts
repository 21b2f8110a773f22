/**
 * 学期备案 (schema/filings.graphql): the semester's filing grid (bureau, 学区, 督学 — the server
 * narrows it to the viewer's schools), one school's filings (a 学校填报员's own), the five
 * filing mutations and the bureau's review.
 */

const FILING_FIELDS = /* GraphQL */ `
  fragment FilingFields on SemesterFiling {
    id
    schoolCode
    schoolName
    semester
    kind
    kindLabel
    status
    statusLabel
    fields
    deviations {
      check
      message
    }
    coverage
    filedAt
    filedBy
    reviewNote
    reviewedAt
    reviewedBy
  }
`;

const SCHOOL_FILINGS_FIELDS = /* GraphQL */ `
  fragment SchoolFilingsFields on SchoolSemesterFilings {
    schoolCode
    schoolName
    township
    semester
    plan {
      ...FilingFields
    }
    surveys {
      ...FilingFields
    }
    agreement {
      ...FilingFields
    }
    fees {
      ...FilingFields
    }
    pay {
      ...FilingFields
    }
    deviationCount
    history {
      ...FilingFields
    }
  }
`;

/** The semester's grid: one row per school the viewer sees, its filings in force. */
export const SEMESTER_FILINGS = /* GraphQL */ `
  query SemesterFilings($semester: String!) {
    semesterFilings(semester: $semester) {
      semester
      semesterLabel
      startDate
      planDue
      surveyDue
      feesDue
      minDemandSurveys
      schools {
        ...SchoolFilingsFields
      }
    }
  }
  ${SCHOOL_FILINGS_FIELDS}
  ${FILING_FIELDS}
`;

/** One school's filings (the 学校填报员's own page). */
export const SCHOOL_FILINGS = /* GraphQL */ `
  query SchoolFilings($schoolCode: String!, $semester: String!) {
    schoolFilings(schoolCode: $schoolCode, semester: $semester) {
      ...SchoolFilingsFields
    }
  }
  ${SCHOOL_FILINGS_FIELDS}
  ${FILING_FIELDS}
`;

export const FILE_PLAN = /* GraphQL */ `
  mutation FilePlan($schoolCode: String!, $semester: String!, $input: PlanFilingInput!) {
    filePlan(schoolCode: $schoolCode, semester: $semester, input: $input) {
      ...FilingFields
    }
  }
  ${FILING_FIELDS}
`;

export const FILE_DEMAND_SURVEY = /* GraphQL */ `
  mutation FileDemandSurvey($schoolCode: String!, $semester: String!, $input: SurveyFilingInput!) {
    fileDemandSurvey(schoolCode: $schoolCode, semester: $semester, input: $input) {
      ...FilingFields
    }
  }
  ${FILING_FIELDS}
`;

export const FILE_SERVICE_AGREEMENT = /* GraphQL */ `
  mutation FileServiceAgreement(
    $schoolCode: String!
    $semester: String!
    $input: AgreementFilingInput!
  ) {
    fileServiceAgreement(schoolCode: $schoolCode, semester: $semester, input: $input) {
      ...FilingFields
    }
  }
  ${FILING_FIELDS}
`;

export const FILE_FEE_PUBLICITY = /* GraphQL */ `
  mutation FileFeePublicity($schoolCode: String!, $semester: String!, $input: FeesFilingInput!) {
    fileFeePublicity(schoolCode: $schoolCode, semester: $semester, input: $input) {
      ...FilingFields
    }
  }
  ${FILING_FIELDS}
`;

export const FILE_PAY = /* GraphQL */ `
  mutation FilePay($schoolCode: String!, $semester: String!, $input: PayFilingInput!) {
    filePay(schoolCode: $schoolCode, semester: $semester, input: $input) {
      ...FilingFields
    }
  }
  ${FILING_FIELDS}
`;

export const REVIEW_FILING = /* GraphQL */ `
  mutation ReviewFiling($id: ID!, $decision: FilingDecision!, $note: String) {
    reviewFiling(id: $id, decision: $decision, note: $note) {
      ...FilingFields
    }
  }
  ${FILING_FIELDS}
`;
