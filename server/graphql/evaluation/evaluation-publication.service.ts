/**
 * Publishing the evaluation (考核结果发布): a bureau inspector snapshots a period's live
 * evaluation as its next version. The evaluation is measured and stored in one writer
 * task, so no upload lands between the figures read and the figures stored. Every attempt
 * is audited, and the log line carries counts only, never a pupil's or a school's figures.
 * The mutation (evaluation-publication.resolvers.ts) and the demo (etl/demo) both publish
 * through here.
 */
import type { Kysely } from 'kysely';
import { currentMonth, type Period } from '../../db/calendar.ts';
import type { Database } from '../../db/database.ts';
import { ROLE_LABEL } from '../../db/roles.ts';
import type { GraphQLContext } from '../context.ts';
import { BadUserInputError, ForbiddenError } from '../errors.ts';
import { optionalText } from '../inspections/user-input.ts';
import { insertAudit } from '../users/users.repository.ts';
import { publishEvaluation } from './evaluation-publication.repository.ts';
import { parsePeriodArg } from '../scope/period-arg.ts';
import { liveDistrictEvaluation } from './evaluation.service.ts';

export const PUBLISH_AUDIT_ACTION = 'evaluation.publish';

/** The one refusal for every role but the bureau's, whatever the period asked for. */
export const PUBLISH_FORBIDDEN = `只有${ROLE_LABEL.BUREAU_INSPECTOR}可以发布考核结果 / only bureau inspectors may publish an evaluation`;

/** What a publish stored: also the audit row's detail and the log line's fields. */
export interface Published {
  period: string;
  version: number;
  schemeVersion: string;
  schools: number;
}

function audit(
  db: Kysely<Database>,
  ctx: GraphQLContext,
  at: Date,
  target: string,
  outcome: 'ok' | 'denied',
  detail: object,
): Promise<void> {
  return insertAudit(db, {
    at,
    userId: ctx.viewer.userId,
    username: ctx.viewer.username,
    action: PUBLISH_AUDIT_ACTION,
    target,
    outcome,
    detail: JSON.stringify(detail),
    ip: null,
  });
}

/** A period ends with its last month: not publishable before that month is over. */
function assertOver(period: Period, at: Date): void {
  const lastMonth = period.months.at(-1) as string;
  if (lastMonth >= currentMonth(at))
    throw new BadUserInputError(
      `${period.label}尚未结束（截至 ${lastMonth}），不能发布考核结果 / ${period.key} is not over yet (it ends with ${lastMonth}): it cannot be published`,
    );
}

/**
 * Publishes the period's live evaluation as its next version, as `ctx.viewer` at
 * `ctx.now()`. FORBIDDEN for every role but the bureau's (audited as denied, before the
 * arguments are read, so the answer does not depend on them); BAD_USER_INPUT for a period
 * that is not one, not over yet, or has no school to evaluate.
 */
export async function publishPeriod(
  ctx: GraphQLContext,
  periodText: string,
  noteText?: string | null,
): Promise<Published> {
  const at = ctx.now();
  const { viewer } = ctx;
  if (viewer.role !== 'BUREAU_INSPECTOR') {
    await ctx.writer.write(({ db }) =>
      audit(db, ctx, at, 'evaluation', 'denied', { role: viewer.role }),
    );
    ctx.log.warn(
      { event: PUBLISH_AUDIT_ACTION, outcome: 'denied', user: viewer.username, role: viewer.role },
      'evaluation publish refused',
    );
    throw new ForbiddenError(PUBLISH_FORBIDDEN);
  }
  const period = parsePeriodArg(periodText);
  const note = optionalText(noteText, 'note');
  // A publication is the period's result: its figures must be final, and reports of a
  // month still open may yet arrive.
  assertOver(period, at);
  const published = await ctx.writer.write(async (write) => {
    const evaluation = await liveDistrictEvaluation(write.db, ctx.policy, period);
    if (evaluation.schools.length === 0)
      throw new BadUserInputError(
        `${period.label}没有可考核的学校，不能发布 / no school can be evaluated for ${period.key}: nothing to publish`,
      );
    const publication = await publishEvaluation(write, viewer, evaluation, note, at);
    const detail: Published = {
      period: period.key,
      version: publication.version,
      schemeVersion: evaluation.scheme.version,
      schools: evaluation.schools.length,
    };
    await audit(
      write.db,
      ctx,
      at,
      `evaluation:${period.key}:v${publication.version}`,
      'ok',
      detail,
    );
    return detail;
  });
  ctx.log.info(
    { event: PUBLISH_AUDIT_ACTION, outcome: 'ok', user: viewer.username, ...published },
    'evaluation published',
  );
  return published;
}
