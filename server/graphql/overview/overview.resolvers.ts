import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { assertMonth, monthRange } from '../scope/months.ts';
import { scopeRequest } from '../scope/scope-input.ts';
import { overviewsWithChanges } from './overview.service.ts';

export const overviewResolvers: Resolvers = {
  Query: {
    async overview(_parent, args, ctx) {
      const month = assertMonth(args.month);
      const [overview] = await overviewsWithChanges(
        ctx.db,
        scopeRequest(ctx, args.scope, [month], args.satisfactionWindow),
      );
      return overview as NonNullable<typeof overview>;
    },
    async trend(_parent, args, ctx) {
      const months = monthRange(args.from, args.to);
      return overviewsWithChanges(
        ctx.db,
        scopeRequest(ctx, args.scope, months, args.satisfactionWindow),
      );
    },
  },
  Overview: {
    changes: (parent) => parent.loadChanges(),
  },
};
