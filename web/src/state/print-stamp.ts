/**
 * The moment a printed page's figures arrived, for its print head (生成时间): set each time
 * the answer behind the page arrives, so a sheet printed later says when its data was read.
 */
import { ref, watch, type Ref, type WatchSource } from 'vue';

export function useGeneratedAt(answer: WatchSource<unknown>): Ref<string | null> {
  const generatedAt = ref<string | null>(null);
  watch(answer, (value) => {
    if (value) generatedAt.value = new Date().toISOString();
  });
  return generatedAt;
}
