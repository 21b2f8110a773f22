import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { decodeCursor, nextCursor, pageSize } from '../metrics/cursor.ts';
import { FLAG_STATUS_VOCABULARY, flagStatusLabel } from '../../db/flag-statuses.ts';
import { closingVisit, closingVisits, closingVisitsHint } from './closing-visits.ts';
import { flagDetail, flagObserved } from './flag-disclosure.ts';
import { flagGroups } from './flag-groups.ts';
import { actsOnFlag, allowedSteps } from './flag-permissions.ts';
import { flagById, flagView, toFlagParent } from './flag-row.ts';
import { historyFor, raisedByFor } from './school-disclosure.ts';
import { flagCounts, flagPage } from './flags.repository.ts';
import {
  flagCodeInfos,
  flagHistory,
  parseFlagId,
  policyVersionInfos,
  toCountFilter,
  toFlagFilter,
} from './flags.service.ts';

/** Largest page Query.flags serves. */
const MAX_PAGE = 500;

export const flagsResolvers: Resolvers = {
  Query: {
    async flags(_parent, args, ctx) {
      const { sort, ...filters } = args;
      const filter = toFlagFilter(filters);
      const limit = pageSize(args.first, 50, MAX_PAGE);
      const offset = decodeCursor(args.after);
      const page = await flagPage(ctx.db, flagView(ctx), filter, {
        limit,
        offset,
        sort: sort ?? 'NEWEST',
      });
      return {
        total: page.total,
        items: page.rows.map(toFlagParent),
        endCursor: nextCursor(offset, page.rows.length, page.total),
      };
    },
    async flag(_parent, args, ctx) {
      // Malformed, missing and out-of-remit IDs look the same: null, no error.
      const id = parseFlagId(args.id);
      return id === null ? null : flagById(ctx.db, flagView(ctx), id);
    },
    flagGroups: (_parent, args, ctx) => flagGroups(ctx, args),
    flagCounts: async (_parent, args, ctx) =>
      (await flagCounts(ctx.db, flagView(ctx), toCountFilter(args))).map((row) => ({
        ...row,
        statusLabel: flagStatusLabel(row.status),
      })),
    flagStatuses: () => FLAG_STATUS_VOCABULARY.map((s) => ({ ...s })),
    flagCodes: () => flagCodeInfos(),
    policyVersions: (_parent, _args, ctx) => policyVersionInfos(ctx.policy),
  },
  Flag: {
    // Small-cell protection: a priority-gap flag's figures, withheld where they are small.
    detail: (parent, _args, ctx) => flagDetail(ctx, parent),
    observed: (parent, _args, ctx) => flagObserved(ctx, parent),
    // A complaint's flag does not tell the school who raised it from which complaint.
    raisedBy: (parent, _args, ctx) => raisedByFor(ctx.viewer, parent),
    history: async (parent, _args, ctx) =>
      historyFor(ctx.viewer, parent, await flagHistory(ctx, String(parent.id))),
    allowedSteps: (parent, _args, ctx) =>
      allowedSteps(ctx.viewer, parent.status, actsOnFlag(ctx.viewer, parent)),
    closingVisits: (parent, _args, ctx) => closingVisits(ctx, parent),
    closingVisitsHint: (parent, _args, ctx) => closingVisitsHint(ctx, parent),
    closingVisit: (parent, _args, ctx) => closingVisit(ctx, parent),
  },
};
