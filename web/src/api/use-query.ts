/**
 * A reactive query: runs when its variables change, drops answers that arrive after a
 * newer request, and exposes loading / error / data for the view's states.
 */
import { ref, shallowRef, watch, type Ref, type ShallowRef } from 'vue';
import { ApiError, request, type Disclosure } from './client.ts';

export interface QueryState<TData> {
  data: ShallowRef<TData | null>;
  loading: Ref<boolean>;
  /** A Chinese message fit to show, or null. */
  error: Ref<string | null>;
  refetch: () => Promise<void>;
}

/** `variables` returning null skips the query (e.g. while the month is not yet known) and
 * reports it as loading; `disclosure` 'export' asks for the figures a file or print gets. */
export function useQuery<TData, TVariables extends object>(
  query: string,
  variables: () => TVariables | null,
  disclosure: Disclosure = 'view',
): QueryState<TData> {
  const data = shallowRef<TData | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  let controller: AbortController | null = null;

  async function run(): Promise<void> {
    const vars = variables();
    // Skipped while its inputs (e.g. the default month) are still on their way: a panel
    // shows "loading", never "no data", in that moment.
    if (vars === null) {
      loading.value = true;
      return;
    }
    controller?.abort();
    const mine = new AbortController();
    controller = mine;
    loading.value = true;
    error.value = null;
    try {
      const result = await request<TData, TVariables>(query, vars, mine.signal, disclosure);
      if (controller !== mine) return;
      data.value = result;
    } catch (e) {
      if (controller !== mine || (e as Error).name === 'AbortError') return;
      data.value = null;
      error.value = e instanceof ApiError ? e.message : '加载失败，请稍后重试';
    } finally {
      if (controller === mine) loading.value = false;
    }
  }

  watch(() => JSON.stringify(variables()), run, { immediate: true });
  return { data, loading, error, refetch: run };
}
