import type { Generated, Selectable } from 'kysely';

/** What an evidence file is attached to. */
export const EVIDENCE_OWNER_KINDS = ['VISIT', 'COMPLAINT', 'FLAG'] as const;
export type EvidenceOwnerKind = (typeof EVIDENCE_OWNER_KINDS)[number];

/**
 * A photo or document (JPEG, PNG, PDF) attached to a visit, a complaint or a flag's
 * rectification (migration 0010). The bytes (location metadata stripped) and the thumbnail
 * live in the content-addressed store beside the loaded originals (server/db/originals.ts),
 * named by their sha256. Visible to whoever may see `school_code` in `month`.
 */
export interface EvidenceFilesTable {
  file_id: Generated<number>;
  owner_kind: EvidenceOwnerKind;
  owner_id: number;
  school_code: string;
  /** "YYYY-MM" of the owner (the visit's date, the complaint's receipt, the flag's month). */
  month: string;
  /** The uploader's file name, cleaned. */
  file_name: string;
  /** Judged from the content, never from the name or the browser's claim. */
  mime: 'image/jpeg' | 'image/png' | 'application/pdf';
  bytes: number;
  sha256: string;
  /** A small JPEG/PNG preview of images; null for PDFs. */
  thumb_sha256: string | null;
  width: number | null;
  height: number | null;
  /** What was stripped, e.g. "EXIF (GPS)"; null when there was nothing to strip. */
  stripped: string | null;
  caption: string | null;
  uploaded_by_user_id: number;
  uploaded_by: string;
  uploaded_at: Generated<string | Date>;
  deleted_at: string | Date | null;
}
export type EvidenceFile = Selectable<EvidenceFilesTable>;
