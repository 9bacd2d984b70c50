/**
 * One limit on the service checks (tcp, http, dns, tls) in flight, shared by their four probers, so a list of
 * 2,000 URLs opens at most `max_concurrent_checks` sockets at once however the rows are split between kinds.
 * The probers run beside the ping batch (probeTargets starts every kind at the same time).
 */
export class CheckPool {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`check pool limit must be a positive integer, got ${limit}`);
    }
  }

  /**
   * Runs `work` when a slot is free. When `signal` has aborted by then, `work` is not started and the
   * result is null (the target is left out of the cycle, which keeps its state).
   */
  async run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T | null> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running += 1;
    try {
      if (signal?.aborted) return null;
      return await work();
    } finally {
      // The slot passes straight to the next waiter, so `running` never exceeds the limit.
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}

/**
 * Runs one check per target through `pool`, all queued at once.
 * @returns the results in target order; targets skipped because `signal` aborted are left out
 */
export async function checkAll<T, R>(
  pool: CheckPool,
  targets: readonly T[],
  check: (target: T) => Promise<R>,
  signal?: AbortSignal,
): Promise<R[]> {
  const results = await Promise.all(targets.map((target) => pool.run(() => check(target), signal)));
  return results.filter((result): result is Awaited<R> => result !== null);
}
