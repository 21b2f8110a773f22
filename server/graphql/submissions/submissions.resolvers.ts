import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { scopeRequest } from '../scope/scope-input.ts';
import { matrixInspectors, submissionCells, submissionTotals } from './submissions.repository.ts';
import {
  MAX_MATRIX_SCHOOLS,
  assertMayReadSubmissions,
  dueMonths,
  inspectorFilter,
  matrixMonths,
  toMatrix,
} from './submissions.service.ts';

export const submissionsResolvers: Resolvers = {
  Query: {
    async submissionMatrix(_parent, args, ctx) {
      assertMayReadSubmissions(ctx.viewer);
      const months = matrixMonths(args.from, args.to);
      const scope = scopeRequest(ctx, args.scope, months);
      const request = {
        scope,
        due: dueMonths(ctx.policy, months, ctx.now()),
        inspectorId: inspectorFilter(args.inspectorId),
      };
      const [cells, totals, inspectors] = await Promise.all([
        submissionCells(ctx.db, request, MAX_MATRIX_SCHOOLS),
        submissionTotals(ctx.db, request),
        matrixInspectors(ctx.db, scope),
      ]);
      return toMatrix(months, cells, totals, inspectors);
    },
  },
};
