import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { decodeCursor, nextCursor, pageSize } from '../metrics/cursor.ts';
import { auditPage, presentCategories } from './audit.repository.ts';
import { assertMayReadAudit, auditFilter, toAuditEvent } from './audit.service.ts';

/** Largest page of audit events. */
const MAX_EVENTS = 200;

export const auditResolvers: Resolvers = {
  Query: {
    async auditEvents(_parent, args, ctx) {
      assertMayReadAudit(ctx.viewer);
      const filter = auditFilter(args);
      const limit = pageSize(args.first, 50, MAX_EVENTS);
      const offset = decodeCursor(args.after);
      const page = await auditPage(ctx.db, filter, { limit, offset });
      return {
        total: page.total,
        items: page.rows.map(toAuditEvent),
        endCursor: nextCursor(offset, page.rows.length, page.total),
      };
    },
    async auditCategories(_parent, _args, ctx) {
      assertMayReadAudit(ctx.viewer);
      return presentCategories(ctx.db);
    },
  },
};
