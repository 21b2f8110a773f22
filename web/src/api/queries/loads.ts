/** Load history of the upload view (bureau inspectors only; schema/loads.graphql). */

export const UPLOAD_LOAD_BATCHES = /* GraphQL */ `
  query UploadLoadBatches($first: Int, $after: String) {
    loadBatches(first: $first, after: $after) {
      total
      endCursor
      items {
        id
        fileName
        kind
        status
        loadedBy
        loadedAt
        rowsRead
        rowsLoaded
        rowsRejected
        unitsLoaded
        unitsRejected
      }
    }
  }
`;

export const UPLOAD_LOAD_BATCH = /* GraphQL */ `
  query UploadLoadBatch($id: ID!, $first: Int) {
    loadBatch(id: $id) {
      id
      fileName
      kind
      sheets
      status
      loadedAt
      rowsRejected
      rejects(first: $first) {
        sheet
        row
        column
        value
        reasonCode
        reasonZh
        reasonEn
      }
    }
  }
`;
