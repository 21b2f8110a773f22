/**
 * Between the doubt resolvers and the repository: who may read doubts at all, arguments
 * validated into a filter, and an inspector's review (核实无误 / 要求更正) as one writer
 * transaction: the guarded UPDATE, its data_doubt_events row and the audit row. A refused
 * review changes nothing but is audited; why it was refused is told only from what the
 * viewer may see, so an out-of-remit doubt reads exactly like a missing one.
 */
import type { Viewer } from '../../auth/viewer.ts';
import { ROLE_LABEL, ROLE_LABEL_EN } from '../../db/roles.ts';
import { DOUBT_STATUSES, type DoubtStatus } from '../../db/tables/data-doubts.table.ts';
import {
  DOUBT_TRANSITIONS,
  doubtStatusLabel,
  type DoubtReview,
} from '../../db/vocabulary/doubt-statuses.ts';
import type { DataDoubt, QueryDataDoubtsArgs } from '../__generated__/resolvers-types.ts';
import type { GraphQLContext } from '../context.ts';
import { BadUserInputError, ForbiddenError, NotFoundError } from '../errors.ts';
import { parseId, requiredText } from '../inspections/user-input.ts';
import { decodeCursor, nextCursor, pageSize } from '../metrics/cursor.ts';
import { assertMonth } from '../scope/months.ts';
import { parsePeriodArg } from '../scope/period-arg.ts';
import { toScopeFilter } from '../scope/scope-input.ts';
import { insertAudit } from '../users/users.repository.ts';
import { doubtById, roleReviewsDoubts, toDataDoubt } from './doubt-row.ts';
import {
  doubtPage,
  insertDoubtEvent,
  updateDoubtReview,
  type DoubtFilter,
} from './doubts.repository.ts';

/** Largest page Query.dataDoubts serves. */
export const MAX_DOUBT_PAGE = 200;
/** Longest rule id a filter may name (ids are short: PEER_OUTLIER.participation_rate). */
const MAX_RULE = 100;

/** The one message for a doubt that is missing or outside the viewer's remit. */
export const DOUBT_NOT_FOUND = '数据疑点不存在 / data doubt not found';

/**
 * Leadership reads doubt counts only where other views show them, never a doubt: the
 * refusal is the same whatever the arguments, so it tells nothing about what exists.
 */
export function assertMayReadDoubts(viewer: Viewer): void {
  if (viewer.role === 'LEADERSHIP')
    throw new ForbiddenError(
      `${ROLE_LABEL.LEADERSHIP}不能查看数据疑点明细 / leadership may not read data doubts`,
    );
}

/**
 * The same rule for reviews, plus the 督学 account without 督学编号 (it has no schools) and
 * the school side (it reads its doubts, never reviews them): refused whatever the doubt.
 */
function assertMayReview(viewer: Viewer): void {
  assertMayReadDoubts(viewer);
  if (viewer.role === 'SUPERVISING_INSPECTOR' && viewer.inspectorId === null)
    throw new ForbiddenError(
      '您的账号未关联督学编号，不能核实数据疑点 / your account has no inspector ID: you cannot review data doubts',
    );
  if (!roleReviewsDoubts(viewer))
    throw new ForbiddenError(
      `${ROLE_LABEL[viewer.role]}只能查看数据疑点，不能核实 / a ${ROLE_LABEL_EN[viewer.role]} may read data doubts but not review them`,
    );
}

function toStatus(status: string | null | undefined): DoubtStatus | null {
  if (status == null) return null;
  if (!(DOUBT_STATUSES as readonly string[]).includes(status))
    throw new BadUserInputError(`status 无效 / unknown status ${status}`);
  return status as DoubtStatus;
}

/** Query.dataDoubts arguments as a filter; BAD_USER_INPUT on malformed months or periods. */
export function toDoubtFilter(args: Omit<QueryDataDoubtsArgs, 'first' | 'after'>): DoubtFilter {
  if (args.month != null && args.period != null)
    throw new BadUserInputError(
      'month 与 period 只能给一个 / give either month or period, not both',
    );
  const months =
    args.period != null
      ? parsePeriodArg(args.period).months
      : args.month != null
        ? [assertMonth(args.month)]
        : null;
  const rule = args.rule ?? null;
  if (rule !== null && (rule.length === 0 || rule.length > MAX_RULE))
    throw new BadUserInputError(`rule 无效 / rule must be 1..${MAX_RULE} characters`);
  return {
    from: months ? (months[0] as string) : null,
    to: months ? (months[months.length - 1] as string) : null,
    schoolCode: args.schoolCode ?? null,
    status: toStatus(args.status),
    rule,
    scope: toScopeFilter(args.scope),
  };
}

/** Query.dataDoubts: a page of the doubts within the viewer's remit. */
export async function dataDoubts(
  ctx: GraphQLContext,
  args: QueryDataDoubtsArgs,
): Promise<{ total: number; items: DataDoubt[]; endCursor: string | null }> {
  assertMayReadDoubts(ctx.viewer);
  const filter = toDoubtFilter(args);
  const limit = pageSize(args.first, 50, MAX_DOUBT_PAGE);
  const offset = decodeCursor(args.after);
  const page = await doubtPage(ctx.db, ctx.viewer, filter, { limit, offset });
  return {
    total: page.total,
    items: page.rows.map((row) => toDataDoubt(ctx.viewer, row)),
    endCursor: nextCursor(offset, page.rows.length, page.total),
  };
}

/** Takes one review step and returns the doubt as the viewer now sees it. */
export async function reviewDoubt(
  ctx: GraphQLContext,
  review: DoubtReview,
  request: { doubtId: string; note: string },
): Promise<DataDoubt> {
  const { viewer } = ctx;
  const transition = DOUBT_TRANSITIONS[review];
  const at = ctx.now();
  const audit = (
    db: Parameters<typeof insertAudit>[0],
    id: number | null,
    outcome: 'ok' | 'denied' | 'failed',
    detail: string,
  ) =>
    insertAudit(db, {
      at,
      userId: viewer.userId,
      username: viewer.username,
      action: transition.auditAction,
      target: id === null ? null : `doubt:${id}`,
      outcome,
      detail,
      ip: null,
    });
  const doubtId = parseId(request.doubtId);
  const outcome = await ctx.writer.write(async ({ db }) => {
    try {
      assertMayReview(viewer);
    } catch (error) {
      await audit(db, doubtId, 'denied', 'role');
      return { refused: error as Error };
    }
    let note: string;
    try {
      note = requiredText(request.note, 'note');
    } catch (error) {
      await audit(db, doubtId, 'failed', 'note');
      return { refused: error as Error };
    }
    const before = doubtId === null ? null : await doubtById(db, viewer, doubtId);
    if (doubtId === null || before === null) {
      await audit(db, doubtId, 'denied', 'not_found');
      return { refused: new NotFoundError(DOUBT_NOT_FOUND) };
    }
    const moved = await updateDoubtReview(db, viewer, {
      doubtId,
      from: transition.from,
      to: transition.to,
      note,
      reviewedBy: viewer.name,
      at,
    });
    if (!moved) {
      await audit(db, doubtId, 'failed', `status:${before.status}`);
      const allowed = transition.from.map((s) => `「${doubtStatusLabel(s)}」`).join('、');
      return {
        refused: new BadUserInputError(
          `该数据疑点当前状态为「${before.statusLabel}」，此操作只适用于：${allowed} / ` +
            `the doubt is ${before.status}; this step applies only to ${transition.from.join(', ')}`,
        ),
      };
    }
    await insertDoubtEvent(db, {
      doubtId,
      action: transition.action,
      fromStatus: before.status,
      toStatus: transition.to,
      userId: viewer.userId,
      username: viewer.username,
      note,
      at,
    });
    await audit(db, doubtId, 'ok', `${before.status}→${transition.to}`);
    return { doubtId };
  });
  if ('refused' in outcome) throw outcome.refused;
  const doubt = await doubtById(ctx.db, viewer, outcome.doubtId);
  if (!doubt) throw new Error('doubt not readable after its review');
  return doubt;
}
