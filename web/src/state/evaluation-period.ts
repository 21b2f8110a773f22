/**
 * The 年度考核 view's period: a semester or a school year (the evaluation is not monthly),
 * in the URL as `period` ("2024-2025" or "2024-2025-1"). It defaults to the newest school
 * year with reports; the choices are the years and semesters the months with reports fall
 * in, newest first. Periods are the kernel calendar's (server/db/calendar.ts); the key is
 * the filter bar's `period` (state/filters.ts), so the choice carries over to other views.
 */
import { computed, type ComputedRef } from 'vue';
import { useRoute, useRouter, type LocationQuery } from 'vue-router';
import { currentMonth, parsePeriod, periodOf, type Period } from '../../../server/db/calendar.ts';
import { reportMonths } from './filters.ts';

export const PERIOD_KEY = 'period';

/**
 * The URL's period when it names a semester or a school year; a month (the filter bar's,
 * shared with the other views) stands for the school year holding it; else null.
 */
export function parseEvaluationPeriod(query: LocationQuery): Period | null {
  const raw = query[PERIOD_KEY];
  const text = Array.isArray(raw) ? raw[0] : raw;
  if (typeof text !== 'string') return null;
  const period = parsePeriod(text);
  if (!period) return null;
  return period.kind === 'MONTH' ? periodOf(period.key, 'YEAR') : period;
}

/** School years and semesters holding the given months (newest first), each once. */
export function evaluationPeriodChoices(months: readonly string[]): Period[] {
  const seen = new Map<string, Period>();
  for (const month of months)
    for (const kind of ['YEAR', 'SEMESTER'] as const) {
      const period = periodOf(month, kind);
      if (!seen.has(period.key)) seen.set(period.key, period);
    }
  // A year sorts before its semesters, later years first.
  return [...seen.values()].sort((a, b) => {
    const byStart = (b.months[0] ?? '').localeCompare(a.months[0] ?? '');
    const yearA = a.key.slice(0, 9);
    const yearB = b.key.slice(0, 9);
    if (yearA !== yearB) return yearB.localeCompare(yearA);
    if (a.kind !== b.kind) return a.kind === 'YEAR' ? -1 : 1;
    return byStart;
  });
}

/** The newest school year with reports; null until the months are known. */
export function defaultEvaluationPeriod(months: readonly string[] | null): Period | null {
  if (months === null) return null;
  return periodOf(months[0] ?? currentMonth(), 'YEAR');
}

export interface UseEvaluationPeriod {
  period: ComputedRef<Period | null>;
  choices: ComputedRef<Period[]>;
  set(key: string): void;
}

export function useEvaluationPeriod(): UseEvaluationPeriod {
  const route = useRoute();
  const router = useRouter();
  const period = computed(
    () => parseEvaluationPeriod(route.query) ?? defaultEvaluationPeriod(reportMonths.value),
  );
  const choices = computed(() => {
    const list = evaluationPeriodChoices(reportMonths.value ?? []);
    const current = period.value;
    return current && !list.some((p) => p.key === current.key) ? [current, ...list] : list;
  });
  function set(key: string): void {
    void router.replace({ query: { ...route.query, [PERIOD_KEY]: key } });
  }
  return { period, choices, set };
}
