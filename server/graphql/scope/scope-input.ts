import { currentDate } from '../../db/calendar.ts';
import type { Locality, Stage } from '../../db/tables/schools.table.ts';
import type { GraphQLContext } from '../context.ts';
import type {
  Locality as GqlLocality,
  ScopeInput,
  Stage as GqlStage,
} from '../__generated__/resolvers-types.ts';
import { BadUserInputError, UnreachableCaseError } from '../errors.ts';
import { disclosureOf } from './disclosure.ts';
import type { SatisfactionWindow, ScopeFilter, ScopeRequest } from './scope.ts';

const MAX_SCHOOL_CODES = 2000;

function stage(value: GqlStage): Stage {
  switch (value) {
    case 'PRIMARY':
      return 'primary';
    case 'JUNIOR':
      return 'junior';
    case 'NINE_YEAR':
      return 'nine_year';
    case 'COMPLETE':
      return 'complete';
    default:
      throw new UnreachableCaseError(value);
  }
}

function locality(value: GqlLocality): Locality {
  switch (value) {
    case 'URBAN':
      return 'urban';
    case 'TOWN':
      return 'town';
    case 'RURAL':
      return 'rural';
    default:
      throw new UnreachableCaseError(value);
  }
}

export function toScopeFilter(input: ScopeInput | null | undefined): ScopeFilter {
  if (!input) return {};
  if (input.schoolCodes && input.schoolCodes.length > MAX_SCHOOL_CODES)
    throw new BadUserInputError(
      `schoolCodes 最多 ${MAX_SCHOOL_CODES} 个 / at most ${MAX_SCHOOL_CODES} school codes`,
    );
  return {
    township: input.township ?? null,
    schoolCodes: input.schoolCodes ?? null,
    stage: input.stage ? stage(input.stage) : null,
    locality: input.locality ? locality(input.locality) : null,
    approvedOnly: input.approvedOnly ?? null,
  };
}

/** A ScopeRequest for the signed-in viewer: the only way resolvers build one. */
export function scopeRequest(
  ctx: GraphQLContext,
  input: ScopeInput | null | undefined,
  months: readonly string[],
  window?: SatisfactionWindow | null,
): ScopeRequest {
  return {
    viewer: ctx.viewer,
    filter: toScopeFilter(input),
    months,
    policy: ctx.policy,
    window: window ?? 'SEMESTER_TO_DATE',
    today: currentDate(ctx.now()),
    disclosure: disclosureOf(ctx),
  };
}
