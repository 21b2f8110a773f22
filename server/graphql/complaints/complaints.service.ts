/**
 * 投诉与举报 between the resolvers and the repository: who may read complaints at all,
 * arguments validated into a filter, and each step (record, assign, raise a flag, link a
 * visit, close) as one writer transaction: the guarded write, its complaint_events row and
 * the audit row. A refused step changes nothing but is audited; why it was refused is told
 * only from what the viewer may see, so an out-of-remit complaint reads like a missing one.
 */
import { assertNotOneSchool } from '../scope/one-school.ts';
import type { Kysely, RawBuilder } from 'kysely';
import type { Viewer } from '../../auth/viewer.ts';
import { currentDate, currentMonth } from '../../db/calendar.ts';
import type { Database } from '../../db/database.ts';
import { ROLE_LABEL, ROLE_LABEL_EN } from '../../db/roles.ts';
import {
  COMPLAINT_SOURCES,
  COMPLAINT_STATUSES,
  type ComplaintAction,
  type ComplaintSource,
  type ComplaintStatus,
} from '../../db/tables/complaints.table.ts';
import { flagCode } from '../../policy/flag-catalogue.ts';
import { policyFor } from '../../policy/policy.ts';
import type { ComplaintInput, QueryComplaintsArgs } from '../__generated__/resolvers-types.ts';
import type { GraphQLContext } from '../context.ts';
import { BadUserInputError, ForbiddenError, NotFoundError } from '../errors.ts';
import { insertFlagEvent } from '../flags/flag-lifecycle.repository.ts';
import { insertInspectionFlags } from '../inspections/record-visit.repository.ts';
import {
  assertDate,
  MAX_LONG_TEXT,
  optionalText,
  parseId,
  requiredText,
} from '../inspections/user-input.ts';
import { decodeCursor, nextCursor, pageSize } from '../metrics/cursor.ts';
import { assertMonth } from '../scope/months.ts';
import { toScopeFilter } from '../scope/scope-input.ts';
import { insertAudit } from '../users/users.repository.ts';
import {
  complaintRowById,
  mayRaiseFlagFor,
  toComplaintParent,
  type ComplaintRow,
  type ComplaintView,
} from './complaint-row.ts';
import {
  complaintHandlers,
  complaintPage,
  handlerMaySql,
  insertComplaint,
  insertComplaintEvent,
  linkableVisitSql,
  updateOpenComplaint,
  type ComplaintChanges,
  type ComplaintFilter,
} from './complaints.repository.ts';
import type { ComplaintParent } from './complaints.types.ts';

/** Largest page Query.complaints serves. */
export const MAX_COMPLAINT_PAGE = 200;
/** Earliest day a complaint may have come in. */
const FIRST_RECEIVED_ON = '2000-01-01';
/** Longest name or contact kept for a complainant. */
const MAX_CONTACT = 200;

/** The refusal of a handler's choice to anyone but a bureau inspector. */
export const ONLY_BUREAU_ASSIGNS = `只有${ROLE_LABEL.BUREAU_INSPECTOR}可以指定承办人 / only bureau inspectors assign a handler`;

/** The one message for a complaint that is missing or outside the viewer's remit. */
export const COMPLAINT_NOT_FOUND = '投诉举报不存在 / complaint not found';

export function complaintView(ctx: { viewer: Viewer; now: () => Date }): ComplaintView {
  const now = ctx.now();
  return { viewer: ctx.viewer, today: currentDate(now), currentMonth: currentMonth(now) };
}

/**
 * Leadership reads complaint counts in the monthly report only, never a complaint: the
 * refusal is the same whatever the arguments, so it tells nothing about what exists.
 */
export function assertMayReadComplaints(viewer: Viewer): void {
  if (viewer.role === 'LEADERSHIP')
    throw new ForbiddenError(
      `${ROLE_LABEL.LEADERSHIP}只能在月度报告中查看投诉举报件数 / leadership may not read complaints`,
    );
  // A school never learns what was alleged against it, or by whom, from the dashboard.
  assertNotOneSchool(viewer, 'complaints');
}

function oneOf<T extends string>(values: readonly T[], value: string, name: string): T {
  if (!(values as readonly string[]).includes(value))
    throw new BadUserInputError(`${name} 无效 / unknown ${name} ${value}`);
  return value as T;
}

function assertCategory(category: string): string {
  if (flagCode(category) === undefined)
    throw new BadUserInputError(
      `投诉类别 ${category} 不在违规预警目录中 / category ${category} is not a flag code`,
    );
  return category;
}

/** Query.complaints arguments as a filter; BAD_USER_INPUT on malformed values. */
export function toComplaintFilter(
  args: Omit<QueryComplaintsArgs, 'first' | 'after'>,
): ComplaintFilter {
  return {
    month: args.month == null ? null : assertMonth(args.month),
    status:
      args.status == null
        ? null
        : oneOf<ComplaintStatus>(COMPLAINT_STATUSES, args.status, 'status'),
    source:
      args.source == null ? null : oneOf<ComplaintSource>(COMPLAINT_SOURCES, args.source, 'source'),
    category: args.category == null ? null : assertCategory(args.category),
    schoolCode: args.schoolCode?.trim() || null,
    overdue: args.overdue === true,
    scope: toScopeFilter(args.scope),
  };
}

export async function complaints(
  ctx: GraphQLContext,
  args: QueryComplaintsArgs,
): Promise<{ total: number; items: ComplaintParent[]; endCursor: string | null }> {
  assertMayReadComplaints(ctx.viewer);
  const filter = toComplaintFilter(args);
  const limit = pageSize(args.first, 50, MAX_COMPLAINT_PAGE);
  const offset = decodeCursor(args.after);
  const page = await complaintPage(ctx.db, complaintView(ctx), filter, { limit, offset });
  return {
    total: page.total,
    items: page.rows.map((r) => toComplaintParent(ctx.viewer, r)),
    endCursor: nextCursor(offset, page.rows.length, page.total),
  };
}

export async function complaintById(
  db: Kysely<Database>,
  view: ComplaintView,
  complaintId: number,
): Promise<ComplaintParent | null> {
  const row = await complaintRowById(db, view, complaintId);
  return row === null ? null : toComplaintParent(view.viewer, row);
}

export async function complaint(ctx: GraphQLContext, id: string): Promise<ComplaintParent | null> {
  assertMayReadComplaints(ctx.viewer);
  const complaintId = parseId(id);
  return complaintId === null ? null : complaintById(ctx.db, complaintView(ctx), complaintId);
}

/** Whether the role may take steps at all (leadership and unlinked 督学 accounts may not). */
function roleRefusal(viewer: Viewer): Error | null {
  if (viewer.role === 'LEADERSHIP')
    return new ForbiddenError(
      `${ROLE_LABEL.LEADERSHIP}不能办理投诉举报 / leadership may not handle complaints`,
    );
  if (viewer.role === 'SUPERVISING_INSPECTOR' && viewer.inspectorId === null)
    return new ForbiddenError(
      '您的账号未关联督学编号，不能办理投诉举报 / your account has no inspector ID: you cannot handle complaints',
    );
  // The school side handles no complaint: a 学区审核员 reads its township's, a 学校填报员 none.
  if (viewer.role === 'SCHOOL_REPORTER' || viewer.role === 'TOWNSHIP_REVIEWER')
    return new ForbiddenError(
      `${ROLE_LABEL[viewer.role]}不能办理投诉举报 / a ${ROLE_LABEL_EN[viewer.role]} may not handle complaints`,
    );
  return null;
}

type AuditOutcome = 'ok' | 'denied' | 'failed';

function audit(
  db: Kysely<Database>,
  ctx: GraphQLContext,
  action: string,
  at: Date,
  target: string | null,
  outcome: AuditOutcome,
  detail: string,
): Promise<void> {
  return insertAudit(db, {
    at,
    userId: ctx.viewer.userId,
    username: ctx.viewer.username,
    action,
    target,
    outcome,
    detail,
    ip: null,
  });
}

/** The complaint's deadline (办理时限): receivedOn + the month's policy handling_days. */
export function complaintDeadline(ctx: GraphQLContext, receivedOn: string): string {
  const days = policyFor(ctx.policy, receivedOn.slice(0, 7)).complaints.handling_days;
  const at = new Date(`${receivedOn}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

/** Mutation.recordComplaint: returns the complaint as the viewer now sees it. */
export async function recordComplaint(
  ctx: GraphQLContext,
  input: ComplaintInput,
): Promise<ComplaintParent> {
  const at = ctx.now();
  const view = complaintView(ctx);
  const { viewer } = ctx;
  const schoolCode = input.schoolCode.trim();
  const refused = roleRefusal(viewer);
  if (refused) {
    await ctx.writer.write(({ db }) =>
      audit(db, ctx, 'complaints.record', at, `school:${schoolCode}`, 'denied', 'role'),
    );
    throw refused;
  }
  const receivedOn = assertDate(input.receivedOn, 'receivedOn');
  if (receivedOn > view.today)
    throw new BadUserInputError(
      `收件日期不能晚于今天（${view.today}） / receivedOn must not be in the future`,
    );
  if (receivedOn < FIRST_RECEIVED_ON)
    throw new BadUserInputError(`收件日期不能早于 ${FIRST_RECEIVED_ON} / receivedOn too early`);
  if (!/^\d{10}$/u.test(schoolCode))
    throw new BadUserInputError('学校标识码应为10位数字 / school code must be 10 digits');
  let handlerUserId: number | null = null;
  if (input.handlerUserId != null) {
    if (viewer.role !== 'BUREAU_INSPECTOR') throw new ForbiddenError(ONLY_BUREAU_ASSIGNS);
    handlerUserId = parseId(input.handlerUserId);
    if (handlerUserId === null) throw new BadUserInputError('handlerUserId 无效 / bad user id');
  } else if (viewer.role === 'SUPERVISING_INSPECTOR') handlerUserId = viewer.userId;
  const record = {
    schoolCode,
    source: oneOf<ComplaintSource>(COMPLAINT_SOURCES, input.source, 'source'),
    category: assertCategory(input.category),
    receivedOn,
    allegation: requiredText(input.allegation, 'allegation', MAX_LONG_TEXT),
    complainantName: optionalText(input.complainantName, 'complainantName', MAX_CONTACT),
    complainantContact: optionalText(input.complainantContact, 'complainantContact', MAX_CONTACT),
    handlerUserId,
    deadline: complaintDeadline(ctx, receivedOn),
    at,
  };
  const outcome = await ctx.writer.write(async ({ db }) => {
    if (viewer.role === 'BUREAU_INSPECTOR' && handlerUserId !== null) {
      const handlers = await complaintHandlers(db, schoolCode, view.currentMonth);
      if (!handlers.some((h) => h.user_id === handlerUserId)) {
        await audit(db, ctx, 'complaints.record', at, `school:${schoolCode}`, 'failed', 'handler');
        return { refused: handlerRefusal() };
      }
    }
    const complaintId = await insertComplaint(db, viewer, record, view.currentMonth);
    if (complaintId === null) {
      await audit(db, ctx, 'complaints.record', at, `school:${schoolCode}`, 'denied', 'school');
      return {
        refused: new NotFoundError(
          '学校不存在或当前不在您的督导范围内 / school not found or not in your remit now',
        ),
      };
    }
    await insertComplaintEvent(db, {
      complaintId,
      action: 'RECEIVED',
      fromStatus: null,
      toStatus: 'RECEIVED',
      viewer,
      note: null,
      at,
    });
    await audit(
      db,
      ctx,
      'complaints.record',
      at,
      `complaint:${complaintId}`,
      'ok',
      `school=${schoolCode} category=${record.category}`,
    );
    return { complaintId };
  });
  if ('refused' in outcome) throw outcome.refused;
  return readBack(ctx, outcome.complaintId);
}

const handlerOk = (userId: number, view: ComplaintView) => handlerMaySql(userId, view.currentMonth);

function handlerRefusal(): Error {
  return new BadUserInputError(
    `承办人须为${ROLE_LABEL.BUREAU_INSPECTOR}或该校当前的${ROLE_LABEL.SUPERVISING_INSPECTOR} / ` +
      "the handler must be a bureau inspector or the school's 督学 now",
  );
}

async function readBack(ctx: GraphQLContext, complaintId: number): Promise<ComplaintParent> {
  const found = await complaintById(ctx.db, complaintView(ctx), complaintId);
  if (!found) throw new Error('complaint not readable after its step');
  return found;
}

/** A step on an existing complaint, as the service plans it. */
interface StepPlan {
  action: ComplaintAction;
  auditAction: string;
  /** Checks only the viewer's role may fail (before any read). */
  mayTake(viewer: Viewer): boolean;
  /** Why the step does not apply to `row` (beyond status and remit), or null. */
  precondition?(row: ComplaintRow): Error | null;
  changes(row: ComplaintRow): ComplaintChanges;
  guard?: RawBuilder<boolean>;
  guardRefusal?: () => Error;
  note: string | null;
  /** Writes done with the step (the flag a complaint raises); returns changes to add. */
  effect?(db: Kysely<Database>, row: ComplaintRow): Promise<ComplaintChanges>;
}

/** Statuses move RECEIVED → INVESTIGATING on any handling step. */
const investigating = (row: ComplaintRow): ComplaintStatus =>
  row.status === 'RECEIVED' ? 'INVESTIGATING' : row.status;

async function takeStep(ctx: GraphQLContext, id: string, plan: StepPlan): Promise<ComplaintParent> {
  const at = ctx.now();
  const view = complaintView(ctx);
  const { viewer } = ctx;
  const complaintId = parseId(id);
  const target = complaintId === null ? null : `complaint:${complaintId}`;
  const outcome = await ctx.writer.write(async ({ db }) => {
    const fail = async (error: Error, outcome: AuditOutcome, reason: string) => {
      await audit(db, ctx, plan.auditAction, at, target, outcome, reason);
      return { refused: error };
    };
    const role = roleRefusal(viewer);
    if (role) return fail(role, 'denied', 'role');
    if (!plan.mayTake(viewer))
      return fail(new ForbiddenError(ONLY_BUREAU_ASSIGNS), 'denied', 'role');
    const row = complaintId === null ? null : await complaintRowById(db, view, complaintId);
    if (complaintId === null || row === null)
      return fail(new NotFoundError(COMPLAINT_NOT_FOUND), 'denied', 'not_found');
    if (!row.acts_on_school)
      return fail(
        new ForbiddenError(
          '该校当前不在您的督导范围内，不能办理此投诉 / this school is not in your remit now',
        ),
        'denied',
        'school',
      );
    if (row.status === 'CLOSED')
      return fail(
        new BadUserInputError('该投诉举报已办结 / the complaint is already closed'),
        'failed',
        'status:CLOSED',
      );
    const pre = plan.precondition?.(row) ?? null;
    if (pre) return fail(pre, 'failed', 'precondition');
    const changes = { ...plan.changes(row) };
    const moved = await updateOpenComplaint(db, view, complaintId, changes, at, plan.guard);
    if (!moved)
      return fail(plan.guardRefusal?.() ?? new Error('complaint step refused'), 'failed', 'guard');
    if (plan.effect) {
      const more = await plan.effect(db, row);
      await updateOpenComplaint(db, view, complaintId, more, at);
    }
    await insertComplaintEvent(db, {
      complaintId,
      action: plan.action,
      fromStatus: row.status,
      toStatus: changes.status ?? row.status,
      viewer,
      note: plan.note,
      at,
    });
    await audit(
      db,
      ctx,
      plan.auditAction,
      at,
      target,
      'ok',
      `${row.status}→${changes.status ?? row.status}`,
    );
    return { complaintId };
  });
  if ('refused' in outcome) throw outcome.refused;
  return readBack(ctx, outcome.complaintId);
}

export function assignComplaint(
  ctx: GraphQLContext,
  id: string,
  handlerUserId: string,
): Promise<ComplaintParent> {
  const handler = parseId(handlerUserId);
  if (handler === null) throw new BadUserInputError('handlerUserId 无效 / bad user id');
  return takeStep(ctx, id, {
    action: 'ASSIGNED',
    auditAction: 'complaints.assign',
    mayTake: (viewer) => viewer.role === 'BUREAU_INSPECTOR',
    changes: (row) => ({ handlerUserId: handler, status: investigating(row) }),
    guard: handlerOk(handler, complaintView(ctx)),
    guardRefusal: handlerRefusal,
    note: null,
  });
}

export function raiseComplaintFlag(
  ctx: GraphQLContext,
  id: string,
  detailText: string,
): Promise<ComplaintParent> {
  const detail = requiredText(detailText, 'detail');
  const { viewer } = ctx;
  return takeStep(ctx, id, {
    action: 'FLAG_RAISED',
    auditAction: 'complaints.raise_flag',
    mayTake: () => true,
    precondition: (row) => {
      if (row.flag_id !== null)
        return new BadUserInputError('该投诉已转为违规预警 / the complaint already raised a flag');
      if (!mayRaiseFlagFor(row.flag_code))
        return new BadUserInputError(
          `类别「${flagCode(row.flag_code)?.zh ?? row.flag_code}」只能由报表判定，不能由投诉核查提出违规预警 / ` +
            `category ${row.flag_code} cannot be evidenced by an inspection`,
        );
      return null;
    },
    changes: (row) => ({ status: investigating(row) }),
    note: detail,
    async effect(db, row) {
      const [flagId] = await insertInspectionFlags(db, [
        {
          schoolCode: row.school_code,
          month: row.month,
          code: row.flag_code,
          rule: `${row.flag_code}.complaint`,
          detail,
          policyVersion: policyFor(ctx.policy, row.month).version,
          threshold: flagCode(row.flag_code)?.prohibition ?? row.flag_code,
          visitId: null,
          raisedBy: viewer.username,
          at: ctx.now(),
        },
      ]);
      if (flagId === undefined) throw new Error('no flag id returned');
      await insertFlagEvent(db, {
        flagId,
        action: 'RAISED',
        fromStatus: null,
        toStatus: 'OPEN',
        userId: viewer.userId,
        username: viewer.username,
        userName: viewer.name,
        at: ctx.now(),
        note: `投诉举报 #${row.complaint_id}`,
        deadline: null,
        visitId: null,
      });
      return { flagId };
    },
  });
}

export function linkComplaintVisit(
  ctx: GraphQLContext,
  id: string,
  visitIdText: string,
): Promise<ComplaintParent> {
  const visitId = parseId(visitIdText);
  if (visitId === null) throw new BadUserInputError('visitId 无效 / visitId is not a visit id');
  return takeStep(ctx, id, {
    action: 'VISIT_LINKED',
    auditAction: 'complaints.link_visit',
    mayTake: () => true,
    changes: (row) => ({ visitId, status: investigating(row) }),
    guard: linkableVisitSql(visitId),
    guardRefusal: () =>
      new BadUserInputError(
        '所选督导检查须为本校在收件当天或之后的检查 / the visit must be to the same school on or after the day the complaint came in',
      ),
    note: `visit:${visitId}`,
  });
}

export function closeComplaint(
  ctx: GraphQLContext,
  id: string,
  findingText: string,
  substantiated: boolean,
): Promise<ComplaintParent> {
  const finding = requiredText(findingText, 'finding', MAX_LONG_TEXT);
  const at = ctx.now();
  return takeStep(ctx, id, {
    action: 'CLOSED',
    auditAction: 'complaints.close',
    mayTake: () => true,
    changes: () => ({ status: 'CLOSED', finding, substantiated, closedAt: at }),
    note: `${substantiated ? '属实' : '不属实'}：${finding}`,
  });
}
