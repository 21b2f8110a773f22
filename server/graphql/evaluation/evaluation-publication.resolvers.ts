/**
 * Publishing the evaluation (evaluation-publication.service.ts) and the list of a period's
 * published versions, which anyone signed in may read: it names no school.
 */
import { assertNotOneSchool } from '../scope/one-school.ts';
import type { GraphQLResolveInfo } from 'graphql';
import type {
  EvaluationPage,
  EvaluationVersion,
  Resolvers,
} from '../__generated__/resolvers-types.ts';
import type { GraphQLContext } from '../context.ts';
import { listPublications } from './evaluation-publication.repository.ts';
import { publishPeriod } from './evaluation-publication.service.ts';
import { evaluationResolvers } from './evaluation.resolvers.ts';
import { parsePeriodArg } from '../scope/period-arg.ts';

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

export const evaluationPublicationResolvers: Resolvers = {
  Query: {
    async evaluationVersions(_parent, args, ctx): Promise<EvaluationVersion[]> {
      // A publication counts the district's schools: refused to a one-school remit.
      assertNotOneSchool(ctx.viewer, 'evaluation');
      const period = parsePeriodArg(args.period);
      return listPublications(ctx.db, period.key);
    },
  },
  Mutation: {
    async publishEvaluation(_parent, args, ctx, info): Promise<EvaluationPage> {
      const published = await publishPeriod(ctx, args.period, args.note);
      return publishedPage(ctx, info, published.period, published.version);
    },
  },
};
