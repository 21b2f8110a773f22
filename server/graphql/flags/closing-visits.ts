/**
 * Which visits may close a flag (整改复查 on or after the rectification, closingVisitSql),
 * offered by Flag.closingVisits so the form never lists a visit the CLOSE step refuses,
 * why none is offered (in plain Chinese), and the visit a closed flag was linked to.
 */
import { sql } from 'kysely';
import type { GraphQLContext } from '../context.ts';
import type { VisitRow } from '../inspections/inspections.repository.ts';
import { visitChecks } from '../inspections/inspections.repository.ts';
import { findVisits, toVisitParents } from '../inspections/inspections.service.ts';
import type { VisitParent } from '../inspections/inspections.types.ts';
import { actsOnFlag, allowedSteps } from './flag-permissions.ts';
import { closingVisitSql } from './flag-row.ts';
import type { FlagParent } from './flags.types.ts';

/** Most visits offered (newest first); a flag rarely has more than a few. */
export const CLOSING_VISITS_CAP = 50;

const mayClose = (ctx: GraphQLContext, flag: FlagParent) =>
  allowedSteps(ctx.viewer, flag.status, actsOnFlag(ctx.viewer, flag)).includes('CLOSE');

/** "2025年11月11日" */
function zhDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** The visits that may be linked when the viewer closes `flag` now. */
export async function closingVisits(ctx: GraphQLContext, flag: FlagParent): Promise<VisitParent[]> {
  if (!mayClose(ctx, flag)) return [];
  const result = await sql<VisitRow>`SELECT v.visit_id, v.school_code, s.school_name,
      strftime(v.visit_date, '%Y-%m-%d') AS visit_date, v.kind, v.user_name, v.inspector_id,
      v.findings, v.evidence, v.created_at
    FROM flags f
    JOIN visits v ON ${closingVisitSql()}
    LEFT JOIN schools s ON s.school_code = v.school_code
    WHERE f.flag_id = ${Number(flag.id)}
    ORDER BY v.visit_date DESC, v.visit_id DESC
    LIMIT ${CLOSING_VISITS_CAP}`.execute(ctx.db);
  const checks = await visitChecks(
    ctx.db,
    result.rows.map((r) => Number(r.visit_id)),
  );
  return toVisitParents(result.rows, checks);
}

/** Why no visit can be linked when closing `flag`, or null when one can (or closing is not open). */
export async function closingVisitsHint(
  ctx: GraphQLContext,
  flag: FlagParent,
): Promise<string | null> {
  if (!mayClose(ctx, flag)) return null;
  if ((await closingVisits(ctx, flag)).length > 0) return null;
  const since = flag.rectifiedOn === null ? null : zhDate(flag.rectifiedOn);
  const result = await sql<{ n: number }>`SELECT count(*)::INTEGER AS n FROM visits v
    WHERE v.school_code = ${flag.schoolCode} AND v.kind = 'FOLLOW_UP'`.execute(ctx.db);
  const anyFollowUp = (result.rows[0]?.n ?? 0) > 0;
  const then = since === null ? '整改完成后' : `${since}（整改完成当天）或之后`;
  if (!anyFollowUp)
    return `该校还没有整改复查记录，暂无可关联的复查。可在${then}到校复查并登记“整改复查”，也可以不关联复查记录直接核查销号。`;
  return `该校已有的整改复查都早于整改完成日期${since === null ? '' : `（${since}）`}，不能用来核查这次整改。可在${then}到校复查并登记“整改复查”，也可以不关联复查记录直接核查销号。`;
}

/** The visit linked by the step that closed `flag`, when the viewer may see it. */
export async function closingVisit(
  ctx: GraphQLContext,
  flag: FlagParent,
): Promise<VisitParent | null> {
  if (flag.status !== 'CLOSED') return null;
  const linked = await sql<{ visit_id: number | bigint }>`SELECT e.visit_id FROM flag_events e
    WHERE e.flag_id = ${Number(flag.id)} AND e.action = 'CLOSED' AND e.visit_id IS NOT NULL
    ORDER BY e.event_id DESC LIMIT 1`.execute(ctx.db);
  const visitId = linked.rows[0]?.visit_id;
  if (visitId === undefined) return null;
  const page = await findVisits(
    ctx,
    {
      visitId: Number(visitId),
      schoolCode: null,
      inspectorId: null,
      kind: null,
      from: null,
      to: null,
    },
    null,
    { limit: 1, offset: 0 },
  );
  return page.items[0] ?? null;
}
