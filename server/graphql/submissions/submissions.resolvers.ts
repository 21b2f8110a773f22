import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { scopeRequest } from '../scope/scope-input.ts';
import { submissionCells, submissionTotals } from './submissions.repository.ts';
import {
  MAX_MATRIX_SCHOOLS,
  assertMayReadSubmissions,
  dueMonths,
  matrixMonths,
  toMatrix,
} from './submissions.service.ts';

export const submissionsResolvers: Resolvers = {
  Query: {
    async submissionMatrix(_parent, args, ctx) {
      assertMayReadSubmissions(ctx.viewer);
      const months = matrixMonths(args.from, args.to);
      const request = scopeRequest(ctx, args.scope, months);
      const due = dueMonths(ctx.policy, months, ctx.now());
      const [cells, totals] = await Promise.all([
        submissionCells(ctx.db, request, due, MAX_MATRIX_SCHOOLS),
        submissionTotals(ctx.db, request, due),
      ]);
      return toMatrix(months, cells, totals);
    },
  },
};
