/** 数据疑点: the list (Query.dataDoubts) and an inspector's two review steps. */
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { dataDoubts, reviewDoubt } from './doubts.service.ts';

export const doubtsResolvers: Resolvers = {
  Query: {
    dataDoubts: (_parent, args, ctx) => dataDoubts(ctx, args),
  },
  Mutation: {
    verifyDoubt: (_parent, args, ctx) =>
      reviewDoubt(ctx, 'VERIFY', { doubtId: args.doubtId, note: args.note }),
    requestDoubtCorrection: (_parent, args, ctx) =>
      reviewDoubt(ctx, 'REQUEST_CORRECTION', { doubtId: args.doubtId, note: args.note }),
  },
};
