/**
 * The month and scope filters every view shares, kept in the URL query (month, township,
 * stage, locality) so a view can be bookmarked and sent. The month defaults to the newest
 * month with reports in the user's remit.
 */
import { computed, ref, type ComputedRef } from 'vue';
import { useRoute, useRouter, type LocationQuery } from 'vue-router';
import type { Locality, ScopeInput, Stage } from '../api/__generated__/schema-types.ts';
import { addMonths, currentMonth } from '../../../server/db/calendar.ts';

/** This month in Asia/Shanghai, "YYYY-MM" (the kernel's calendar). */
export { currentMonth };

export const FILTER_KEYS = ['month', 'township', 'stage', 'locality'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

const STAGES: readonly Stage[] = ['PRIMARY', 'JUNIOR', 'NINE_YEAR', 'COMPLETE'];
const LOCALITIES: readonly Locality[] = ['URBAN', 'TOWN', 'RURAL'];
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Months with reports, newest first; set by the filter bar once per session. */
export const reportMonths = ref<string[] | null>(null);

export interface Filters {
  month: string | null;
  township: string | null;
  stage: Stage | null;
  locality: Locality | null;
}

function one(query: LocationQuery, key: string): string | null {
  const value = query[key];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first.length > 0 ? first : null;
}

/** Reads the filters from a route query, ignoring values that are not valid. */
export function parseFilters(query: LocationQuery): Filters {
  const month = one(query, 'month');
  const stage = one(query, 'stage');
  const locality = one(query, 'locality');
  return {
    month: month && MONTH.test(month) ? month : null,
    township: one(query, 'township'),
    stage: STAGES.includes(stage as Stage) ? (stage as Stage) : null,
    locality: LOCALITIES.includes(locality as Locality) ? (locality as Locality) : null,
  };
}

/** The GraphQL scope of the filters; undefined when no filter narrows it. */
export function scopeOf(filters: Filters): ScopeInput | undefined {
  const scope: ScopeInput = {};
  if (filters.township) scope.township = filters.township;
  if (filters.stage) scope.stage = filters.stage;
  if (filters.locality) scope.locality = filters.locality;
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

export interface UseFilters {
  filters: ComputedRef<Filters>;
  /** The month to show: the URL's, else the newest month with reports (null until known). */
  month: ComputedRef<string | null>;
  scope: ComputedRef<ScopeInput | undefined>;
  set(patch: Partial<Record<FilterKey, string | null>>): void;
}

export function useFilters(): UseFilters {
  const route = useRoute();
  const router = useRouter();
  const filters = computed(() => parseFilters(route.query));
  const month = computed(
    () =>
      filters.value.month ??
      reportMonths.value?.[0] ??
      // No reports at all: the current month, so views say 本月暂无数据 rather than wait.
      (reportMonths.value?.length === 0 ? currentMonth() : null),
  );
  const scope = computed(() => scopeOf(filters.value));
  function set(patch: Partial<Record<FilterKey, string | null>>): void {
    const query: Record<string, string> = { ...filterQuery(route.query) };
    for (const [key, value] of Object.entries(patch)) {
      if (value) query[key] = value;
      else delete query[key];
    }
    const rest = Object.fromEntries(
      Object.entries(route.query).filter(([k]) => !FILTER_KEYS.includes(k as FilterKey)),
    );
    void router.replace({ query: { ...rest, ...query } });
  }
  return { filters, month, scope, set };
}

/** The previous `n` − 1 months and `month`, oldest first (for trends). */
export function monthsEnding(month: string, n: number): { from: string; to: string } {
  return { from: addMonths(month, -(n - 1)), to: month };
}
