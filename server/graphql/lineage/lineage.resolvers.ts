/** `lineage`: where a school-month figure came from (schema/lineage.graphql). */
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { BadUserInputError } from '../errors.ts';
import { assertMonth } from '../scope/months.ts';
import { scopeRequest } from '../scope/scope-input.ts';
import { currentRows, inRemit, replacedRows } from './lineage.repository.ts';
import { toHistory, toSourceRow, visibleColumns } from './lineage.service.ts';

const SCHOOL_CODE = /^[0-9A-Za-z_-]{1,32}$/u;

export const lineageResolvers: Resolvers = {
  Query: {
    async lineage(_parent, args, ctx) {
      const month = assertMonth(args.month);
      if (!SCHOOL_CODE.test(args.schoolCode))
        throw new BadUserInputError('学校标识码格式不对 / malformed school code');
      const table = args.table ?? 'MONTHLY_REPORTS';
      // Outside the remit and unknown answer alike: null.
      const request = scopeRequest(ctx, { schoolCodes: [args.schoolCode] }, [month]);
      if (!(await inRemit(ctx.db, request))) return null;
      const [current, versions] = await Promise.all([
        currentRows(ctx.db, table, args.schoolCode, month),
        replacedRows(ctx.db, table, args.schoolCode, month),
      ]);
      if (current.length === 0 && versions.length === 0) return null;
      const columns = visibleColumns(ctx, table);
      const parsed = current.map((r) => toSourceRow(table, columns, r));
      return {
        schoolCode: args.schoolCode,
        month,
        table,
        current: parsed.map((p) => p.source),
        history: toHistory(table, columns, parsed, versions),
      };
    },
  },
};
