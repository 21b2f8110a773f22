/** 数据疑点: the list (Query.dataDoubts) and an inspector's two review steps. */
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { DOUBT_STATUS_VOCABULARY } from '../../db/vocabulary/doubt-statuses.ts';
import { DOUBT_CATALOGUE, doubtMeasureLabel } from '../../policy/doubt-catalogue.ts';
import { dataDoubts, reviewDoubt } from './doubts.service.ts';

export const doubtsResolvers: Resolvers = {
  Query: {
    dataDoubts: (_parent, args, ctx) => dataDoubts(ctx, args),
    doubtStatuses: () => DOUBT_STATUS_VOCABULARY.map((s) => ({ ...s })),
    // The catalogue is public vocabulary (like flagCodes): labels, never a school's data.
    doubtRules: () =>
      [...DOUBT_CATALOGUE.values()].map((r) => ({
        rule: r.rule,
        label: r.zh,
        labelEn: r.en,
        description: r.description,
        measure: r.measure,
        measureLabel: doubtMeasureLabel(r.measure),
      })),
  },
  Mutation: {
    verifyDoubt: (_parent, args, ctx) =>
      reviewDoubt(ctx, 'VERIFY', { doubtId: args.doubtId, note: args.note }),
    requestDoubtCorrection: (_parent, args, ctx) =>
      reviewDoubt(ctx, 'REQUEST_CORRECTION', { doubtId: args.doubtId, note: args.note }),
  },
};
