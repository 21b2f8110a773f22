/** Evidence files (证据材料): the fields the upload component shows, and deleting one. */

export const EVIDENCE_FILE_FIELDS = /* GraphQL */ `
  fragment EvidenceFileFields on EvidenceFile {
    id
    fileName
    mime
    bytes
    width
    height
    stripped
    caption
    uploadedBy
    uploadedAt
    url
    thumbnailUrl
  }
`;

export const DELETE_EVIDENCE_FILE = /* GraphQL */ `
  mutation DeleteEvidenceFile($id: ID!) {
    deleteEvidenceFile(id: $id) {
      id
    }
  }
`;
