/**
 * Lets at most `limit` holders in at once, with at most `maxWaiting` more queued in arrival order. Keeps
 * deep probes (each a ping or traceroute process) bounded, so a burst of requests cannot fork hundreds of
 * processes, and so /healthz and /metrics, which never take a slot, always answer.
 */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly limit: number,
    private readonly maxWaiting: number,
  ) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`limit must be a positive integer, got ${limit}`);
  }

  /** Holders now. */
  get inUse(): number {
    return this.active;
  }

  /** Requests queued now. */
  get queued(): number {
    return this.waiting.length;
  }

  /**
   * Waits for a slot and resolves to its release function (call it exactly once), or resolves to null at
   * once when the queue is full. An aborted `signal` takes a queued request out of the queue (null too).
   */
  acquire(signal?: AbortSignal): Promise<(() => void) | null> {
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    if (this.waiting.length >= this.maxWaiting || signal?.aborted) return Promise.resolve(null);
    return new Promise((resolve) => {
      const enter = () => {
        signal?.removeEventListener('abort', leave);
        this.active++;
        resolve(this.releaser());
      };
      const leave = () => {
        const index = this.waiting.indexOf(enter);
        if (index >= 0) this.waiting.splice(index, 1);
        resolve(null);
      };
      this.waiting.push(enter);
      signal?.addEventListener('abort', leave, { once: true });
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.waiting.shift()?.();
    };
  }
}
