/**
 * One data doubt as the API shows it: the SELECT every doubt query shares, who may see it
 * and its mapping to the GraphQL type. A viewer sees the doubts of the schools in their
 * remit in the doubt's month (server/db/remit.ts); leadership none (the resolvers refuse
 * them before any SQL runs). Only the bureau and a linked 责任督学 review one: a 学校填报员
 * reads its own school's doubts (to correct its report), a 学区审核员 its township's.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Viewer } from '../../auth/viewer.ts';
import { shanghaiIso } from '../../db/calendar.ts';
import type { Database } from '../../db/database.ts';
import { holderSeesSchoolSql } from '../../db/remit.ts';
import type { DoubtStatus } from '../../db/tables/data-doubts.table.ts';
import { allowedReviews, doubtStatusLabel } from '../../db/vocabulary/doubt-statuses.ts';
import type { DataDoubt } from '../__generated__/resolvers-types.ts';
import { doubtMeasureLabel, doubtRuleLabel } from '../../policy/doubt-catalogue.ts';

export interface DoubtRow {
  doubt_id: number | bigint;
  school_code: string;
  school_name: string | null;
  township: string | null;
  month: string;
  rule: string;
  measure: string;
  value: number | null;
  reference: number | null;
  deviation: number | null;
  detail: string;
  detail_en: string;
  status: DoubtStatus;
  evidence_batch_id: number | null;
  review_note: string | null;
  reviewed_by: string | null;
  reviewed_at: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

/** `SELECT … FROM data_doubts d LEFT JOIN schools s …`; callers add WHERE/ORDER/LIMIT. */
export function doubtSelect(): RawBuilder<unknown> {
  return sql`SELECT d.doubt_id, d.school_code, s.school_name, s.township, d.month, d.rule,
      d.measure, d.value, d.reference, d.deviation, d.detail, d.detail_en, d.status,
      d.evidence_batch_id, d.review_note, d.reviewed_by, d.reviewed_at, d.created_at,
      d.updated_at
    FROM data_doubts d
    LEFT JOIN schools s ON s.school_code = d.school_code`;
}

/**
 * SQL truth of "the viewer may see doubt `d`": the school is in the viewer's remit in the
 * doubt's month (leadership is refused earlier; an unlinked 督学 account has no schools).
 */
export function doubtVisibleSql(viewer: Viewer): RawBuilder<boolean> {
  return holderSeesSchoolSql(viewer, sql`d.school_code`, sql`d.month`);
}

const iso = (at: Date | string): string => shanghaiIso(new Date(at).getTime());

/**
 * Whether the viewer's role reviews doubts at all: the bureau and a 督学 with a 督学编号
 * (on the doubts they see). The school side reads, never reviews: a school does not verify
 * its own figures, and a 学区审核员 reviews submissions, not doubts.
 */
export function roleReviewsDoubts(viewer: Viewer): boolean {
  return (
    viewer.role === 'BUREAU_INSPECTOR' ||
    (viewer.role === 'SUPERVISING_INSPECTOR' && viewer.inspectorId !== null)
  );
}

export function toDataDoubt(viewer: Viewer, row: DoubtRow): DataDoubt {
  return {
    id: String(row.doubt_id),
    schoolCode: row.school_code,
    schoolName: row.school_name ?? row.school_code,
    township: row.township ?? '',
    month: row.month,
    rule: row.rule,
    ruleLabel: doubtRuleLabel(row.rule),
    measure: row.measure,
    measureLabel: doubtMeasureLabel(row.measure),
    value: row.value,
    reference: row.reference,
    deviation: row.deviation,
    detail: row.detail,
    detailEn: row.detail_en,
    status: row.status,
    statusLabel: doubtStatusLabel(row.status),
    evidenceBatchId: row.evidence_batch_id === null ? null : String(row.evidence_batch_id),
    reviewNote: row.review_note,
    reviewedBy: row.reviewed_by,
    reviewedAt: row.reviewed_at === null ? null : iso(row.reviewed_at),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    // A reviewing role may review every doubt it sees (doubtVisibleSql): the status decides.
    allowedReviews: roleReviewsDoubts(viewer) ? allowedReviews(row.status) : [],
  };
}

/** One doubt the viewer may see, or null (missing and out-of-remit look the same). */
export async function doubtById(
  db: Kysely<Database>,
  viewer: Viewer,
  doubtId: number,
): Promise<DataDoubt | null> {
  const result = await sql<DoubtRow>`${doubtSelect()}
    WHERE d.doubt_id = ${doubtId} AND ${doubtVisibleSql(viewer)}`.execute(db);
  const row = result.rows[0];
  return row ? toDataDoubt(viewer, row) : null;
}
