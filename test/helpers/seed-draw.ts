/**
 * A 四不两直 draw written straight into the warehouse, as drawVisits would leave it: every
 * given school drawn (LOW band, score 0) on `visitDate`, each also a recorded candidate.
 */
import type { WarehouseWriter } from '../../server/db/writer.ts';

export interface SeedDraw {
  /** School code → township. */
  schools: Record<string, string>;
  /** YYYY-MM-DD, every school's visit date (and the draw's from and to). */
  visitDate: string;
  seed?: string;
}

/** Inserts the draw and returns its id. */
export async function seedDraw(writer: WarehouseWriter, draw: SeedDraw): Promise<string> {
  return writer.write(async ({ db }) => {
    const row = await db
      .insertInto('visit_draws')
      .values({
        seed: draw.seed ?? 'seeded',
        from_date: draw.visitDate,
        to_date: draw.visitDate,
        sample_size: Object.keys(draw.schools).length,
        recent_days: 30,
        include_recent: true,
        scope_json: null,
        policy_version: null,
        drawn_by_user_id: 1,
        drawn_by: 'bureau',
        note: null,
      })
      .returning('draw_id')
      .executeTakeFirstOrThrow();
    const drawId = Number(row.draw_id);
    const schools = Object.entries(draw.schools).sort(([a], [b]) => (a < b ? -1 : 1));
    await db
      .insertInto('visit_draw_candidates')
      .values(
        schools.map(([code, township]) => ({
          draw_id: drawId,
          school_code: code,
          township,
          risk_band: 'LOW' as const,
          risk_score: 0,
          last_visit_date: null,
          eligible: true,
        })),
      )
      .execute();
    await db
      .insertInto('visit_draw_schools')
      .values(
        schools.map(([code, township], i) => ({
          draw_id: drawId,
          school_code: code,
          township,
          risk_band: 'LOW' as const,
          risk_score: 0,
          position: i + 1,
          visit_date: draw.visitDate,
          visit_id: null,
        })),
      )
      .execute();
    return String(drawId);
  });
}
