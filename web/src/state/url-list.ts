/**
 * What a list view with its own filters keeps in the URL (one value per key; a patch with
 * null drops the key) and how it pages by the server's cursors, so 上一页 goes back
 * without the client computing offsets. Shared by the 数据疑点 and 投诉与举报 views.
 */
import { computed, ref, watch } from 'vue';
import { useRoute, useRouter, type LocationQueryRaw } from 'vue-router';
import { integer } from '../format/format.ts';

export function useUrlQuery() {
  const route = useRoute();
  const router = useRouter();
  /** The key's first non-empty value, or null. */
  function queryValue(key: string): string | null {
    const value = route.query[key];
    const first = Array.isArray(value) ? value[0] : value;
    return typeof first === 'string' && first.length > 0 ? first : null;
  }
  function patchQuery(patch: Record<string, string | null>): void {
    const query: LocationQueryRaw = { ...route.query };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete query[key];
      else query[key] = value;
    }
    void router.replace({ query });
  }
  return { queryValue, patchQuery };
}

/** Cursor pages of `size` rows; back to the first page whenever `resetOn` changes. */
export function useCursorPages(size: number, resetOn: () => unknown) {
  const cursors = ref<(string | null)[]>([null]);
  const pageIndex = computed(() => cursors.value.length - 1);
  const after = computed(() => cursors.value.at(-1) ?? null);
  watch(
    () => JSON.stringify(resetOn()),
    () => (cursors.value = [null]),
  );
  function nextPage(endCursor: string | null | undefined): void {
    if (endCursor) cursors.value = [...cursors.value, endCursor];
  }
  function previousPage(): void {
    if (cursors.value.length > 1) cursors.value = cursors.value.slice(0, -1);
  }
  /** 共 N 条，当前第 a–b 条 (`unit` 条 or 件). */
  function caption(total: number, shown: number, unit: string): string {
    const first = pageIndex.value * size + 1;
    const last = pageIndex.value * size + shown;
    return total === 0
      ? `共 0 ${unit}`
      : `共 ${integer(total)} ${unit}，当前第 ${integer(first)}–${integer(last)} ${unit}`;
  }
  return { pageIndex, after, nextPage, previousPage, caption };
}
