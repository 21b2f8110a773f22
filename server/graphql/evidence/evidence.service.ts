/**
 * Evidence files as the API shows them, and the view (viewer and current month) their
 * visibility is judged in. Shared by the GraphQL fields and the HTTP routes
 * (server/http/evidence-route.ts), so both answer the same shape by the same rule.
 */
import type { Viewer } from '../../auth/viewer.ts';
import { currentMonth } from '../../db/calendar.ts';
import type { EvidenceFile as EvidenceFileRow } from '../../db/tables/evidence-files.table.ts';
import type { EvidenceFile } from '../__generated__/resolvers-types.ts';
import type { EvidenceView } from './evidence.repository.ts';

/** Where the files are read (server/http/app.ts mounts the routes here). */
export const EVIDENCE_PATH = '/api/evidence';

export function evidenceView(viewer: Viewer, now: Date): EvidenceView {
  return { viewer, currentMonth: currentMonth(now) };
}

export function toEvidenceFile(row: EvidenceFileRow): EvidenceFile {
  const id = String(row.file_id);
  return {
    id,
    ownerKind: row.owner_kind,
    ownerId: String(row.owner_id),
    schoolCode: row.school_code,
    fileName: row.file_name,
    mime: row.mime,
    bytes: Number(row.bytes),
    width: row.width === null ? null : Number(row.width),
    height: row.height === null ? null : Number(row.height),
    stripped: row.stripped,
    caption: row.caption,
    uploadedBy: row.uploaded_by,
    uploadedAt: new Date(row.uploaded_at).toISOString(),
    url: `${EVIDENCE_PATH}/${id}`,
    thumbnailUrl: row.thumb_sha256 === null ? null : `${EVIDENCE_PATH}/${id}/thumbnail`,
  };
}
