/** 四不两直 draws: draw, list, one, replay check (bureau only); a 督学's due unannounced visits. */
import { shanghaiIso } from '../../db/calendar.ts';
import type { Resolvers, VisitDraw } from '../__generated__/resolvers-types.ts';
import type { GraphQLContext } from '../context.ts';
import { decodeCursor, nextCursor, pageSize } from '../metrics/cursor.ts';
import { parseId } from '../inspections/user-input.ts';
import { riskBandLabel } from '../../db/vocabulary/risk-reasons.ts';
import { bandRank, byCodePoint } from './draw-plan.ts';
import { drawnSchools, drawStrata, type DrawRow } from './draws.repository.ts';
import { assertDrawer, drawVisits, listDraws, myDueVisits, verifyDraw } from './draws.service.ts';

/** Draw rows with their strata and drawn schools (two queries for the whole page). */
async function withDetail(ctx: GraphQLContext, rows: readonly DrawRow[]): Promise<VisitDraw[]> {
  const ids = rows.map((r) => Number(r.draw_id));
  const [strata, schools] = await Promise.all([drawStrata(ctx.db, ids), drawnSchools(ctx.db, ids)]);
  return rows.map((r) => {
    const id = Number(r.draw_id);
    return {
      id,
      seed: r.seed,
      from: r.from_date,
      to: r.to_date,
      sampleSize: r.sample_size,
      recentDays: r.recent_days,
      includeRecent: r.include_recent,
      scopeJson: r.scope_json,
      policyVersion: r.policy_version,
      drawnBy: r.drawn_by,
      drawnAt: shanghaiIso(Number(r.drawn_ms)),
      note: r.note,
      candidateCount: r.candidates,
      excludedRecentCount: r.excluded,
      // Stratum order as the draw walks them: township, then HIGH, MEDIUM, LOW.
      strata: strata
        .filter((s) => Number(s.draw_id) === id)
        .sort(
          (a, b) =>
            byCodePoint(a.township, b.township) || bandRank(a.risk_band) - bandRank(b.risk_band),
        )
        .map((s) => ({
          township: s.township,
          band: s.risk_band,
          bandLabel: riskBandLabel(s.risk_band),
          population: s.population,
          allocated: s.allocated,
        })),
      schools: schools
        .filter((s) => Number(s.draw_id) === id)
        .map((s) => ({
          schoolCode: s.school_code,
          schoolName: s.school_name,
          township: s.township,
          band: s.risk_band,
          bandLabel: riskBandLabel(s.risk_band),
          riskScore: Number(s.risk_score),
          position: s.position,
          visitDate: s.visit_date,
          visitId: s.visit_id === null ? null : Number(s.visit_id),
        })),
    };
  });
}

async function drawById(ctx: GraphQLContext, id: string): Promise<VisitDraw | null> {
  // The role check comes first, so other roles learn nothing about which ids exist.
  assertDrawer(ctx.viewer);
  const drawId = parseId(id);
  if (drawId === null) return null;
  const [draw] = await withDetail(ctx, await listDraws(ctx, drawId, 1, 0));
  return draw ?? null;
}

export const drawsResolvers: Resolvers = {
  Query: {
    async visitDraws(_parent, args, ctx) {
      const limit = pageSize(args.first, 20, 50);
      const offset = decodeCursor(args.after);
      const rows = await listDraws(ctx, null, limit, offset);
      const total = rows[0]?.total ?? 0;
      return {
        total,
        items: await withDetail(ctx, rows),
        endCursor: nextCursor(offset, rows.length, total),
      };
    },
    visitDraw: (_parent, args, ctx) => drawById(ctx, args.id),
    async verifyDraw(_parent, args, ctx) {
      assertDrawer(ctx.viewer);
      const drawId = parseId(args.id);
      if (drawId === null) return null;
      const result = await verifyDraw(ctx, drawId);
      return result ? { drawId, ...result } : null;
    },
    async myUnannouncedVisits(_parent, _args, ctx) {
      const rows = await myDueVisits(ctx);
      return rows.map((r) => ({
        schoolCode: r.school_code,
        schoolName: r.school_name,
        visitDate: r.visit_date,
        visitId: r.visit_id === null ? null : Number(r.visit_id),
      }));
    },
  },
  Mutation: {
    async drawVisits(_parent, args, ctx) {
      const drawId = await drawVisits(ctx, args.input);
      const draw = await drawById(ctx, String(drawId));
      if (!draw) throw new Error('draw not readable after it was recorded');
      return draw;
    },
  },
};
