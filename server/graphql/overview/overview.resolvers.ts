import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { monthRange } from '../scope/months.ts';
import { periodArg } from '../scope/period-arg.ts';
import { scopeRequest } from '../scope/scope-input.ts';
import { overviewsByTownship } from './overview-by-township.service.ts';
import { overviewsWithChanges, periodOverview } from './overview.service.ts';
import { schoolTrends, trendCodes, trendMonths } from './school-trends.service.ts';

export const overviewResolvers: Resolvers = {
  Query: {
    async overview(_parent, args, ctx) {
      const period = periodArg(args);
      return periodOverview(
        ctx.db,
        scopeRequest(ctx, args.scope, period.months, args.satisfactionWindow),
        period,
      );
    },
    async trend(_parent, args, ctx) {
      const months = monthRange(args.from, args.to);
      return overviewsWithChanges(
        ctx.db,
        scopeRequest(ctx, args.scope, months, args.satisfactionWindow),
      );
    },
    async overviewByTownship(_parent, args, ctx) {
      const period = periodArg(args);
      const request = scopeRequest(ctx, args.scope, period.months, args.satisfactionWindow);
      return overviewsByTownship(ctx.db, request, period);
    },
    async schoolTrends(_parent, args, ctx) {
      const codes = trendCodes(args.codes);
      const months = trendMonths(args.from, args.to);
      const request = scopeRequest(ctx, null, months, args.satisfactionWindow);
      return schoolTrends(ctx.db, request, codes);
    },
  },
  Overview: {
    changes: (parent) => parent.loadChanges(),
  },
};
