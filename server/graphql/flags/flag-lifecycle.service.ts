/**
 * One life-cycle step on a flag (整改闭环): validate the input, then in one writer
 * transaction apply the guarded UPDATE, record the step in flag_events and the audit log.
 * A refused step changes no flag and no history; why it was refused is worked out from
 * what the viewer may see, so an out-of-remit flag reads exactly like a missing one.
 */
import type { Kysely } from 'kysely';
import type { Viewer } from '../../auth/viewer.ts';
import type { Database } from '../../db/database.ts';
import { flagStatusLabel } from '../../db/flag-statuses.ts';
import { TIME_ZONE } from '../../db/calendar.ts';
import type { FlagSkipReason, FlagStep } from '../__generated__/resolvers-types.ts';
import type { GraphQLContext } from '../context.ts';
import {
  BadUserInputError,
  ForbiddenError,
  NotFoundError,
  UnreachableCaseError,
} from '../errors.ts';
import {
  assertDate,
  oneYearAfter,
  optionalText,
  parseId,
  requiredText,
} from '../inspections/user-input.ts';
import { insertAudit } from '../users/users.repository.ts';
import { insertFlagEvent, updateFlagStep, type FlagChanges } from './flag-lifecycle.repository.ts';
import { actsOnFlag, mayTakeStep, TRANSITIONS, type Transition } from './flag-permissions.ts';
import { flagById, flagsByIds, flagView, type FlagView } from './flag-row.ts';
import type { FlagParent } from './flags.types.ts';
import { ROLE_LABEL } from '../../db/roles.ts';

export type StepRequest =
  | { step: 'REQUEST_RECTIFICATION'; flagId: string; deadline: string; request: string }
  | { step: 'RECORD_RECTIFICATION'; flagId: string; report: string; note?: string | null }
  | { step: 'CLOSE'; flagId: string; note: string; visitId?: string | null }
  | { step: 'DISMISS'; flagId: string; reason: string };

/** What a valid request writes. */
interface StepPlan {
  changes: FlagChanges;
  note: string;
  deadline: string | null;
  followUpVisitId: number | null;
}

const AUDIT_ACTION: Record<FlagStep, string> = {
  REQUEST_RECTIFICATION: 'flags.request_rectification',
  RECORD_RECTIFICATION: 'flags.record_rectification',
  CLOSE: 'flags.close',
  DISMISS: 'flags.dismiss',
};

/** The one message for a flag that is missing or outside the viewer's remit. */
export const FLAG_NOT_FOUND = '违规预警不存在 / flag not found';

function assertDeadline(value: string, today: string): string {
  const deadline = assertDate(value, 'deadline');
  if (deadline < today)
    throw new BadUserInputError(
      `整改期限不能早于今天（${today}） / deadline must not be before today (${today})`,
    );
  const latest = oneYearAfter(today);
  if (deadline > latest)
    throw new BadUserInputError(
      `整改期限最晚为 ${latest} / deadline must be at most one year ahead (${latest})`,
    );
  return deadline;
}

/** Validates the request's texts and dates; throws BAD_USER_INPUT. */
export function planStep(request: StepRequest, today: string): StepPlan {
  switch (request.step) {
    case 'REQUEST_RECTIFICATION': {
      const deadline = assertDeadline(request.deadline, today);
      const text = requiredText(request.request, 'request');
      return {
        changes: {
          rectifyDeadline: deadline,
          rectifyRequest: text,
          rectifyReport: null,
          resolution: null,
        },
        note: text,
        deadline,
        followUpVisitId: null,
      };
    }
    case 'RECORD_RECTIFICATION': {
      const report = requiredText(request.report, 'report');
      const note = optionalText(request.note, 'note');
      return {
        changes: { rectifyReport: report },
        // The history keeps every round's report: a later request clears the flag's copy.
        // People read the history: Chinese only, never a field name.
        note: note === null ? report : `${report}\n备注：${note}`,
        deadline: null,
        followUpVisitId: null,
      };
    }
    case 'CLOSE': {
      const note = requiredText(request.note, 'note');
      const raw = request.visitId ?? null;
      const visitId = raw === null ? null : parseId(raw);
      if (raw !== null && visitId === null)
        throw new BadUserInputError('visitId 无效 / visitId is not a visit id');
      return { changes: { resolution: 'closed' }, note, deadline: null, followUpVisitId: visitId };
    }
    case 'DISMISS': {
      const reason = requiredText(request.reason, 'reason');
      return {
        changes: { resolution: 'dismissed' },
        note: reason,
        deadline: null,
        followUpVisitId: null,
      };
    }
    default:
      throw new UnreachableCaseError(request);
  }
}

interface Refusal {
  error: Error;
  outcome: 'denied' | 'failed';
  reason: string;
}

/** Why the viewer's role may not take `step` at all. */
function roleRefusal(viewer: Viewer): string {
  switch (viewer.role) {
    case 'LEADERSHIP':
      return `${ROLE_LABEL.LEADERSHIP}只能查看违规预警，不能处理 / leadership may read flags but not act on them`;
    case 'SCHOOL_REPORTER':
      return viewer.schoolCode === null
        ? '您的账号未关联学校，不能处理违规预警 / your account is bound to no school: you cannot act on flags'
        : `${ROLE_LABEL.SCHOOL_REPORTER}只能登记本校的整改结果 / a school reporter may only record its own school's rectification`;
    case 'TOWNSHIP_REVIEWER':
      return `${ROLE_LABEL.TOWNSHIP_REVIEWER}只能查看违规预警，不能处理 / a township reviewer may read flags but not act on them`;
    default:
      return '您的账号未关联督学编号，不能处理违规预警 / your account has no inspector ID: you cannot act on flags';
  }
}

/** Why a guarded UPDATE matched nothing, told only from what the viewer may see. */
function refusal(viewer: Viewer, flag: FlagParent | null, step: FlagStep, plan: StepPlan): Refusal {
  const transition: Transition = TRANSITIONS[step];
  if (!mayTakeStep(viewer, step))
    return {
      error: new ForbiddenError(roleRefusal(viewer)),
      outcome: 'denied',
      reason: 'role',
    };
  if (flag === null)
    return { error: new NotFoundError(FLAG_NOT_FOUND), outcome: 'denied', reason: 'not_found' };
  if (!actsOnFlag(viewer, flag))
    return {
      error: new ForbiddenError(
        '该校当前不在您的督导范围内，不能处理此违规预警 / this school is not in your remit now: you cannot act on its flags',
      ),
      outcome: 'denied',
      reason: 'school',
    };
  if (!transition.from.includes(flag.status)) {
    const allowed = transition.from;
    return {
      error: new BadUserInputError(
        `该违规预警当前状态为「${flagStatusLabel(flag.status)}」，此操作只适用于：${allowed.map((s) => `「${flagStatusLabel(s)}」`).join('、')} / ` +
          `the flag is ${flag.status}; this step applies only to ${allowed.join(', ')}`,
      ),
      outcome: 'failed',
      reason: `status:${flag.status}`,
    };
  }
  if (plan.followUpVisitId !== null)
    return {
      error: new BadUserInputError(
        `所选复查记录不能用于这次销号：须为本校在整改完成${flag.rectifiedOn === null ? '' : `（${flag.rectifiedOn}）`}当天或之后的整改复查记录 / ` +
          `the linked visit must be a follow-up visit to the same school dated on or after the rectification day (${flag.rectifiedOn ?? 'unknown'}, ${TIME_ZONE})`,
      ),
      outcome: 'failed',
      reason: 'visit',
    };
  throw new Error('flag step refused for no known reason');
}

function audit(
  db: Kysely<Database>,
  ctx: GraphQLContext,
  step: FlagStep,
  at: Date,
  flagId: number | null,
  outcome: 'ok' | 'denied' | 'failed',
  detail: string,
): Promise<void> {
  return insertAudit(db, {
    at,
    userId: ctx.viewer.userId,
    username: ctx.viewer.username,
    action: AUDIT_ACTION[step],
    target: flagId === null ? null : `flag:${flagId}`,
    outcome,
    detail,
    ip: null,
  });
}

/**
 * One guarded step on one flag inside the writer's transaction: the UPDATE, then its
 * history row and audit row, or, when refused, the denied/failed audit row and why.
 */
async function applyStep(
  db: Kysely<Database>,
  ctx: GraphQLContext,
  view: FlagView,
  step: FlagStep,
  plan: StepPlan,
  flagId: number | null,
  at: Date,
): Promise<{ flagId: number } | { refused: Refusal }> {
  const transition = TRANSITIONS[step];
  // Read first for the from-status and, if refused, the reason; the UPDATE decides.
  const before = flagId === null ? null : await flagById(db, view, flagId);
  const moved =
    flagId !== null &&
    (await updateFlagStep(db, view, {
      step,
      flagId,
      from: transition.from,
      to: transition.to,
      changes: plan.changes,
      at,
      followUpVisitId: plan.followUpVisitId,
    }));
  if (flagId === null || !moved) {
    const why = refusal(ctx.viewer, before, step, plan);
    await audit(db, ctx, step, at, flagId, why.outcome, why.reason);
    return { refused: why };
  }
  if (before === null) throw new Error('a flag moved that its reader could not see');
  await insertFlagEvent(db, {
    flagId,
    action: transition.action,
    fromStatus: before.status,
    toStatus: transition.to,
    userId: ctx.viewer.userId,
    username: ctx.viewer.username,
    userName: ctx.viewer.name,
    at,
    note: plan.note,
    deadline: plan.deadline,
    visitId: plan.followUpVisitId,
  });
  await audit(db, ctx, step, at, flagId, 'ok', `${before.status}→${transition.to}`);
  return { flagId };
}

/** Takes one life-cycle step and returns the flag as the viewer now sees it. */
export async function takeStep(ctx: GraphQLContext, request: StepRequest): Promise<FlagParent> {
  const at = ctx.now();
  const view = flagView(ctx);
  const plan = planStep(request, view.today);
  const flagId = parseId(request.flagId);
  const outcome = await ctx.writer.write(({ db }) =>
    applyStep(db, ctx, view, request.step, plan, flagId, at),
  );
  if ('refused' in outcome) throw outcome.refused.error;
  const flag = await flagById(ctx.db, flagView(ctx), outcome.flagId);
  if (!flag) throw new Error('flag not readable after its step');
  return flag;
}

/** Most flags one bulk request may name. */
export const MAX_BULK_FLAGS = 200;

export interface SkippedFlag {
  flagId: string;
  reason: FlagSkipReason;
  message: string;
}

function skipReason(refused: Refusal): FlagSkipReason {
  if (refused.reason === 'not_found') return 'NOT_FOUND';
  if (refused.reason === 'school') return 'NOT_IN_REMIT';
  if (refused.reason.startsWith('status:')) return 'STATUS';
  // A role that may not act is refused as a whole before any flag (see requestRectifications).
  throw refused.error;
}

/**
 * requestRectification for several flags in one transaction: each flag is checked and
 * moved exactly as the single step would be (its own guarded UPDATE, history and audit
 * rows); the ones refused are reported, not thrown. A role that may not act at all gets
 * FORBIDDEN as the single step would give it, with one denied audit row.
 */
export async function requestRectifications(
  ctx: GraphQLContext,
  input: { flagIds: readonly string[]; deadline: string; request: string },
): Promise<{ requested: FlagParent[]; skipped: SkippedFlag[] }> {
  const at = ctx.now();
  const view = flagView(ctx);
  const ids = [...new Set(input.flagIds)];
  if (ids.length === 0)
    throw new BadUserInputError('请至少选择一条违规预警 / give at least one flag');
  if (ids.length > MAX_BULK_FLAGS)
    throw new BadUserInputError(
      `一次最多 ${MAX_BULK_FLAGS} 条违规预警 / at most ${MAX_BULK_FLAGS} flags at once`,
    );
  const plan = planStep(
    { step: 'REQUEST_RECTIFICATION', flagId: '', deadline: input.deadline, request: input.request },
    view.today,
  );
  const outcome = await ctx.writer.write(async ({ db }) => {
    if (!mayTakeStep(ctx.viewer, 'REQUEST_RECTIFICATION')) {
      const why = refusal(ctx.viewer, null, 'REQUEST_RECTIFICATION', plan);
      await audit(db, ctx, 'REQUEST_RECTIFICATION', at, null, why.outcome, `bulk:${ids.length}`);
      return { refused: why.error };
    }
    const moved: number[] = [];
    const skipped: SkippedFlag[] = [];
    for (const id of ids) {
      const result = await applyStep(db, ctx, view, 'REQUEST_RECTIFICATION', plan, parseId(id), at);
      if ('refused' in result)
        skipped.push({
          flagId: id,
          reason: skipReason(result.refused),
          message: result.refused.error.message,
        });
      else moved.push(result.flagId);
    }
    return { moved, skipped };
  });
  if ('refused' in outcome) throw outcome.refused;
  const flags = await flagsByIds(ctx.db, flagView(ctx), outcome.moved);
  const requested = outcome.moved.map((id) => {
    const flag = flags.get(String(id));
    if (!flag) throw new Error('flag not readable after its step');
    return flag;
  });
  return { requested, skipped: outcome.skipped };
}
