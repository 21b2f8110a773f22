/** 数据来源: where a school-month's figures came from (schema/lineage.graphql). */

export const FIGURE_LINEAGE = /* GraphQL */ `
  query FigureLineage($schoolCode: String!, $month: String!, $table: SourceTable) {
    lineage(schoolCode: $schoolCode, month: $month, table: $table) {
      schoolCode
      month
      table
      current {
        batchId
        fileName
        sheet
        row
        grade
        loadedBy
        loadedAt
        originalAvailable
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
          batchId
          fileName
          sheet
          row
          grade
          loadedBy
          loadedAt
          originalAvailable
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
