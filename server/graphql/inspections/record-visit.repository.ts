/**
 * Writes of a visit, run inside the writer's transaction: the visit (guarded by the
 * viewer's right to act on the school both on the visit date and now), its checklist and
 * the inspection flags its findings raise.
 */
import { sql, type Kysely } from 'kysely';
import type { Viewer } from '../../auth/viewer.ts';
import type { Database } from '../../db/database.ts';
import type { CheckResult, ChecklistItem, VisitKind } from '../../db/tables/visits.table.ts';
import { actsOnSchoolSql } from '../flags/flag-permissions.ts';

const instant = (at: Date) => sql<Date>`CAST(${at.toISOString()} AS TIMESTAMPTZ)`;

export interface NewVisit {
  schoolCode: string;
  /** YYYY-MM-DD */
  date: string;
  kind: VisitKind;
  findings: string;
  evidence: string | null;
  at: Date;
}

/**
 * Inserts the visit when the school exists and the viewer acts on it in the visit's month
 * and in `currentMonth`; returns its id, or null when refused (nothing written).
 */
export async function insertVisit(
  db: Kysely<Database>,
  viewer: Viewer,
  visit: NewVisit,
  currentMonth: string,
): Promise<number | null> {
  const school = sql`s.school_code`;
  const result = await sql<{ visit_id: number | bigint }>`
    INSERT INTO visits (school_code, visit_date, kind, user_id, username, user_name,
      inspector_id, findings, evidence, created_at)
    SELECT s.school_code, CAST(${visit.date} AS DATE), ${visit.kind}, ${viewer.userId},
      ${viewer.username}, ${viewer.name}, ${viewer.inspectorId}, ${visit.findings},
      ${visit.evidence}, ${instant(visit.at)}
    FROM (SELECT DISTINCT school_code FROM schools WHERE school_code = ${visit.schoolCode}) s
    WHERE ${actsOnSchoolSql(viewer, school, visit.date.slice(0, 7))}
      AND ${actsOnSchoolSql(viewer, school, currentMonth)}
    RETURNING visit_id`.execute(db);
  const row = result.rows[0];
  return row ? Number(row.visit_id) : null;
}

export interface CheckEntry {
  item: ChecklistItem;
  result: CheckResult;
  note: string | null;
}

export async function insertVisitChecks(
  db: Kysely<Database>,
  visitId: number,
  checks: readonly CheckEntry[],
): Promise<void> {
  if (checks.length === 0) return;
  await db
    .insertInto('visit_checks')
    .values(
      checks.map((c) => ({ visit_id: visitId, item: c.item, result: c.result, note: c.note })),
    )
    .execute();
}

/** An inspection flag raised by a visit finding (or a complaint: rule and no visit). */
export interface InspectionFlag {
  schoolCode: string;
  /** YYYY-MM: the visit's month. */
  month: string;
  code: string;
  detail: string;
  policyVersion: string;
  /** The code's prohibition text. */
  threshold: string;
  visitId: number | null;
  /** Default `<CODE>.inspection`; a complaint's flag is `<CODE>.complaint`. */
  rule?: string;
  raisedBy: string;
  at: Date;
}

/** Inserts OPEN inspection flags; returns their ids in input order. */
export async function insertInspectionFlags(
  db: Kysely<Database>,
  flags: readonly InspectionFlag[],
): Promise<number[]> {
  const ids: number[] = [];
  // One statement per flag keeps the id ↔ flag pairing explicit (a visit raises a few).
  for (const f of flags) {
    const row = await db
      .insertInto('flags')
      .values({
        school_code: f.schoolCode,
        month: f.month,
        code: f.code,
        rule: f.rule ?? `${f.code}.inspection`,
        source: 'inspection',
        status: 'OPEN',
        detail: f.detail,
        policy_version: f.policyVersion,
        threshold: f.threshold,
        observed: f.detail,
        evidence_batch_id: null,
        visit_id: f.visitId,
        raised_by: f.raisedBy,
        rectify_deadline: null,
        rectify_request: null,
        rectify_report: null,
        resolution: null,
        created_at: instant(f.at),
        updated_at: instant(f.at),
      })
      .returning('flag_id')
      .executeTakeFirstOrThrow();
    ids.push(Number(row.flag_id));
  }
  return ids;
}
