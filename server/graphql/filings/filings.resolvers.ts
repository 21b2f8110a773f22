/** 学期备案: the semester grid, a school's filings, the five filing kinds and the review. */
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { toScopeFilter } from '../scope/scope-input.ts';
import { fileFiling, reviewFiling, schoolFilings, semesterFilings } from './filings.service.ts';

export const filingsResolvers: Resolvers = {
  Query: {
    semesterFilings: (_parent, args, ctx) =>
      semesterFilings(ctx, args.semester, toScopeFilter(args.scope)),
    schoolFilings: (_parent, args, ctx) => schoolFilings(ctx, args.schoolCode, args.semester),
  },
  Mutation: {
    filePlan: (_parent, args, ctx) => fileFiling(ctx, 'PLAN', args),
    fileDemandSurvey: (_parent, args, ctx) => fileFiling(ctx, 'SURVEY', args),
    fileServiceAgreement: (_parent, args, ctx) => fileFiling(ctx, 'AGREEMENT', args),
    fileFeePublicity: (_parent, args, ctx) => fileFiling(ctx, 'FEES', args),
    filePay: (_parent, args, ctx) => fileFiling(ctx, 'PAY', args),
    reviewFiling: (_parent, args, ctx) =>
      reviewFiling(ctx, { id: args.id, decision: args.decision, note: args.note }),
  },
};
