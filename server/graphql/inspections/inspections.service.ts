/**
 * Visit queries for resolvers: a page of visible visits with their checklists (three
 * queries whatever the page size), rows to GraphQL parents, and the flags of a page of visits loaded in one query:
 * every visit of a page shares its `batch` array, so the first Visit.flags resolver of
 * the page loads the flags of all of them and the others reuse that promise.
 */
import type { ChecklistItem } from '../../db/tables/visits.table.ts';
import { currentMonth } from '../../db/calendar.ts';
import type { ChecklistEntry, ScopeInput } from '../__generated__/resolvers-types.ts';
import type { GraphQLContext } from '../context.ts';
import { flagView, toFlagParent } from '../flags/flag-row.ts';
import type { FlagParent } from '../flags/flags.types.ts';
import { nextCursor } from '../metrics/cursor.ts';
import { scopeRequest } from '../scope/scope-input.ts';
import {
  visitChecks,
  visitFlags,
  visitMonths,
  visitPage,
  type VisitCheckRow,
  type VisitFilter,
  type VisitRow,
} from './inspections.repository.ts';
import type { VisitParent } from './inspections.types.ts';

const RANK: Record<ChecklistItem, number> = {
  SERVICE_TIME: 0,
  CONTENT: 1,
  SAFETY: 2,
  FEE_PUBLICITY: 3,
  ATTENDANCE_RECORDS: 4,
  HANDOVER_RECORDS: 5,
};

/** Checklist items in the order of the ChecklistItem enum. */
export const CHECKLIST_ORDER = (Object.keys(RANK) as ChecklistItem[]).sort(
  (a, b) => RANK[a] - RANK[b],
);

function checklistOf(rows: readonly VisitCheckRow[]): ChecklistEntry[] {
  const byItem = new Map(rows.map((r) => [r.item, r]));
  return CHECKLIST_ORDER.map((item) => {
    const row = byItem.get(item);
    return { item, result: row?.result ?? 'NOT_CHECKED', note: row?.note ?? null };
  });
}

/** Parents for the visits of one query, each with its checklist. */
export function toVisitParents(
  rows: readonly VisitRow[],
  checks: readonly VisitCheckRow[],
): VisitParent[] {
  const batch = rows.map((r) => Number(r.visit_id));
  const checksOf = new Map<number, VisitCheckRow[]>();
  for (const c of checks) {
    const id = Number(c.visit_id);
    checksOf.set(id, [...(checksOf.get(id) ?? []), c]);
  }
  return rows.map((r) => ({
    id: String(r.visit_id),
    schoolCode: r.school_code,
    schoolName: r.school_name,
    date: r.visit_date,
    kind: r.kind,
    inspectorName: r.user_name,
    inspectorId: r.inspector_id,
    checklist: checklistOf(checksOf.get(Number(r.visit_id)) ?? []),
    findings: r.findings,
    evidence: r.evidence,
    createdAt: new Date(r.created_at).toISOString(),
    batch,
  }));
}

const loaded = new WeakMap<readonly number[], Promise<Map<number, FlagParent[]>>>();

/** The visible flags `visit` raised; one query for its whole batch. */
export function flagsOfVisit(ctx: GraphQLContext, visit: VisitParent): Promise<FlagParent[]> {
  let batch = loaded.get(visit.batch);
  if (!batch) {
    batch = visitFlags(ctx.db, flagView(ctx), visit.batch).then((rows) => {
      const byVisit = new Map<number, FlagParent[]>();
      for (const row of rows) {
        const id = Number(row.visit_id);
        byVisit.set(id, [...(byVisit.get(id) ?? []), toFlagParent(row)]);
      }
      return byVisit;
    });
    loaded.set(visit.batch, batch);
  }
  return batch.then((byVisit) => byVisit.get(Number(visit.id)) ?? []);
}

/** A page of the visits the viewer may see, within `scope`, matching `filter`. */
export async function findVisits(
  ctx: GraphQLContext,
  filter: VisitFilter,
  scope: ScopeInput | null | undefined,
  page: { limit: number; offset: number },
): Promise<{ total: number; items: VisitParent[]; endCursor: string | null }> {
  const now = currentMonth(ctx.now());
  const months = [...new Set([...(await visitMonths(ctx.db, filter)), now])];
  const { total, rows } = await visitPage(ctx.db, scopeRequest(ctx, scope, months), filter, {
    currentMonth: now,
    ...page,
  });
  const checks = await visitChecks(
    ctx.db,
    rows.map((r) => Number(r.visit_id)),
  );
  return {
    total,
    items: toVisitParents(rows, checks),
    endCursor: nextCursor(page.offset, rows.length, total),
  };
}
