/**
 * Runs `work` on every item with at most `limit` calls in flight, and returns the results in input order.
 *
 * When `signal` aborts, items not yet started are skipped and left out of the result; calls already
 * running finish and keep their place. When a call rejects, no further items are started, the running
 * ones are awaited (so no work outlives the returned promise), and the first rejection is rethrown.
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
  signal?: AbortSignal,
): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`concurrency limit must be a positive integer, got ${limit}`);
  }
  // Wrapped so that a skipped slot (hole) differs from a call that returned undefined.
  const settled: { value: R }[] = [];
  let next = 0;
  let failure: { error: unknown } | undefined;

  const worker = async (): Promise<void> => {
    while (next < items.length && !signal?.aborted && failure === undefined) {
      const index = next++;
      try {
        settled[index] = { value: await work(items[index] as T, index) };
      } catch (error) {
        failure ??= { error };
      }
    }
  };

  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure.error;
  // Array.prototype.flatMap skips holes, which is exactly the "left out" the contract asks for.
  return settled.flatMap((slot) => [slot.value]);
}
