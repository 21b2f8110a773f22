/** The rectification loop's mutations (整改): each one step of flag-lifecycle.service.ts. */
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { requestRectifications, takeStep } from './flag-lifecycle.service.ts';

export const flagLifecycleResolvers: Resolvers = {
  Mutation: {
    requestRectification: (_parent, args, ctx) =>
      takeStep(ctx, {
        step: 'REQUEST_RECTIFICATION',
        flagId: args.flagId,
        deadline: args.deadline,
        request: args.request,
      }),
    requestRectifications: (_parent, args, ctx) => requestRectifications(ctx, args),
    recordRectification: (_parent, args, ctx) =>
      takeStep(ctx, {
        step: 'RECORD_RECTIFICATION',
        flagId: args.flagId,
        report: args.report,
        note: args.note ?? null,
      }),
    closeFlag: (_parent, args, ctx) =>
      takeStep(ctx, {
        step: 'CLOSE',
        flagId: args.flagId,
        note: args.note,
        visitId: args.visitId ?? null,
      }),
    dismissFlag: (_parent, args, ctx) =>
      takeStep(ctx, { step: 'DISMISS', flagId: args.flagId, reason: args.reason }),
  },
};
