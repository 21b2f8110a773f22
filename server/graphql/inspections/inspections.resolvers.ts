/** Supervision visits (督导检查): list, one, record; a visit's flags load per page. */
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import type { GraphQLContext } from '../context.ts';
import { BadUserInputError } from '../errors.ts';
import { decodeCursor, pageSize } from '../metrics/cursor.ts';
import type { VisitFilter } from './inspections.repository.ts';
import { findVisits, flagsOfVisit } from './inspections.service.ts';
import type { VisitParent } from './inspections.types.ts';
import { recordVisit } from './record-visit.service.ts';
import { assertDate, parseId } from './user-input.ts';

const NO_FILTER: VisitFilter = {
  visitId: null,
  schoolCode: null,
  inspectorId: null,
  kind: null,
  from: null,
  to: null,
};

/** One visit the viewer may see, or null (missing and out-of-remit look the same). */
export async function visitById(ctx: GraphQLContext, id: string): Promise<VisitParent | null> {
  const visitId = parseId(id);
  if (visitId === null) return null;
  const page = await findVisits(ctx, { ...NO_FILTER, visitId }, null, { limit: 1, offset: 0 });
  return page.items[0] ?? null;
}

export const inspectionsResolvers: Resolvers = {
  Query: {
    visits(_parent, args, ctx) {
      const limit = pageSize(args.first, 50, 200);
      const offset = decodeCursor(args.after);
      const from = args.from ? assertDate(args.from, 'from') : null;
      const to = args.to ? assertDate(args.to, 'to') : null;
      if (from !== null && to !== null && from > to)
        throw new BadUserInputError('from 不能晚于 to / from must not be after to');
      const filter: VisitFilter = {
        visitId: null,
        schoolCode: args.schoolCode?.trim() || null,
        inspectorId: args.inspectorId?.trim() || null,
        kind: args.kind ?? null,
        from,
        to,
      };
      return findVisits(ctx, filter, args.scope, { limit, offset });
    },
    visit: (_parent, args, ctx) => visitById(ctx, args.id),
  },
  Mutation: {
    async recordVisit(_parent, args, ctx) {
      const id = await recordVisit(ctx, args.input);
      const visit = await visitById(ctx, String(id));
      if (!visit) throw new Error('visit not readable after it was recorded');
      return visit;
    },
  },
  Visit: {
    flags: (visit, _args, ctx) => flagsOfVisit(ctx, visit),
  },
};
