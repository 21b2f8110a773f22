/**
 * One data doubt as the API shows it: the SELECT every doubt query shares, who may see it
 * and its mapping to the GraphQL type. Bureau inspectors see every doubt; a 责任督学 the
 * doubts of schools assigned to them in the doubt's month (server/db/remit.ts); leadership
 * none (the resolvers refuse them before any SQL runs).
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Viewer } from '../../auth/viewer.ts';
import { shanghaiIso } from '../../db/calendar.ts';
import type { Database } from '../../db/database.ts';
import { assignedInSql } from '../../db/remit.ts';
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
 * SQL truth of "the viewer may see (and review) doubt `d`": every doubt for a bureau
 * inspector; for a 责任督学 the schools assigned to them in the doubt's month; nothing for
 * anyone else (leadership is refused earlier; an unlinked 督学 account has no schools).
 */
export function doubtVisibleSql(viewer: Viewer): RawBuilder<boolean> {
  if (viewer.role === 'BUREAU_INSPECTOR') return sql<boolean>`TRUE`;
  if (viewer.role !== 'SUPERVISING_INSPECTOR' || viewer.inspectorId === null)
    return sql<boolean>`FALSE`;
  return assignedInSql(viewer.inspectorId, sql`d.school_code`, sql`d.month`);
}

const iso = (at: Date | string): string => shanghaiIso(new Date(at).getTime());

export function toDataDoubt(row: DoubtRow): DataDoubt {
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
    // Whoever may see a doubt may review it (doubtVisibleSql), so the status decides.
    allowedReviews: allowedReviews(row.status),
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
  return row ? toDataDoubt(row) : null;
}
