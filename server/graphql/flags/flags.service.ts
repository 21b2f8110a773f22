/**
 * Between the flag resolvers and the repository: arguments validated into filters, the
 * school page's flags, the catalogue and policy as GraphQL types. Flag.history is loaded
 * per request in batches (see HistoryLoader), so a page of flags costs two queries, not
 * one per flag.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import {
  FLAG_STATUSES,
  OPEN_FLAG_STATUSES,
  flagStatusLabel,
  type FlagStatus,
} from '../../db/flag-statuses.ts';
import type { FlagSource as DbFlagSource } from '../../db/tables/flags.table.ts';
import { FLAG_CATALOGUE } from '../../policy/flag-catalogue.ts';
import type { DistrictPolicy } from '../../policy/policy.ts';
import type { GraphQLContext } from '../context.ts';
import type {
  FlagCodeInfo,
  FlagEvent,
  FlagSource,
  PolicyVersionInfo,
  QueryFlagCountsArgs,
  QueryFlagsArgs,
} from '../__generated__/resolvers-types.ts';
import { BadUserInputError, UnreachableCaseError } from '../errors.ts';
import { assertMonth, monthRange } from '../scope/months.ts';
import { parsePeriodArg } from '../scope/period-arg.ts';
import { toScopeFilter } from '../scope/scope-input.ts';
import { flagView, toFlagParent } from './flag-row.ts';
import {
  ANY_FLAG,
  flagEvents,
  flagPage,
  type FlagEventRow,
  type FlagFilter,
} from './flags.repository.ts';
import type { FlagParent } from './flags.types.ts';

/** Most values a list filter (codes, statuses) may carry. */
const MAX_LIST_VALUES = 100;
/** Most flags the school page shows (newest first). */
export const SCHOOL_FLAG_CAP = 200;

function toDbSource(source: FlagSource): DbFlagSource {
  switch (source) {
    case 'REPORT':
      return 'report';
    case 'INSPECTION':
      return 'inspection';
    default:
      throw new UnreachableCaseError(source);
  }
}

/** A single-value and a list filter on one column: both given means both must hold. */
function anyOf<T>(
  one: T | null | undefined,
  many: readonly T[] | null | undefined,
  argument: string,
): readonly T[] | null {
  if (many != null && many.length > MAX_LIST_VALUES)
    throw new BadUserInputError(
      `${argument} 最多 ${MAX_LIST_VALUES} 个 / at most ${MAX_LIST_VALUES} ${argument}`,
    );
  if (one == null) return many ?? null;
  if (many == null) return [one];
  return many.includes(one) ? [one] : [];
}

/** The status filter narrowed to the open (true) or finished (false) statuses. */
function openOnly(
  statuses: readonly FlagStatus[] | null,
  open: boolean | null,
): readonly FlagStatus[] | null {
  if (open === null) return statuses;
  const wanted = FLAG_STATUSES.filter((s) => OPEN_FLAG_STATUSES.includes(s) === open);
  return statuses === null ? wanted : statuses.filter((s) => wanted.includes(s));
}

/** Query.flags arguments as a filter; BAD_USER_INPUT on malformed months or ranges. */
export function toFlagFilter(args: Omit<QueryFlagsArgs, 'first' | 'after'>): FlagFilter {
  const month = args.month != null ? assertMonth(args.month) : null;
  const period = args.period != null ? parsePeriodArg(args.period) : null;
  if (period !== null && (month !== null || args.from != null || args.to != null))
    throw new BadUserInputError(
      'period 不能与 month 或 from/to 同时使用 / give period, month or from/to, not several',
    );
  // A period bounds the flags' months: all its months (a flag is no monthly count).
  const from = period
    ? (period.months[0] as string)
    : args.from != null
      ? assertMonth(args.from, 'from')
      : null;
  const to = period
    ? (period.months[period.months.length - 1] as string)
    : args.to != null
      ? assertMonth(args.to, 'to')
      : null;
  if (month !== null && (from !== null || to !== null))
    throw new BadUserInputError('month 不能与 from/to 同时使用 / give month or from/to, not both');
  if (from !== null && to !== null && from > to)
    throw new BadUserInputError('from 不能晚于 to / from must not be after to');
  return {
    from: month ?? from,
    to: month ?? to,
    schoolCode: args.schoolCode ?? null,
    codes: anyOf(args.code, args.codes, 'codes'),
    statuses: openOnly(anyOf(args.status, args.statuses, 'statuses'), args.open ?? null),
    source: args.source != null ? toDbSource(args.source) : null,
    overdue: args.overdue ?? null,
    scope: toScopeFilter(args.scope),
  };
}

/** Query.flagCounts arguments as a filter: from..to must be a valid range of ≤ 60 months. */
export function toCountFilter(args: QueryFlagCountsArgs): FlagFilter {
  monthRange(args.from, args.to);
  return {
    ...ANY_FLAG,
    from: args.from,
    to: args.to,
    source: args.source != null ? toDbSource(args.source) : null,
    scope: toScopeFilter(args.scope),
  };
}

const FLAG_ID = /^[1-9]\d{0,14}$/u;

/** A flag ID as the warehouse's number; null for anything that cannot name a flag. */
export function parseFlagId(id: string): number | null {
  return FLAG_ID.test(id) ? Number(id) : null;
}

/** The school page's flags: every visible one of the school, newest first, at most 200. */
export async function schoolFlags(ctx: GraphQLContext, schoolCode: string): Promise<FlagParent[]> {
  const page = await flagPage(
    ctx.db,
    flagView(ctx),
    { ...ANY_FLAG, schoolCode },
    { limit: SCHOOL_FLAG_CAP, offset: 0 },
  );
  return page.rows.map(toFlagParent);
}

export function toFlagEvent(row: FlagEventRow): FlagEvent {
  return {
    id: String(row.event_id),
    action: row.action,
    fromStatus: row.from_status,
    fromStatusLabel: row.from_status === null ? null : flagStatusLabel(row.from_status),
    toStatus: row.to_status,
    toStatusLabel: flagStatusLabel(row.to_status),
    userName: row.user_name,
    username: row.username,
    at: new Date(row.occurred_at).toISOString(),
    note: row.note,
    deadline: row.deadline,
    batchId: row.batch_id === null ? null : String(row.batch_id),
    visitId: row.visit_id === null ? null : String(row.visit_id),
  };
}

/** Flag IDs asked for in one tick, and the events of all of them once queried. */
interface HistoryBatch {
  ids: Set<number>;
  events: Promise<Map<string, FlagEvent[]>>;
}

/**
 * A per-request history loader: the history fields of a list's flags are resolved in one
 * synchronous pass, so IDs collected until the next tick become one query. Nothing is
 * kept after a batch: a mutation later in the same operation must not see stale history.
 */
class HistoryLoader {
  private open: HistoryBatch | null = null;

  constructor(private readonly db: Kysely<Database>) {}

  load(flagId: string): Promise<FlagEvent[]> {
    const id = parseFlagId(flagId);
    if (id === null) return Promise.resolve([]);
    const batch = this.open ?? this.start();
    batch.ids.add(id);
    return batch.events.then((byFlag) => byFlag.get(String(id)) ?? []);
  }

  private start(): HistoryBatch {
    const ids = new Set<number>();
    // After the current promise jobs and then one tick, as DataLoader does.
    const due = Promise.resolve().then(() => new Promise<void>((r) => process.nextTick(r)));
    const events = due.then(async () => {
      this.open = null;
      const byFlag = new Map<string, FlagEvent[]>();
      for (const row of await flagEvents(this.db, [...ids])) {
        const key = String(row.flag_id);
        byFlag.set(key, [...(byFlag.get(key) ?? []), toFlagEvent(row)]);
      }
      return byFlag;
    });
    this.open = { ids, events };
    return this.open;
  }
}

const loaders = new WeakMap<GraphQLContext, HistoryLoader>();

/** Flag.history: the flag's events, oldest first, batched with its siblings' per request. */
export function flagHistory(ctx: GraphQLContext, flagId: string): Promise<FlagEvent[]> {
  let loader = loaders.get(ctx);
  if (!loader) {
    loader = new HistoryLoader(ctx.db);
    loaders.set(ctx, loader);
  }
  return loader.load(flagId);
}

/** The violation catalogue, in its file's order. */
export function flagCodeInfos(): FlagCodeInfo[] {
  return [...FLAG_CATALOGUE.values()].map((c) => ({
    code: c.code,
    label: c.zh,
    labelEn: c.en,
    prohibition: c.prohibition,
    sources: c.sources,
    fromReports: c.evidence.includes('report'),
    fromInspections: c.evidence.includes('inspection'),
    rules: Object.entries(c.rules).map(([id, label]) => ({ id, label })),
  }));
}

/** The policy's versions, oldest first; `parameters` is every parameter as JSON. */
export function policyVersionInfos(policy: DistrictPolicy): PolicyVersionInfo[] {
  return [...policy.versions]
    .sort((a, b) => a.effective_from.localeCompare(b.effective_from))
    .map(({ version, effective_from, source, note, ...parameters }) => ({
      district: policy.district,
      version,
      effectiveFrom: effective_from,
      source,
      note: note ?? null,
      parameters: JSON.stringify(parameters),
    }));
}
