/**
 * The flag status vocabulary (order, Chinese labels, which statuses are open) as the
 * server defines it (`flagStatuses`): the web app keeps no copy. Loaded once per page and
 * shared; until it arrives, labels are empty and lists hold no statuses.
 */
import { computed, shallowRef, type ComputedRef } from 'vue';
import type { FlagStatusesQuery } from './__generated__/graphql.ts';
import type { FlagStatus } from './__generated__/schema-types.ts';
import { request } from './client.ts';
import { FLAG_STATUSES } from './queries/flags.ts';

export type FlagStatusInfo = FlagStatusesQuery['flagStatuses'][number];

const vocabulary = shallowRef<readonly FlagStatusInfo[]>([]);
let loading: Promise<void> | null = null;

function load(): void {
  if (loading) return;
  loading = request<FlagStatusesQuery>(FLAG_STATUSES).then(
    (data) => {
      vocabulary.value = data.flagStatuses;
    },
    () => {
      // Retried by the next component that asks (e.g. after signing in again).
      loading = null;
    },
  );
}

export interface FlagStatuses {
  /** Every status with its label, in life-cycle order. */
  all: ComputedRef<readonly FlagStatusInfo[]>;
  /** The open (未办结) statuses. */
  open: ComputedRef<FlagStatus[]>;
  label: (status: FlagStatus) => string;
  isOpen: (status: FlagStatus) => boolean;
}

/** The vocabulary, loading it on first use. */
export function useFlagStatuses(): FlagStatuses {
  load();
  const all = computed(() => vocabulary.value);
  return {
    all,
    open: computed(() => vocabulary.value.filter((s) => s.open).map((s) => s.status)),
    label: (status) => vocabulary.value.find((s) => s.status === status)?.label ?? '',
    isOpen: (status) => vocabulary.value.find((s) => s.status === status)?.open ?? false,
  };
}
