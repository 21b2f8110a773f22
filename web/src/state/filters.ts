/**
 * The period and scope filters every view shares, kept in the URL query (period, township,
 * stage, locality) so a view can be bookmarked and sent. The period is a month, a semester
 * or a school year (server/db/calendar.ts names and parses them); `?month=` from older
 * links still names a month. Without either, the period is the newest month with reports
 * in the user's remit.
 */
import { computed, ref, type ComputedRef } from 'vue';
import { useRoute, useRouter, type LocationQuery } from 'vue-router';
import type { Locality, ScopeInput, Stage } from '../api/__generated__/schema-types.ts';
import {
  addMonths,
  currentMonth,
  parsePeriod,
  periodOf,
  type Period,
  type PeriodKind,
} from '../../../server/db/calendar.ts';

/** This month in Asia/Shanghai, "YYYY-MM" (the kernel's calendar). */
export { currentMonth };
export type { Period, PeriodKind };

export const FILTER_KEYS = [
  'period',
  'month',
  'township',
  'stage',
  'locality',
  'approved',
] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

const STAGES: readonly Stage[] = ['PRIMARY', 'JUNIOR', 'NINE_YEAR', 'COMPLETE'];
const LOCALITIES: readonly Locality[] = ['URBAN', 'TOWN', 'RURAL'];

/** The kinds of period the filter bar offers, in its order, with their names. */
export const PERIOD_KINDS: readonly { kind: PeriodKind; label: string }[] = [
  { kind: 'MONTH', label: '月' },
  { kind: 'SEMESTER', label: '学期' },
  { kind: 'YEAR', label: '学年' },
];

/** Months with reports, newest first; set by the filter bar once per session. */
export const reportMonths = ref<string[] | null>(null);

export interface Filters {
  /** The period the URL names (`period`, else an old link's `month`); null = the default. */
  period: Period | null;
  /** The month the URL names: a month period's key, null for a semester or a year. */
  month: string | null;
  township: string | null;
  stage: Stage | null;
  locality: Locality | null;
  /** 仅显示已审核数据 (URL `approved=1`): only school-months approved in review; absent: off. */
  approvedOnly?: boolean;
}

function one(query: LocationQuery, key: string): string | null {
  const value = query[key];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first.length > 0 ? first : null;
}

/** The period a query names: `period` when valid, else an old link's `month`. */
function periodIn(query: LocationQuery): Period | null {
  const period = one(query, 'period');
  const parsed = period ? parsePeriod(period) : null;
  if (parsed) return parsed;
  const month = one(query, 'month');
  const old = month ? parsePeriod(month) : null;
  return old?.kind === 'MONTH' ? old : null;
}

/** Reads the filters from a route query, ignoring values that are not valid. */
export function parseFilters(query: LocationQuery): Filters {
  const period = periodIn(query);
  const stage = one(query, 'stage');
  const locality = one(query, 'locality');
  return {
    period,
    month: period?.kind === 'MONTH' ? period.key : null,
    township: one(query, 'township'),
    stage: STAGES.includes(stage as Stage) ? (stage as Stage) : null,
    locality: LOCALITIES.includes(locality as Locality) ? (locality as Locality) : null,
    ...(one(query, 'approved') === '1' ? { approvedOnly: true } : {}),
  };
}

/**
 * The periods of `kind` that hold a month with reports, newest first (reportMonths is
 * newest first, and a period's months are consecutive, so first sight keeps the order).
 */
export function periodChoices(months: readonly string[], kind: PeriodKind): Period[] {
  const seen = new Map<string, Period>();
  for (const month of months) {
    const period = periodOf(month, kind);
    if (!seen.has(period.key)) seen.set(period.key, period);
  }
  return [...seen.values()];
}

/**
 * The period of `kind` to show when the user switches kind from `from`: the one holding
 * the newest reported month of `from` (a month → its semester; a semester → its first
 * month with reports), else the newest period of that kind with reports.
 */
export function switchPeriodKind(
  from: Period | null,
  kind: PeriodKind,
  months: readonly string[],
): Period | null {
  const anchor = from ? newestReportedMonth(from, months) : null;
  if (anchor) return periodOf(anchor, kind);
  return periodChoices(months, kind)[0] ?? null;
}

/** The newest month of `period` with reports, or null when none of its months has any. */
export function newestReportedMonth(period: Period, months: readonly string[]): string | null {
  return months.find((m) => period.months.includes(m)) ?? null;
}

/** The GraphQL scope of the filters; undefined when no filter narrows it. */
export function scopeOf(filters: Filters): ScopeInput | undefined {
  const scope: ScopeInput = {};
  if (filters.township) scope.township = filters.township;
  if (filters.stage) scope.stage = filters.stage;
  if (filters.locality) scope.locality = filters.locality;
  if (filters.approvedOnly) scope.approvedOnly = true;
  return Object.keys(scope).length > 0 ? scope : undefined;
}

/** The filter part of a query, to carry across navigation links. */
export function filterQuery(query: LocationQuery): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const key of FILTER_KEYS) {
    const value = one(query, key);
    if (value) kept[key] = value;
  }
  return kept;
}

/**
 * The query after a change of filters. Choosing a period drops an old link's `month`
 * (the period says it all), choosing a month drops the period, and `null` removes a filter.
 */
export function patchQuery(
  query: LocationQuery,
  patch: Partial<Record<FilterKey, string | null>>,
): Record<string, string> {
  const kept = filterQuery(query);
  if ('period' in patch) delete kept.month;
  if ('month' in patch) delete kept.period;
  for (const [key, value] of Object.entries(patch)) {
    if (value) kept[key] = value;
    else delete kept[key];
  }
  return kept;
}

/**
 * The period to show: the URL's, else the newest month with reports; with no reports at
 * all, the current month, so views say 本月暂无数据 rather than wait. Null until known.
 */
export function effectivePeriod(filters: Filters, months: readonly string[] | null): Period | null {
  if (filters.period) return filters.period;
  const newest = months?.[0] ?? (months?.length === 0 ? currentMonth() : null);
  return newest ? periodOf(newest, 'MONTH') : null;
}

/**
 * The month of a period that month-only figures (flags, trends' last month) stand on: the
 * month itself, else the period's newest month with reports, else — a period without
 * reports — its last month up to this month. Null while the months with reports are
 * not yet known.
 */
export function periodMonth(
  period: Period | null,
  months: readonly string[] | null,
): string | null {
  if (!period) return null;
  if (period.kind === 'MONTH') return period.key;
  if (!months) return null;
  const reported = newestReportedMonth(period, months);
  if (reported) return reported;
  const last = period.months.at(-1) as string;
  const now = currentMonth();
  return last < now ? last : period.months.includes(now) ? now : last;
}

/**
 * The months a trend shows: 12 ending with a month period's month; a semester's or a
 * school year's own months, up to this month (no empty future at the end).
 */
export function trendWindow(period: Period): { from: string; to: string } {
  if (period.kind === 'MONTH') return monthsEnding(period.key, 12);
  const first = period.months[0] as string;
  const last = period.months.at(-1) as string;
  const now = currentMonth();
  return { from: first, to: last > now && now >= first ? now : last };
}

export interface UseFilters {
  filters: ComputedRef<Filters>;
  /** The period to show (key, label, kind, months): the URL's, else the newest month with reports. */
  period: ComputedRef<Period | null>;
  /** The month to show for month-only figures (see periodMonth); null until known. */
  month: ComputedRef<string | null>;
  scope: ComputedRef<ScopeInput | undefined>;
  set(patch: Partial<Record<FilterKey, string | null>>): void;
}

export function useFilters(): UseFilters {
  const route = useRoute();
  const router = useRouter();
  const filters = computed(() => parseFilters(route.query));
  const period = computed(() => effectivePeriod(filters.value, reportMonths.value));
  const month = computed(() => periodMonth(period.value, reportMonths.value));
  const scope = computed(() => scopeOf(filters.value));
  function set(patch: Partial<Record<FilterKey, string | null>>): void {
    const rest = Object.fromEntries(
      Object.entries(route.query).filter(([k]) => !FILTER_KEYS.includes(k as FilterKey)),
    );
    void router.replace({ query: { ...rest, ...patchQuery(route.query, patch) } });
  }
  return { filters, period, month, scope, set };
}

/** The previous `n` − 1 months and `month`, oldest first (for trends). */
export function monthsEnding(month: string, n: number): { from: string; to: string } {
  return { from: addMonths(month, -(n - 1)), to: month };
}
