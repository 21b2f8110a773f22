/**
 * LoadBatch.rejects for a page of batches in one statement. The field resolvers of a page
 * run in one synchronous pass, so batch IDs collected until the next tick become one
 * query, cut at the largest `first` asked for and sliced per field (aliases may differ).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { GraphQLContext } from '../context.ts';
import type { LoadReject } from '../__generated__/resolvers-types.ts';
import { loadRejects } from './loads.repository.ts';
import { toLoadReject } from './loads.service.ts';

interface RejectsBatch {
  ids: Set<number>;
  perBatch: number;
  rejects: Promise<Map<number, LoadReject[]>>;
}

class RejectsLoader {
  private open: RejectsBatch | null = null;

  constructor(private readonly db: Kysely<Database>) {}

  async load(batchId: number, first: number): Promise<LoadReject[]> {
    const batch = this.open ?? this.start();
    batch.ids.add(batchId);
    batch.perBatch = Math.max(batch.perBatch, first);
    const byBatch = await batch.rejects;
    return (byBatch.get(batchId) ?? []).slice(0, first);
  }

  private start(): RejectsBatch {
    // After the current promise jobs and then one tick, as DataLoader does.
    const due = Promise.resolve().then(() => new Promise<void>((r) => process.nextTick(r)));
    const batch: RejectsBatch = {
      ids: new Set(),
      perBatch: 0,
      rejects: due.then(async () => {
        this.open = null;
        const byBatch = new Map<number, LoadReject[]>();
        for (const row of await loadRejects(this.db, [...batch.ids], batch.perBatch)) {
          const list = byBatch.get(row.batch_id) ?? [];
          list.push(toLoadReject(row));
          byBatch.set(row.batch_id, list);
        }
        return byBatch;
      }),
    };
    this.open = batch;
    return batch;
  }
}

const loaders = new WeakMap<GraphQLContext, RejectsLoader>();

/** The first `first` rejects of a batch, batched with its siblings' per request. */
export function batchRejects(
  ctx: GraphQLContext,
  batchId: number,
  first: number,
): Promise<LoadReject[]> {
  let loader = loaders.get(ctx);
  if (!loader) {
    loader = new RejectsLoader(ctx.db);
    loaders.set(ctx, loader);
  }
  return loader.load(batchId, first);
}
