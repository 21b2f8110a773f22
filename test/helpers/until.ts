/** Polls `probe` until it gives a value other than null, or fails after `ms`. */
export async function until<T>(
  probe: () => T | null | Promise<T | null>,
  ms = 15_000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`still nothing after ${ms} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
