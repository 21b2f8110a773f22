/**
 * Evidence files in the warehouse: who may see one, what an owner (visit, complaint, flag)
 * is and whether the viewer may attach to it, and the rows themselves.
 *
 * Visibility follows the owner's rule through the row's own school and month (copied from
 * the owner at upload): a bureau inspector sees every file; leadership the files of visits
 * and flags (district-wide, like those) but none of complaints (leadership gets complaint
 * counts only); a supervising inspector the files of schools assigned to them
 * (server/db/remit.ts) in the file's month or now — the rule of flags and visits. A file
 * the viewer may not see and a missing one look the same.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Viewer } from '../../auth/viewer.ts';
import type { Database } from '../../db/database.ts';
import { DEADLINE_STATUS } from '../../db/flag-statuses.ts';
import { assignedInSql, holderSeesSchoolSql } from '../../db/remit.ts';
import type { EvidenceFile, EvidenceOwnerKind } from '../../db/tables/evidence-files.table.ts';

export interface EvidenceView {
  viewer: Viewer;
  /** "YYYY-MM" in Asia/Shanghai. */
  currentMonth: string;
}

/** SQL truth of "the viewer may see evidence file `e`" (alias `e` is evidence_files). */
export function evidenceVisibleSql(view: EvidenceView): RawBuilder<boolean> {
  const { viewer } = view;
  switch (viewer.role) {
    case 'BUREAU_INSPECTOR':
      return sql<boolean>`TRUE`;
    case 'LEADERSHIP':
      return sql<boolean>`(e.owner_kind <> 'COMPLAINT')`;
    case 'SUPERVISING_INSPECTOR': {
      if (viewer.inspectorId === null) return sql<boolean>`FALSE`;
      const school = sql`e.school_code`;
      return sql<boolean>`(${assignedInSql(viewer.inspectorId, school, sql`e.month`)}
        OR ${assignedInSql(viewer.inspectorId, school, sql`${view.currentMonth}`)})`;
    }
    // A school's own people never read complaint files (the complainant stays anonymous
    // from the school's side); a township reviewer reviews reports, not complaints.
    case 'SCHOOL_REPORTER':
    case 'TOWNSHIP_REVIEWER':
      return sql<boolean>`(e.owner_kind <> 'COMPLAINT'
        AND ${holderSeesSchoolSql(viewer, sql`e.school_code`, sql`e.month`)})`;
  }
}

export interface EvidenceOwner {
  kind: EvidenceOwnerKind;
  id: number;
  schoolCode: string;
  /** "YYYY-MM" of the visit's date, the complaint's receipt, the flag's month. */
  month: string;
}

/**
 * The owner when it exists and the viewer may attach evidence to it: not leadership, and
 * for a supervising inspector a school assigned to them in the owner's month or now (the
 * rule they see the owner by); null otherwise (missing and out of remit look the same).
 * A 学校填报员 attaches only to its own school's flags awaiting its answer (RECTIFYING: the
 * photos of its rectification report), never to a visit or a closed case; a 学区审核员
 * reads and attaches nothing.
 */
export async function attachableOwner(
  db: Kysely<Database>,
  view: EvidenceView,
  kind: EvidenceOwnerKind,
  id: number,
): Promise<EvidenceOwner | null> {
  const { role } = view.viewer;
  if (role === 'LEADERSHIP' || role === 'TOWNSHIP_REVIEWER') return null;
  if (role === 'SCHOOL_REPORTER' && kind !== 'FLAG') return null;
  const awaitingAnswer = role === 'SCHOOL_REPORTER' ? sql`AND status = ${DEADLINE_STATUS}` : sql``;
  const owner =
    kind === 'VISIT'
      ? sql`SELECT school_code, strftime(visit_date, '%Y-%m') AS month FROM visits WHERE visit_id = ${id}`
      : kind === 'FLAG'
        ? sql`SELECT school_code, coalesce(month, ${view.currentMonth}) AS month FROM flags WHERE flag_id = ${id} ${awaitingAnswer}`
        : sql`SELECT school_code, month FROM complaints WHERE complaint_id = ${id}`;
  const result = await sql<{ school_code: string; month: string }>`
    SELECT e.school_code, e.month FROM (SELECT *, ${kind} AS owner_kind FROM (${owner})) e
    WHERE ${evidenceVisibleSql(view)}`.execute(db);
  const row = result.rows[0];
  return row ? { kind, id, schoolCode: row.school_code, month: row.month } : null;
}

/** Files kept on an owner, deleted ones not counted (the per-owner limit). */
export async function countOwnerFiles(db: Kysely<Database>, owner: EvidenceOwner): Promise<number> {
  const row = await db
    .selectFrom('evidence_files')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('owner_kind', '=', owner.kind)
    .where('owner_id', '=', owner.id)
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface NewEvidenceFile {
  owner: EvidenceOwner;
  fileName: string;
  mime: EvidenceFile['mime'];
  bytes: number;
  sha256: string;
  thumbSha256: string | null;
  width: number | null;
  height: number | null;
  stripped: string | null;
  caption: string | null;
  viewer: Viewer;
}

export async function insertEvidenceFile(
  db: Kysely<Database>,
  file: NewEvidenceFile,
): Promise<number> {
  const row = await db
    .insertInto('evidence_files')
    .values({
      owner_kind: file.owner.kind,
      owner_id: file.owner.id,
      school_code: file.owner.schoolCode,
      month: file.owner.month,
      file_name: file.fileName,
      mime: file.mime,
      bytes: file.bytes,
      sha256: file.sha256,
      thumb_sha256: file.thumbSha256,
      width: file.width,
      height: file.height,
      stripped: file.stripped,
      caption: file.caption,
      uploaded_by_user_id: file.viewer.userId,
      uploaded_by: file.viewer.username,
      deleted_at: null,
    })
    .returning('file_id')
    .executeTakeFirstOrThrow();
  return Number(row.file_id);
}

/** One file the viewer may see, not deleted; null otherwise. */
export async function visibleEvidenceFile(
  db: Kysely<Database>,
  view: EvidenceView,
  fileId: number,
): Promise<EvidenceFile | null> {
  const result = await sql<EvidenceFile>`SELECT e.* FROM evidence_files e
    WHERE e.file_id = ${fileId} AND e.deleted_at IS NULL AND ${evidenceVisibleSql(view)}`.execute(
    db,
  );
  return result.rows[0] ?? null;
}

/** The most files an owner holds (the upload limit bounds it too); a list never exceeds it. */
const MAX_LISTED = 200;

/** The visible files of the owners, oldest first, keyed by owner id. */
export async function visibleOwnerFiles(
  db: Kysely<Database>,
  view: EvidenceView,
  kind: EvidenceOwnerKind,
  ownerIds: readonly number[],
): Promise<Map<number, EvidenceFile[]>> {
  const byOwner = new Map<number, EvidenceFile[]>();
  if (ownerIds.length === 0) return byOwner;
  const result = await sql<EvidenceFile>`SELECT e.* FROM evidence_files e
    WHERE e.owner_kind = ${kind} AND e.owner_id IN (${sql.join(ownerIds.map((id) => sql`${id}`))})
      AND e.deleted_at IS NULL AND ${evidenceVisibleSql(view)}
    ORDER BY e.owner_id, e.file_id
    LIMIT ${MAX_LISTED * ownerIds.length}`.execute(db);
  for (const row of result.rows) {
    const id = Number(row.owner_id);
    const list = byOwner.get(id) ?? [];
    if (list.length < MAX_LISTED) list.push(row);
    byOwner.set(id, list);
  }
  return byOwner;
}

/**
 * Marks the file deleted when the viewer may: its uploader, or a bureau inspector, and
 * only a file they can see. The bytes stay in the store until pruning (originals.ts).
 */
export async function markEvidenceDeleted(
  db: Kysely<Database>,
  view: EvidenceView,
  fileId: number,
  at: Date,
): Promise<EvidenceFile | null> {
  const mine =
    view.viewer.role === 'BUREAU_INSPECTOR'
      ? sql<boolean>`TRUE`
      : view.viewer.role === 'LEADERSHIP'
        ? sql<boolean>`FALSE`
        : sql<boolean>`e.uploaded_by_user_id = ${view.viewer.userId}`;
  const result =
    await sql<EvidenceFile>`UPDATE evidence_files AS e SET deleted_at = ${at.toISOString()}::TIMESTAMPTZ
    WHERE e.file_id = ${fileId} AND e.deleted_at IS NULL AND ${mine} AND ${evidenceVisibleSql(view)}
    RETURNING *`.execute(db);
  return result.rows[0] ?? null;
}
