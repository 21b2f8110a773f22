/** 报表审核: the queue of school-months (Query.unitReviews) and the four review steps. */
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { takeStep, unitReviewCounts, unitReviews } from './reviews.service.ts';

export const reviewsResolvers: Resolvers = {
  Query: {
    unitReviews: (_parent, args, ctx) => unitReviews(ctx, args),
    unitReviewCounts: (_parent, args, ctx) => unitReviewCounts(ctx, args),
  },
  Mutation: {
    submitUnits: (_parent, args, ctx) =>
      takeStep(ctx, 'SUBMIT', {
        units: args.months.map((month) => ({ schoolCode: args.schoolCode, month })),
      }),
    approveUnits: (_parent, args, ctx) => takeStep(ctx, 'APPROVE', { units: args.units }),
    returnUnits: (_parent, args, ctx) =>
      takeStep(ctx, 'RETURN', { units: args.units, reasons: args.reasons }),
    unlockUnit: async (_parent, args, ctx) => {
      const [unit] = await takeStep(ctx, 'UNLOCK', { units: [args.unit], reasons: [args.reason] });
      if (!unit) throw new Error('unit not readable after its unlock');
      return unit;
    },
  },
};
