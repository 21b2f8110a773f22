/** 走访计划: Query.visitPlan, Query.riskBands and the bureau's Query.unvisitedSchools. */
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { riskBands, unvisitedSchools, visitPlan } from './plan.service.ts';

export const planResolvers: Resolvers = {
  Query: {
    visitPlan: (_parent, args, ctx) => visitPlan(ctx, args),
    riskBands: (_parent, args, ctx) => riskBands(ctx, args),
    unvisitedSchools: (_parent, args, ctx) => unvisitedSchools(ctx, args),
  },
};
