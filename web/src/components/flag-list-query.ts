/**
 * The 违规预警 list's own filters, kept in the URL beside the shared ones so a filtered
 * list can be bookmarked and other views can link to it, e.g.
 * `/flags?status=OPEN&code=LATE_END&school=1000000001`. `status` may list several
 * statuses separated by commas; `range` picks the months relative to the shared month. It
 * was `period` before the shared filters took that name for 月/学期/学年 (issue 14); an old
 * link's `?period=12` still reads, as it never names a shared period.
 */
import type { LocationQuery } from 'vue-router';
import type { FlagsListQueryVariables } from '../api/__generated__/graphql.ts';
import type {
  FlagSort,
  FlagSource,
  FlagStatus,
  ScopeInput,
} from '../api/__generated__/schema-types.ts';
import { monthsEnding, type Period as SharedPeriod } from '../state/filters.ts';

export const LIST_KEYS = [
  'status',
  'code',
  'source',
  'overdue',
  'school',
  'range',
  'from',
  'to',
  'sort',
  'view',
] as const;
export type ListKey = (typeof LIST_KEYS)[number];

/** A status as the URL may carry it; which exist is the server's vocabulary (`known`). */
const STATUS = /^[A-Z_]{1,20}$/;
const SOURCES: readonly FlagSource[] = ['REPORT', 'INSPECTION'];
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const SCHOOL = /^\d{10}$/;

/** All months, the shared month, the last 3 / 6 / 12 months up to it, or from..to. */
export type Period = 'all' | 'month' | '3' | '6' | '12' | 'custom';
export const PERIODS: readonly Period[] = ['all', 'month', '3', '6', '12', 'custom'];

/** The list's orders (`?sort=`), newest first by default, with their labels. */
export const FLAG_SORTS: readonly { sort: FlagSort; label: string }[] = [
  { sort: 'NEWEST', label: '按产生时间从新到旧' },
  { sort: 'OLDEST_FIRST', label: '按产生时间从旧到新' },
  { sort: 'OVERDUE_FIRST', label: '逾期最久在前，其次整改期限最近' },
];

/** One row a flag (`list`) or one row a school and rule (`groups`: recurring flags). */
export type ListView = 'list' | 'groups';

export interface FlagListFilters {
  /** Empty: every status. */
  statuses: FlagStatus[];
  code: string | null;
  source: FlagSource | null;
  overdue: boolean;
  school: string | null;
  period: Period;
  /** Bounds of a custom period ("YYYY-MM"), either may be open. */
  from: string | null;
  to: string | null;
  sort: FlagSort;
  view: ListView;
}

function one(query: LocationQuery, key: string): string | null {
  const value = query[key];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first.length > 0 ? first : null;
}

/** An old link's list range in `?period=` (e.g. "12"), or null when `period` is not one. */
export function legacyRange(query: LocationQuery): Period | null {
  const old = one(query, 'period');
  return PERIODS.includes(old as Period) ? (old as Period) : null;
}

/**
 * Reads the list filters from a route query, ignoring values that are not valid. Statuses
 * are checked against `known` once the vocabulary has arrived (until then, by shape).
 */
export function parseFlagList(
  query: LocationQuery,
  known: readonly FlagStatus[] = [],
): FlagListFilters {
  const statuses = (one(query, 'status') ?? '')
    .split(',')
    .filter(
      (s): s is FlagStatus =>
        STATUS.test(s) && (known.length === 0 || known.includes(s as FlagStatus)),
    );
  const source = one(query, 'source');
  const school = one(query, 'school');
  const code = one(query, 'code');
  const period = one(query, 'range') ?? legacyRange(query);
  const from = one(query, 'from');
  const to = one(query, 'to');
  const sort = FLAG_SORTS.find((s) => s.sort === one(query, 'sort'))?.sort ?? 'NEWEST';
  return {
    statuses: [...new Set(statuses)],
    code: code && /^[A-Z_]{1,40}$/.test(code) ? code : null,
    source: SOURCES.includes(source as FlagSource) ? (source as FlagSource) : null,
    overdue: one(query, 'overdue') === '1',
    school: school && SCHOOL.test(school) ? school : null,
    period: PERIODS.includes(period as Period) ? (period as Period) : 'all',
    from: from && MONTH.test(from) ? from : null,
    to: to && MONTH.test(to) ? to : null,
    sort,
    view: one(query, 'view') === 'groups' ? 'groups' : 'list',
  };
}

/** The filters as URL query entries (defaults left out). */
export function flagListQuery(filters: FlagListFilters): Partial<Record<ListKey, string>> {
  const query: Partial<Record<ListKey, string>> = {};
  if (filters.statuses.length > 0) query.status = filters.statuses.join(',');
  if (filters.code) query.code = filters.code;
  if (filters.source) query.source = filters.source;
  if (filters.overdue) query.overdue = '1';
  if (filters.school) query.school = filters.school;
  if (filters.period !== 'all') query.range = filters.period;
  if (filters.period === 'custom') {
    if (filters.from) query.from = filters.from;
    if (filters.to) query.to = filters.to;
  }
  if (filters.sort !== 'NEWEST') query.sort = filters.sort;
  if (filters.view !== 'list') query.view = filters.view;
  return query;
}

/**
 * The months a period covers, relative to the shared month; null bounds are open. 所选
 * (`month`) is the filter bar's period: its months when it is a semester or a school year.
 */
export function periodMonths(
  filters: Pick<FlagListFilters, 'period' | 'from' | 'to'>,
  month: string | null,
  shared: SharedPeriod | null = null,
): { month?: string; period?: string; from?: string; to?: string } {
  switch (filters.period) {
    case 'all':
      return {};
    case 'month':
      if (shared && shared.kind !== 'MONTH') return { period: shared.key };
      return month ? { month } : {};
    case '3':
    case '6':
    case '12':
      return month ? monthsEnding(month, Number(filters.period)) : {};
    case 'custom': {
      const { from, to } = filters;
      // A reversed range is read the way the user meant it.
      if (from && to && from > to) return { from: to, to: from };
      return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
    }
  }
}

/** The `flags` arguments of the list (without paging). */
export function flagListVariables(
  filters: FlagListFilters,
  month: string | null,
  scope: ScopeInput | undefined,
  shared: SharedPeriod | null = null,
): Omit<FlagsListQueryVariables, 'first' | 'after'> {
  return {
    ...(scope ? { scope } : {}),
    ...(filters.statuses.length > 0 ? { statuses: filters.statuses } : {}),
    ...(filters.code ? { code: filters.code } : {}),
    ...(filters.source ? { source: filters.source } : {}),
    ...(filters.overdue ? { overdue: true } : {}),
    ...(filters.school ? { schoolCode: filters.school } : {}),
    ...(filters.sort !== 'NEWEST' ? { sort: filters.sort } : {}),
    ...periodMonths(filters, month, shared),
  };
}
