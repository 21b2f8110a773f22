/** 数据来源: where a school-month's figures came from (schema/lineage.graphql). */

export const FIGURE_LINEAGE = /* GraphQL */ `
  fragment SourceRowFields on SourceRow {
    batchId
    fileName
    sheet
    row
    grade
    loadedBy
    loadedAt
    originalAvailable
    sha256
  }

  query FigureLineage($schoolCode: String!, $month: String!, $table: SourceTable) {
    lineage(schoolCode: $schoolCode, month: $month, table: $table) {
      schoolCode
      month
      table
      current {
        ...SourceRowFields
        values {
          column
          label
          value
        }
      }
      history {
        replacedByBatchId
        replacedByFile
        replacedAt
        source {
          ...SourceRowFields
        }
        changes {
          column
          label
          old
          new
        }
      }
    }
  }
`;
