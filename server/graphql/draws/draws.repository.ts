/**
 * The 四不两直 draws' SQL: the candidates a scope holds with their last visit, writing a
 * draw (header, candidates, drawn schools), reading draws back, a 督学's due unannounced
 * visits, and linking an UNANNOUNCED visit to the drawn school it carries out.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { assignedInSql } from '../../db/remit.ts';
import { withScope, type ScopeRequest } from '../scope/scope.ts';
import type { DrawCandidate, DrawnSchool, RiskBand } from './draw-plan.ts';

/** Most schools one draw may consider (a district has a few thousand). */
export const MAX_CANDIDATES = 20000;

export interface ScopeSchool {
  schoolCode: string;
  township: string;
  /** Last visit (any kind, anyone) before the draw's from date, "YYYY-MM-DD". */
  lastVisit: string | null;
}

/** The schools in scope in the request's months, by code, with their last visit before `from`. */
export async function scopeSchools(
  db: Kysely<Database>,
  request: ScopeRequest,
  from: string,
): Promise<ScopeSchool[]> {
  const result = await sql<{ school_code: string; township: string; last_visit: string | null }>`
    ${withScope(request)},
    codes AS (SELECT DISTINCT school_code FROM scope)
    SELECT c.school_code, min(s.township) AS township,
      strftime(max(v.visit_date), '%Y-%m-%d') AS last_visit
    FROM codes c
    JOIN schools s ON s.school_code = c.school_code
    LEFT JOIN visits v ON v.school_code = c.school_code AND v.visit_date < CAST(${from} AS DATE)
    GROUP BY c.school_code
    ORDER BY c.school_code
    LIMIT ${MAX_CANDIDATES + 1}`.execute(db);
  return result.rows.map((r) => ({
    schoolCode: r.school_code,
    township: r.township,
    lastVisit: r.last_visit,
  }));
}

export interface NewDraw {
  seed: string;
  from: string;
  to: string;
  sampleSize: number;
  recentDays: number;
  includeRecent: boolean;
  scopeJson: string | null;
  policyVersion: string;
  userId: number;
  username: string;
  at: Date;
  note: string | null;
}

export interface RecordedCandidate extends DrawCandidate {
  lastVisit: string | null;
  eligible: boolean;
}

const instant = (at: Date) => sql<Date>`CAST(${at.toISOString()} AS TIMESTAMPTZ)`;

/** Writes a draw with its candidates and drawn schools; returns the draw's id. */
export async function insertDraw(
  db: Kysely<Database>,
  draw: NewDraw,
  candidates: readonly RecordedCandidate[],
  drawn: readonly DrawnSchool[],
): Promise<number> {
  const row = await db
    .insertInto('visit_draws')
    .values({
      seed: draw.seed,
      from_date: draw.from,
      to_date: draw.to,
      sample_size: draw.sampleSize,
      recent_days: draw.recentDays,
      include_recent: draw.includeRecent,
      scope_json: draw.scopeJson,
      policy_version: draw.policyVersion,
      drawn_by_user_id: draw.userId,
      drawn_by: draw.username,
      drawn_at: instant(draw.at),
      note: draw.note,
    })
    .returning('draw_id')
    .executeTakeFirstOrThrow();
  const drawId = Number(row.draw_id);
  // Batches keep each INSERT's parameter list bounded for a district-wide draw.
  for (let i = 0; i < candidates.length; i += 1000)
    await db
      .insertInto('visit_draw_candidates')
      .values(
        candidates.slice(i, i + 1000).map((c) => ({
          draw_id: drawId,
          school_code: c.schoolCode,
          township: c.township,
          risk_band: c.band,
          risk_score: c.score,
          last_visit_date: c.lastVisit,
          eligible: c.eligible,
        })),
      )
      .execute();
  if (drawn.length > 0)
    await db
      .insertInto('visit_draw_schools')
      .values(
        drawn.map((s) => ({
          draw_id: drawId,
          school_code: s.schoolCode,
          township: s.township,
          risk_band: s.band,
          risk_score: s.score,
          position: s.position,
          visit_date: s.visitDate,
          visit_id: null,
        })),
      )
      .execute();
  return drawId;
}

export interface DrawRow {
  draw_id: number | bigint;
  seed: string;
  from_date: string;
  to_date: string;
  sample_size: number;
  recent_days: number;
  include_recent: boolean;
  scope_json: string | null;
  policy_version: string | null;
  drawn_by: string;
  drawn_ms: number | bigint;
  note: string | null;
  candidates: number;
  excluded: number;
  drawn: number;
  total: number;
}

/** Draws, newest first, one page; `drawId` picks one. */
export async function drawPage(
  db: Kysely<Database>,
  drawId: number | null,
  limit: number,
  offset: number,
): Promise<DrawRow[]> {
  const result = await sql<DrawRow>`
    SELECT d.draw_id, d.seed, strftime(d.from_date, '%Y-%m-%d') AS from_date,
      strftime(d.to_date, '%Y-%m-%d') AS to_date, d.sample_size, d.recent_days,
      d.include_recent, d.scope_json, d.policy_version, d.drawn_by,
      epoch_ms(d.drawn_at) AS drawn_ms,
      d.note,
      (SELECT count(*) FROM visit_draw_candidates c WHERE c.draw_id = d.draw_id)::INTEGER AS candidates,
      (SELECT count(*) FROM visit_draw_candidates c
        WHERE c.draw_id = d.draw_id AND NOT c.eligible)::INTEGER AS excluded,
      (SELECT count(*) FROM visit_draw_schools w WHERE w.draw_id = d.draw_id)::INTEGER AS drawn,
      (count(*) OVER ())::INTEGER AS total
    FROM visit_draws d
    ${drawId === null ? sql`` : sql`WHERE d.draw_id = ${drawId}`}
    ORDER BY d.drawn_at DESC, d.draw_id DESC
    LIMIT ${limit} OFFSET ${offset}`.execute(db);
  return result.rows;
}

export interface DrawnSchoolRow {
  draw_id: number | bigint;
  school_code: string;
  school_name: string | null;
  township: string;
  risk_band: RiskBand;
  risk_score: number;
  position: number;
  visit_date: string;
  visit_id: number | bigint | null;
}

/** The drawn schools of the given draws, by draw and position. */
export async function drawnSchools(
  db: Kysely<Database>,
  drawIds: readonly number[],
): Promise<DrawnSchoolRow[]> {
  if (drawIds.length === 0) return [];
  const result = await sql<DrawnSchoolRow>`
    SELECT w.draw_id, w.school_code, s.school_name, w.township, w.risk_band, w.risk_score,
      w.position, strftime(w.visit_date, '%Y-%m-%d') AS visit_date, w.visit_id
    FROM visit_draw_schools w LEFT JOIN schools s ON s.school_code = w.school_code
    WHERE w.draw_id IN (${sql.join(drawIds.map((id) => sql`${id}`))})
    ORDER BY w.draw_id, w.position`.execute(db);
  return result.rows;
}

/** The recorded eligible candidates of a draw, as the draw saw them. */
export async function recordedCandidates(
  db: Kysely<Database>,
  drawId: number,
): Promise<DrawCandidate[]> {
  const rows = await db
    .selectFrom('visit_draw_candidates')
    .select(['school_code', 'township', 'risk_band', 'risk_score'])
    .where('draw_id', '=', drawId)
    .where('eligible', '=', true)
    .orderBy('school_code')
    .execute();
  return rows.map((r) => ({
    schoolCode: r.school_code,
    township: r.township,
    band: r.risk_band,
    score: Number(r.risk_score),
  }));
}

export interface DueVisitRow {
  school_code: string;
  school_name: string | null;
  visit_date: string;
  visit_id: number | bigint | null;
}

/** Most due unannounced visits listed to a 督学 at once. */
export const MAX_DUE_VISITS = 100;

/**
 * Drawn schools of `inspectorId` whose visit date is on or before `today` — never a later
 * one, so nothing about a coming visit reaches the school's side — and assigned to them in
 * the visit date's month or now. Not yet visited first, then newest date.
 */
export async function dueVisits(
  db: Kysely<Database>,
  inspectorId: string,
  today: string,
): Promise<DueVisitRow[]> {
  const school = sql`w.school_code`;
  const result = await sql<DueVisitRow>`
    SELECT w.school_code, any_value(s.school_name) AS school_name,
      strftime(w.visit_date, '%Y-%m-%d') AS visit_date, max(w.visit_id) AS visit_id
    FROM visit_draw_schools w LEFT JOIN schools s ON s.school_code = w.school_code
    WHERE w.visit_date <= CAST(${today} AS DATE)
      AND (${assignedInSql(inspectorId, school, sql`strftime(w.visit_date, '%Y-%m')`)}
        OR ${assignedInSql(inspectorId, school, sql`${today.slice(0, 7)}`)})
    GROUP BY w.school_code, w.visit_date
    ORDER BY max(w.visit_id) IS NOT NULL, w.visit_date DESC, w.school_code
    LIMIT ${MAX_DUE_VISITS}`.execute(db);
  return result.rows;
}

/**
 * Links an UNANNOUNCED visit to the drawn schools it carries out: every not yet visited
 * draw of the school whose visit date is on or before the visit's date. Returns how many.
 */
export async function linkDrawnVisit(
  db: Kysely<Database>,
  visitId: number,
  schoolCode: string,
  date: string,
): Promise<number> {
  const result = await db
    .updateTable('visit_draw_schools')
    .set({ visit_id: visitId })
    .where('school_code', '=', schoolCode)
    .where('visit_id', 'is', null)
    .where(sql<boolean>`visit_date <= CAST(${date} AS DATE)`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface StratumRow {
  draw_id: number | bigint;
  township: string;
  risk_band: RiskBand;
  population: number;
  allocated: number;
}

/** The strata of the given draws: eligible candidates and drawn schools per township × band. */
export async function drawStrata(
  db: Kysely<Database>,
  drawIds: readonly number[],
): Promise<StratumRow[]> {
  if (drawIds.length === 0) return [];
  const ids = sql.join(drawIds.map((id) => sql`${id}`));
  const result = await sql<StratumRow>`
    SELECT c.draw_id, c.township, c.risk_band, count(*)::INTEGER AS population,
      count(w.school_code)::INTEGER AS allocated
    FROM visit_draw_candidates c
    LEFT JOIN visit_draw_schools w ON w.draw_id = c.draw_id AND w.school_code = c.school_code
    WHERE c.draw_id IN (${ids}) AND c.eligible
    GROUP BY c.draw_id, c.township, c.risk_band`.execute(db);
  return result.rows;
}
