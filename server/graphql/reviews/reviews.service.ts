/**
 * Between the review resolvers and the repository: who may read the queue, who may take
 * which step on which unit, and each call's steps as one writer transaction (all or
 * nothing) with their events and audit rows. A unit outside the viewer's remit is refused
 * with the same words as one that does not exist, so a refusal names nothing unseen.
 */
import type { Viewer } from '../../auth/viewer.ts';
import { shanghaiIso } from '../../db/calendar.ts';
import { ROLE_LABEL } from '../../db/roles.ts';
import {
  REVIEW_ACTION_LABEL,
  REVIEW_STATUS_LABEL,
  REVIEW_STATUSES,
  REVIEW_STEP_FROM,
  REVIEW_STEP_TO,
  type ReviewStatus,
} from '../../db/vocabulary/review-statuses.ts';
import type {
  QueryUnitReviewCountsArgs,
  QueryUnitReviewsArgs,
  UnitReview,
  UnitReviewCount,
  UnitReviewEvent,
} from '../__generated__/resolvers-types.ts';
import type { GraphQLContext } from '../context.ts';
import { BadUserInputError, ForbiddenError, NotFoundError } from '../errors.ts';
import { requiredText } from '../inspections/user-input.ts';
import { decodeCursor, nextCursor, pageSize } from '../metrics/cursor.ts';
import { assertMonth } from '../scope/months.ts';
import { insertAudit, insertAudits } from '../users/users.repository.ts';
import {
  unitCounts,
  unitEvents,
  unitPage,
  writeSteps,
  type EventRow,
  type UnitFilter,
  type UnitKey,
  type UnitRow,
} from './reviews.repository.ts';

/** Largest page Query.unitReviews serves, and most units one step may name. */
export const MAX_UNIT_PAGE = 200;
export const MAX_UNITS_PER_STEP = 500;
/** Longest township name a filter may give. */
const MAX_TOWNSHIP = 100;

export type ReviewStep = 'SUBMIT' | 'APPROVE' | 'RETURN' | 'UNLOCK';

const AUDIT_ACTION: Record<ReviewStep, string> = {
  SUBMIT: 'reviews.submit',
  APPROVE: 'reviews.approve',
  RETURN: 'reviews.return',
  UNLOCK: 'reviews.unlock',
};

export const UNIT_NOT_FOUND = '该校该月尚无报表数据 / no report of that school-month';
export const UNIT_OUT_OF_REMIT =
  '该校该月不在您的审核范围内 / that school-month is not within your remit';

const STEP_REFUSED: Record<ReviewStep, string> = {
  SUBMIT: `只有本校${ROLE_LABEL.SCHOOL_REPORTER}或${ROLE_LABEL.BUREAU_INSPECTOR}可以提交 / only the school's reporter or a bureau inspector may submit`,
  APPROVE: `只有${ROLE_LABEL.BUREAU_INSPECTOR}或本学区${ROLE_LABEL.TOWNSHIP_REVIEWER}可以审核 / only a bureau inspector or the township's reviewer may approve`,
  RETURN: `只有${ROLE_LABEL.BUREAU_INSPECTOR}或本学区${ROLE_LABEL.TOWNSHIP_REVIEWER}可以退回 / only a bureau inspector or the township's reviewer may return`,
  UNLOCK: `只有${ROLE_LABEL.BUREAU_INSPECTOR}可以解锁 / only a bureau inspector may unlock`,
};

/** Leadership reads the figures, never the review queue. */
export function assertMayReadReviews(viewer: Viewer): void {
  if (viewer.role === 'LEADERSHIP')
    throw new ForbiddenError(
      `${ROLE_LABEL.LEADERSHIP}不能查看报表审核 / leadership may not read the review queue`,
    );
}

/** Whether the viewer's role may take `step` on some unit at all (before any unit is read). */
function roleMayTake(viewer: Viewer, step: ReviewStep, schoolCode: string | null): boolean {
  switch (step) {
    case 'SUBMIT':
      return (
        viewer.role === 'BUREAU_INSPECTOR' ||
        (viewer.role === 'SCHOOL_REPORTER' &&
          viewer.schoolCode !== null &&
          viewer.schoolCode === schoolCode)
      );
    case 'APPROVE':
    case 'RETURN':
      return (
        viewer.role === 'BUREAU_INSPECTOR' ||
        (viewer.role === 'TOWNSHIP_REVIEWER' && viewer.township !== null)
      );
    case 'UNLOCK':
      return viewer.role === 'BUREAU_INSPECTOR';
  }
}

/**
 * The steps the viewer may take on a unit they see now. A 学区审核员 sees only their
 * township's units (the remit rule), so seeing one is being its reviewer.
 */
export function allowedSteps(viewer: Viewer, row: UnitRow): ReviewStep[] {
  const steps: ReviewStep[] = [];
  for (const step of ['SUBMIT', 'APPROVE', 'RETURN', 'UNLOCK'] as const) {
    if (!REVIEW_STEP_FROM[step].includes(row.status)) continue;
    if (step === 'SUBMIT' && !row.has_data) continue;
    if (!roleMayTake(viewer, step, row.school_code)) continue;
    steps.push(step);
  }
  return steps;
}

const iso = (at: Date | string | null): string | null =>
  at === null ? null : shanghaiIso(new Date(at).getTime());

function toEvent(e: EventRow): UnitReviewEvent {
  return {
    action: e.action,
    actionLabel: REVIEW_ACTION_LABEL[e.action],
    fromStatus: e.from_status,
    toStatus: e.to_status,
    note: e.note,
    batchId: e.batch_id,
    username: e.username,
    occurredAt: iso(e.occurred_at) ?? '',
  };
}

const keyOf = (k: UnitKey) => `${k.schoolCode}|${k.month}`;

function toUnitReviews(viewer: Viewer, rows: UnitRow[], events: EventRow[]): UnitReview[] {
  const history = new Map<string, UnitReviewEvent[]>();
  for (const e of events) {
    const key = keyOf({ schoolCode: e.school_code, month: e.month });
    history.set(key, [...(history.get(key) ?? []), toEvent(e)]);
  }
  return rows.map((r) => ({
    schoolCode: r.school_code,
    schoolName: r.school_name ?? r.school_code,
    township: r.township ?? '',
    month: r.month,
    status: r.status,
    statusLabel: REVIEW_STATUS_LABEL[r.status],
    reasons: r.reasons === null ? [] : r.reasons.split('\n').filter((x) => x.length > 0),
    hasData: r.has_data,
    updatedAt: iso(r.updated_at),
    updatedBy: r.updated_by_name,
    history: history.get(keyOf({ schoolCode: r.school_code, month: r.month })) ?? [],
    allowedActions: allowedSteps(viewer, r),
  }));
}

function toStatus(status: string | null | undefined): ReviewStatus | null {
  if (status == null) return null;
  if (!(REVIEW_STATUSES as readonly string[]).includes(status))
    throw new BadUserInputError(`status 无效 / unknown status ${status}`);
  return status as ReviewStatus;
}

function toFilter(args: {
  month?: string | null;
  status?: string | null;
  township?: string | null;
  schoolCode?: string | null;
}): UnitFilter {
  const township = args.township ?? null;
  if (township !== null && (township.length === 0 || township.length > MAX_TOWNSHIP))
    throw new BadUserInputError(`township 无效 / township must be 1..${MAX_TOWNSHIP} characters`);
  return {
    month: args.month != null ? assertMonth(args.month) : null,
    status: toStatus(args.status),
    township,
    schoolCode: args.schoolCode ?? null,
    keys: null,
  };
}

/** Query.unitReviews: a page of the units within the viewer's remit. */
export async function unitReviews(
  ctx: GraphQLContext,
  args: QueryUnitReviewsArgs,
): Promise<{ total: number; items: UnitReview[]; endCursor: string | null }> {
  assertMayReadReviews(ctx.viewer);
  const filter = toFilter(args);
  const limit = pageSize(args.first, 50, MAX_UNIT_PAGE);
  const offset = decodeCursor(args.after);
  const page = await unitPage(ctx.db, ctx.viewer, filter, { limit, offset });
  const events = await unitEvents(
    ctx.db,
    page.rows.map((r) => ({ schoolCode: r.school_code, month: r.month })),
  );
  return {
    total: page.total,
    items: toUnitReviews(ctx.viewer, page.rows, events),
    endCursor: nextCursor(offset, page.rows.length, page.total),
  };
}

/** Query.unitReviewCounts: every status with its count (0 included), in review order. */
export async function unitReviewCounts(
  ctx: GraphQLContext,
  args: QueryUnitReviewCountsArgs,
): Promise<UnitReviewCount[]> {
  assertMayReadReviews(ctx.viewer);
  const counts = await unitCounts(ctx.db, ctx.viewer, toFilter(args));
  return REVIEW_STATUSES.map((status) => ({
    status,
    label: REVIEW_STATUS_LABEL[status],
    count: counts.get(status) ?? 0,
  }));
}

/** Units named by a step, checked and without repeats. */
function toKeys(units: readonly UnitKey[]): UnitKey[] {
  if (units.length === 0)
    throw new BadUserInputError('至少选择一个学校月份 / name at least one school-month');
  if (units.length > MAX_UNITS_PER_STEP)
    throw new BadUserInputError(
      `一次最多 ${MAX_UNITS_PER_STEP} 个学校月份 / at most ${MAX_UNITS_PER_STEP} school-months at a time`,
    );
  const seen = new Map<string, UnitKey>();
  for (const u of units) {
    const key = { schoolCode: u.schoolCode.trim(), month: assertMonth(u.month.trim()) };
    seen.set(keyOf(key), key);
  }
  return [...seen.values()];
}

/** Reasons of a return: trimmed, none blank, at least one; stored one per line. */
function toReasons(reasons: readonly string[]): string {
  const texts = reasons.map((r) => r.replace(/\s+/gu, ' ').trim()).filter((r) => r.length > 0);
  if (texts.length === 0)
    throw new BadUserInputError('退回须填写至少一条原因 / a return needs at least one reason');
  return requiredText(texts.join('\n'), 'reasons');
}

export interface StepRequest {
  units: readonly UnitKey[];
  /** RETURN: the reasons; UNLOCK: the reason. */
  reasons?: readonly string[];
}

/**
 * Takes one step on every unit named, or on none: refused when the role may not take it,
 * when a unit is outside the remit (or has no report) or is in a status the step does not
 * start from. Returns the units as the viewer now sees them, in the order named.
 */
export async function takeStep(
  ctx: GraphQLContext,
  step: ReviewStep,
  request: StepRequest,
): Promise<UnitReview[]> {
  const { viewer } = ctx;
  const at = ctx.now();
  const audit = (
    db: Parameters<typeof insertAudit>[0],
    target: string | null,
    outcome: 'ok' | 'denied' | 'failed',
    detail: string,
  ) =>
    insertAudit(db, {
      at,
      userId: viewer.userId,
      username: viewer.username,
      action: AUDIT_ACTION[step],
      target,
      outcome,
      detail,
      ip: null,
    });
  const firstTarget = request.units[0]
    ? `unit:${request.units[0].schoolCode}:${request.units[0].month}`
    : null;
  const outcome = await ctx.writer.write(async ({ db }) => {
    // The role first: a refused role learns nothing of the units it named.
    const schools = new Set(request.units.map((u) => u.schoolCode));
    const roleOk =
      step === 'SUBMIT'
        ? [...schools].every((code) => roleMayTake(viewer, step, code))
        : roleMayTake(viewer, step, null);
    if (!roleOk) {
      await audit(db, firstTarget, 'denied', 'role');
      return { refused: new ForbiddenError(STEP_REFUSED[step]) };
    }
    let keys: UnitKey[];
    let reasons: string | null = null;
    try {
      keys = toKeys(request.units);
      if (step === 'RETURN') reasons = toReasons(request.reasons ?? []);
      if (step === 'UNLOCK') reasons = requiredText((request.reasons ?? []).join(' '), 'reason');
    } catch (error) {
      await audit(db, firstTarget, 'failed', 'input');
      return { refused: error as Error };
    }
    const page = await unitPage(
      db,
      viewer,
      { month: null, status: null, township: null, schoolCode: null, keys },
      { limit: keys.length, offset: 0 },
    );
    const byKey = new Map(
      page.rows.map((r) => [keyOf({ schoolCode: r.school_code, month: r.month }), r]),
    );
    for (const key of keys) {
      if (byKey.has(keyOf(key))) continue;
      await audit(db, `unit:${key.schoolCode}:${key.month}`, 'denied', 'not_found');
      // The district and a school's own reporter may learn that no report exists; anyone
      // else is told only that the unit is not theirs, whether or not it exists.
      const knows =
        viewer.role === 'BUREAU_INSPECTOR' ||
        (viewer.role === 'SCHOOL_REPORTER' && viewer.schoolCode === key.schoolCode);
      return {
        refused: knows ? new NotFoundError(UNIT_NOT_FOUND) : new ForbiddenError(UNIT_OUT_OF_REMIT),
      };
    }
    for (const key of keys) {
      const row = byKey.get(keyOf(key))!;
      const from = REVIEW_STEP_FROM[step];
      if (!from.includes(row.status) || (step === 'SUBMIT' && !row.has_data)) {
        await audit(db, `unit:${key.schoolCode}:${key.month}`, 'failed', `status:${row.status}`);
        const allowed = from.map((s) => `「${REVIEW_STATUS_LABEL[s]}」`).join('、');
        const name = row.school_name ?? row.school_code;
        return {
          refused: new BadUserInputError(
            `${name} ${row.month} 当前为「${REVIEW_STATUS_LABEL[row.status]}」，${REVIEW_ACTION_LABEL[step]}只适用于：${allowed} / ` +
              `${row.school_code} ${row.month} is ${row.status}; ${step} applies only to ${from.join(', ')}`,
          ),
        };
      }
    }
    const to = REVIEW_STEP_TO[step];
    const rows = keys.map((key) => ({ key, from: byKey.get(keyOf(key))!.status }));
    await writeSteps(
      db,
      rows.map(({ key, from }) => ({
        key,
        action: step,
        from,
        to,
        // An unlocked unit goes back to the school as returned, with the unlock's reason.
        reasons: step === 'RETURN' || step === 'UNLOCK' ? reasons : null,
        note: reasons,
        viewer,
        at,
      })),
    );
    await insertAudits(
      db,
      rows.map(({ key, from }) => ({
        at,
        userId: viewer.userId,
        username: viewer.username,
        action: AUDIT_ACTION[step],
        target: `unit:${key.schoolCode}:${key.month}`,
        outcome: 'ok' as const,
        detail: `${from}→${to}`,
        ip: null,
      })),
    );
    return { keys };
  });
  if ('refused' in outcome) throw outcome.refused;
  const filter: UnitFilter = {
    month: null,
    status: null,
    township: null,
    schoolCode: null,
    keys: outcome.keys,
  };
  const page = await unitPage(ctx.db, viewer, filter, { limit: outcome.keys.length, offset: 0 });
  const events = await unitEvents(ctx.db, outcome.keys);
  const items = toUnitReviews(viewer, page.rows, events);
  const byKey = new Map(items.map((u) => [keyOf(u), u]));
  return outcome.keys.map((k) => byKey.get(keyOf(k))).filter((u) => u !== undefined);
}
