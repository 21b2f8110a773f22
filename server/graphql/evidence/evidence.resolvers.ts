/**
 * Evidence files in GraphQL: the `evidenceFiles` of visits, flags and complaints, and
 * deleteEvidenceFile. The files of every parent in a list are read in one query: the
 * field resolvers of a list's items run in the same tick, so the owner ids are gathered
 * and read together on the next microtask (a small per-request batch, per owner kind).
 */
import type { EvidenceOwnerKind } from '../../db/tables/evidence-files.table.ts';
import type { EvidenceFile, Resolvers } from '../__generated__/resolvers-types.ts';
import type { GraphQLContext } from '../context.ts';
import { ForbiddenError, NotFoundError } from '../errors.ts';
import { roleMayAct } from '../flags/flag-permissions.ts';
import { parseId } from '../inspections/user-input.ts';
import { markEvidenceDeleted, visibleOwnerFiles } from './evidence.repository.ts';
import { evidenceView, toEvidenceFile } from './evidence.service.ts';

interface Batch {
  ids: Set<number>;
  result: Promise<Map<number, EvidenceFile[]>>;
}

const batches = new WeakMap<GraphQLContext, Map<EvidenceOwnerKind, Batch>>();

function ownerFiles(
  ctx: GraphQLContext,
  kind: EvidenceOwnerKind,
  ownerId: string | number,
): Promise<EvidenceFile[]> {
  const id = parseId(String(ownerId));
  if (id === null) return Promise.resolve([]);
  let byKind = batches.get(ctx);
  if (!byKind) batches.set(ctx, (byKind = new Map()));
  let batch = byKind.get(kind);
  if (!batch) {
    const ids = new Set<number>();
    const current = byKind;
    const result = Promise.resolve().then(async () => {
      current.delete(kind); // later ticks start a new batch
      const view = evidenceView(ctx.viewer, ctx.now());
      const rows = await visibleOwnerFiles(ctx.db, view, kind, [...ids]);
      return new Map([...rows].map(([owner, files]) => [owner, files.map(toEvidenceFile)]));
    });
    batch = { ids, result };
    byKind.set(kind, batch);
  }
  batch.ids.add(id);
  return batch.result.then((files) => files.get(id) ?? []);
}

export const evidenceResolvers: Resolvers = {
  Visit: { evidenceFiles: (visit, _args, ctx) => ownerFiles(ctx, 'VISIT', visit.id) },
  Flag: { evidenceFiles: (flag, _args, ctx) => ownerFiles(ctx, 'FLAG', flag.id) },
  Complaint: {
    evidenceFiles: (complaint, _args, ctx) => ownerFiles(ctx, 'COMPLAINT', complaint.id),
  },
  Mutation: {
    async deleteEvidenceFile(_parent, args, ctx) {
      // Leadership and a 督学 account without 督学编号 never change anything, whatever exists;
      // a school's reporter removes only files it uploaded itself (markEvidenceDeleted).
      const schoolAnswers = ctx.viewer.role === 'SCHOOL_REPORTER' && ctx.viewer.schoolCode !== null;
      if (!roleMayAct(ctx.viewer) && !schoolAnswers)
        throw new ForbiddenError('您的账号不能删除证据材料 / your role may not delete evidence');
      const fileId = parseId(args.id);
      const at = ctx.now();
      const view = evidenceView(ctx.viewer, at);
      const deleted =
        fileId === null
          ? null
          : await ctx.writer.write(async ({ db }) => {
              const row = await markEvidenceDeleted(db, view, fileId, at);
              if (row)
                await db
                  .insertInto('audit_log')
                  .values({
                    user_id: ctx.viewer.userId,
                    username: ctx.viewer.username,
                    action: 'evidence.delete',
                    target: `evidence:${fileId} ${row.file_name}`.slice(0, 400),
                    outcome: 'ok',
                    detail: JSON.stringify({
                      owner: `${row.owner_kind.toLowerCase()}:${Number(row.owner_id)}`,
                      sha256: row.sha256,
                    }),
                    ip: null,
                  })
                  .execute();
              return row;
            });
      if (!deleted)
        throw new NotFoundError(
          '没有这个文件，或您无权删除 / no such file, or not yours to delete',
        );
      return toEvidenceFile(deleted);
    },
  },
};
