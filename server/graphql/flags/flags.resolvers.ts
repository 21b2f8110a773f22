import type { Flag, Resolvers } from '../__generated__/resolvers-types.ts';
import { decodeCursor, pageOf, pageSize } from '../metrics/cursor.ts';
import { assertMonth, currentMonth } from '../scope/months.ts';
import { scopeRequest } from '../scope/scope-input.ts';
import { flagMonths, flagPage, type FlagRow } from './flags.repository.ts';

export function toFlag(row: FlagRow): Flag {
  return {
    id: String(row.flag_id),
    schoolCode: row.school_code,
    schoolName: row.school_name,
    month: row.month,
    code: row.code,
    status: row.status,
    detail: row.detail,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

export const flagsResolvers: Resolvers = {
  Query: {
    async flags(_parent, args, ctx) {
      const limit = pageSize(args.first, 50, 500);
      const offset = decodeCursor(args.after);
      const month = args.month ? assertMonth(args.month) : null;
      const now = currentMonth();
      const months = month ? [month] : [...new Set([...(await flagMonths(ctx.db)), now])];
      const rows = await flagPage(ctx.db, scopeRequest(ctx, args.scope, months), {
        month,
        schoolCode: args.schoolCode ?? null,
        status: args.status ?? null,
        currentMonth: now,
        limit,
        offset,
      });
      return pageOf(rows, offset, toFlag);
    },
  },
};
