/**
 * Recording a supervision visit: validate the form, then in one writer transaction insert
 * the visit (guarded in SQL by the viewer's right to act on the school on the visit date
 * and now), its full checklist, the inspection flags its findings raise with their RAISED
 * history rows, and an audit row. A refused visit writes only the audit row.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { ChecklistItem } from '../../db/tables/visits.table.ts';
import { flagCode, inspectionCodes } from '../../policy/flag-catalogue.ts';
import { policyFor } from '../../policy/policy.ts';
import type { VisitInput } from '../__generated__/resolvers-types.ts';
import type { GraphQLContext } from '../context.ts';
import { BadUserInputError, ForbiddenError, NotFoundError } from '../errors.ts';
import { insertFlagEvent } from '../flags/flag-lifecycle.repository.ts';
import { roleMayAct } from '../flags/flag-permissions.ts';
import { flagView } from '../flags/flag-row.ts';
import { linkDrawnVisit } from '../draws/draws.repository.ts';
import { scopeRequest } from '../scope/scope-input.ts';
import { visibleSchoolCodes } from '../scope/visible-schools.ts';
import { insertAudit } from '../users/users.repository.ts';
import {
  insertInspectionFlags,
  insertVisit,
  insertVisitChecks,
  type CheckEntry,
  type NewVisit,
} from './record-visit.repository.ts';
import { CHECKLIST_ORDER } from './inspections.service.ts';
import { assertDate, MAX_LONG_TEXT, optionalText, requiredText } from './user-input.ts';
import { ROLE_LABEL } from '../../db/roles.ts';

/** Earliest visit date accepted. */
export const FIRST_VISIT_DATE = '2000-01-01';
/** Most flags one visit may raise. */
export const MAX_VISIT_FLAGS = 20;

export interface VisitPlan {
  visit: NewVisit;
  checks: CheckEntry[];
  flags: { code: string; detail: string }[];
}

/** Every checklist item once, in ChecklistItem order; items left out are NOT_CHECKED. */
function checklist(entries: VisitInput['checklist']): CheckEntry[] {
  const given = new Map<ChecklistItem, CheckEntry>();
  for (const e of entries) {
    if (given.has(e.item))
      throw new BadUserInputError(
        `检查项 ${e.item} 重复 / checklist item ${e.item} appears more than once`,
      );
    given.set(e.item, { item: e.item, result: e.result, note: optionalText(e.note, 'note') });
  }
  return CHECKLIST_ORDER.map(
    (item) => given.get(item) ?? { item, result: 'NOT_CHECKED' as const, note: null },
  );
}

function findingFlags(input: VisitInput['flags']): VisitPlan['flags'] {
  const flags = input ?? [];
  if (flags.length > MAX_VISIT_FLAGS)
    throw new BadUserInputError(
      `一次督导检查最多提出 ${MAX_VISIT_FLAGS} 条违规预警 / a visit may raise at most ${MAX_VISIT_FLAGS} flags`,
    );
  const allowed = new Set(inspectionCodes());
  const seen = new Set<string>();
  return flags.map((f) => {
    if (!allowed.has(f.code))
      throw new BadUserInputError(
        `违规预警类型 ${f.code} 不能由督导检查提出 / code ${f.code} cannot be raised by a visit (allowed: ${[...allowed].join(', ')})`,
      );
    if (seen.has(f.code))
      throw new BadUserInputError(
        `违规预警类型 ${f.code} 重复 / code ${f.code} appears more than once`,
      );
    seen.add(f.code);
    return { code: f.code, detail: requiredText(f.detail, 'detail') };
  });
}

/** Validates the form against today's date (Asia/Shanghai); throws BAD_USER_INPUT. */
export function planVisit(input: VisitInput, today: string, at: Date): VisitPlan {
  const date = assertDate(input.date, 'date');
  if (date > today)
    throw new BadUserInputError(
      `访视日期不能晚于今天（${today}） / date must not be in the future`,
    );
  if (date < FIRST_VISIT_DATE)
    throw new BadUserInputError(
      `访视日期不能早于 ${FIRST_VISIT_DATE} / date must not be before ${FIRST_VISIT_DATE}`,
    );
  const schoolCode = input.schoolCode.trim();
  if (!/^\d{10}$/u.test(schoolCode))
    throw new BadUserInputError('学校标识码应为10位数字 / school code must be 10 digits');
  return {
    visit: {
      schoolCode,
      date,
      kind: input.kind,
      findings: requiredText(input.findings, 'findings', MAX_LONG_TEXT),
      evidence: optionalText(input.evidence, 'evidence', MAX_LONG_TEXT),
      at,
    },
    checks: checklist(input.checklist),
    flags: findingFlags(input.flags),
  };
}

/** Why the guarded INSERT wrote nothing, told only from what the viewer may see. */
async function refusal(
  db: Kysely<Database>,
  ctx: GraphQLContext,
  visit: NewVisit,
  now: string,
): Promise<{ error: Error; reason: 'role' | 'not_found' | 'school' }> {
  if (!roleMayAct(ctx.viewer)) {
    const message =
      ctx.viewer.role === 'LEADERSHIP'
        ? `${ROLE_LABEL.LEADERSHIP}只能查看督导检查，不能记录 / leadership may read visits but not record them`
        : '您的账号未关联督学编号，不能记录督导检查 / your account has no inspector ID: you cannot record visits';
    return { error: new ForbiddenError(message), reason: 'role' };
  }
  const months = [...new Set([visit.date.slice(0, 7), now])];
  const visible = await visibleSchoolCodes(
    db,
    scopeRequest(ctx, { schoolCodes: [visit.schoolCode] }, months),
  );
  if (visible.length === 0)
    return { error: new NotFoundError('学校不存在 / school not found'), reason: 'not_found' };
  const message =
    '该校在访视日期或当前不在您的督导范围内 / the school is not in your remit on the visit date or now';
  return { error: new ForbiddenError(message), reason: 'school' };
}

function audit(
  db: Kysely<Database>,
  ctx: GraphQLContext,
  at: Date,
  target: string,
  ok: boolean,
  detail: string,
) {
  return insertAudit(db, {
    at,
    userId: ctx.viewer.userId,
    username: ctx.viewer.username,
    action: 'visits.record',
    target,
    outcome: ok ? 'ok' : 'denied',
    detail,
    ip: null,
  });
}

/** Records the visit; returns its id. */
export async function recordVisit(ctx: GraphQLContext, input: VisitInput): Promise<number> {
  const at = ctx.now();
  const { viewer, today, currentMonth } = flagView(ctx);
  const plan = planVisit(input, today, at);
  const { visit } = plan;
  const month = visit.date.slice(0, 7);
  const outcome = await ctx.writer.write(async ({ db }) => {
    const visitId = await insertVisit(db, viewer, visit, currentMonth);
    if (visitId === null) {
      const why = await refusal(db, ctx, visit, currentMonth);
      await audit(db, ctx, at, `school:${visit.schoolCode}`, false, why.reason);
      return { refused: why.error };
    }
    await insertVisitChecks(db, visitId, plan.checks);
    // An unannounced visit on or after a drawn school's date carries out that draw.
    if (visit.kind === 'UNANNOUNCED')
      await linkDrawnVisit(db, visitId, visit.schoolCode, visit.date);
    const version = policyFor(ctx.policy, month).version;
    const flagIds = await insertInspectionFlags(
      db,
      plan.flags.map((f) => ({
        schoolCode: visit.schoolCode,
        month,
        code: f.code,
        detail: f.detail,
        policyVersion: version,
        threshold: flagCode(f.code)?.prohibition ?? f.code,
        visitId,
        raisedBy: viewer.username,
        at,
      })),
    );
    for (const flagId of flagIds)
      await insertFlagEvent(db, {
        flagId,
        action: 'RAISED',
        fromStatus: null,
        toStatus: 'OPEN',
        userId: viewer.userId,
        username: viewer.username,
        userName: viewer.name,
        at,
        note: null,
        deadline: null,
        visitId,
      });
    const codes = plan.flags.map((f) => f.code).join(',');
    await audit(db, ctx, at, `visit:${visitId}`, true, `school=${visit.schoolCode} flags=${codes}`);
    return { visitId };
  });
  if ('refused' in outcome) throw outcome.refused;
  return outcome.visitId;
}
