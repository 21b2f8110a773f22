import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { decodeCursor, nextCursor, pageSize } from '../metrics/cursor.ts';
import { loadBatchById, loadBatchPage } from './loads.repository.ts';
import { assertMayReadLoads, parseBatchId, toLoadBatch } from './loads.service.ts';
import { batchRejects } from './rejects-loader.ts';

/** Largest page of batches, and of one batch's rejects. */
const MAX_BATCHES = 200;
const MAX_REJECTS = 1000;

export const loadsResolvers: Resolvers = {
  Query: {
    async loadBatches(_parent, args, ctx) {
      const owner = assertMayReadLoads(ctx.viewer);
      const limit = pageSize(args.first, 50, MAX_BATCHES);
      const offset = decodeCursor(args.after);
      const page = await loadBatchPage(ctx.db, { limit, offset }, owner);
      return {
        total: page.total,
        items: page.rows.map(toLoadBatch),
        endCursor: nextCursor(offset, page.rows.length, page.total),
      };
    },
    async loadBatch(_parent, args, ctx) {
      const owner = assertMayReadLoads(ctx.viewer);
      // Malformed, missing and another user's IDs look the same: null, no error.
      const id = parseBatchId(args.id);
      const row = id === null ? null : await loadBatchById(ctx.db, id, owner);
      return row ? toLoadBatch(row) : null;
    },
  },
  LoadBatch: {
    rejects: (parent, args, ctx) =>
      batchRejects(ctx, Number(parent.id), pageSize(args.first, 200, MAX_REJECTS)),
  },
};
