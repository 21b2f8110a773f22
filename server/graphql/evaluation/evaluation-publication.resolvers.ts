/**
 * Publishing the evaluation (考核结果发布): a bureau inspector snapshots a period's live
 * evaluation as its next version, and anyone signed in may list a period's versions (they
 * name no school). The snapshot is measured and stored in one writer task, so no upload
 * lands between the figures read and the figures stored; every attempt is audited, and
 * the log line carries counts only, never a pupil's or a school's figures.
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { Kysely } from 'kysely';
import { currentMonth } from '../../db/calendar.ts';
import type { Database } from '../../db/database.ts';
import { ROLE_LABEL } from '../../db/roles.ts';
import type {
  EvaluationPage,
  EvaluationVersion,
  Resolvers,
} from '../__generated__/resolvers-types.ts';
import type { GraphQLContext } from '../context.ts';
import { BadUserInputError, ForbiddenError } from '../errors.ts';
import { optionalText } from '../inspections/user-input.ts';
import { insertAudit } from '../users/users.repository.ts';
import { listPublications, publishEvaluation } from './evaluation-publication.repository.ts';
import { evaluationResolvers } from './evaluation.resolvers.ts';
import { liveDistrictEvaluation, periodArgument } from './evaluation.service.ts';

export const PUBLISH_AUDIT_ACTION = 'evaluation.publish';

/** The one refusal for every role but the bureau's, whatever the period asked for. */
export const PUBLISH_FORBIDDEN = `只有${ROLE_LABEL.BUREAU_INSPECTOR}可以发布考核结果 / only bureau inspectors may publish an evaluation`;

/**
 * The published version as evaluations() answers it (its first page, the district): the
 * page is built by the query's own resolver, so a publish answers exactly what a later
 * `evaluations(period, version)` reads.
 */
async function publishedPage(
  ctx: GraphQLContext,
  info: GraphQLResolveInfo,
  period: string,
  version: number,
): Promise<EvaluationPage> {
  const resolve = evaluationResolvers.Query?.evaluations;
  if (typeof resolve !== 'function') throw new Error('the evaluations resolver is missing');
  return (await resolve({}, { period, version, first: 50 }, ctx, info)) as EvaluationPage;
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

export const evaluationPublicationResolvers: Resolvers = {
  Query: {
    async evaluationVersions(_parent, args, ctx): Promise<EvaluationVersion[]> {
      const period = periodArgument(args.period);
      return listPublications(ctx.db, period.key);
    },
  },
  Mutation: {
    async publishEvaluation(_parent, args, ctx, info): Promise<EvaluationPage> {
      const at = ctx.now();
      const { viewer } = ctx;
      if (viewer.role !== 'BUREAU_INSPECTOR') {
        // Refused before the arguments are read: the answer does not depend on them.
        await ctx.writer.write(({ db }) =>
          audit(db, ctx, at, 'evaluation', 'denied', { role: viewer.role }),
        );
        ctx.log.warn(
          {
            event: PUBLISH_AUDIT_ACTION,
            outcome: 'denied',
            user: viewer.username,
            role: viewer.role,
          },
          'evaluation publish refused',
        );
        throw new ForbiddenError(PUBLISH_FORBIDDEN);
      }
      const period = periodArgument(args.period);
      const note = optionalText(args.note, 'note');
      // A publication is the period's result: its figures must be final, so not before its
      // last month is over (reports of a month still open may yet arrive).
      const thisMonth = currentMonth(at);
      const lastMonth = period.months.at(-1) as string;
      if (lastMonth >= thisMonth)
        throw new BadUserInputError(
          `${period.label}尚未结束（截至 ${lastMonth}），不能发布考核结果 / ${period.key} is not over yet (it ends with ${lastMonth}): it cannot be published`,
        );
      const published = await ctx.writer.write(async (write) => {
        const evaluation = await liveDistrictEvaluation(write.db, ctx.policy, period);
        if (evaluation.schools.length === 0)
          throw new BadUserInputError(
            `${period.label}没有可考核的学校，不能发布 / no school can be evaluated for ${period.key}: nothing to publish`,
          );
        const publication = await publishEvaluation(write, viewer, evaluation, note, at);
        const detail = {
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
      return publishedPage(ctx, info, period.key, published.version);
    },
  },
};
