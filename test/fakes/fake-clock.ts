import type { Clock } from '../../lib/shared/clock.js';

/**
 * A clock that only moves when told to. `sleep` resolves once `advance` has moved time past its deadline,
 * or at once when aborted, so loops can be driven step by step without real timers.
 */
export class FakeClock implements Clock {
  private current: number;
  private sleepers: { until: number; resolve: () => void }[] = [];

  constructor(start: Date | string = '2026-01-01T00:00:00Z') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const onAbort = () => resolve();
      // The listener goes when the sleep ends, so long runs on one signal do not pile listeners up.
      const sleeper = {
        until: this.current + ms,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.sleepers.push(sleeper);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Moves time forward and wakes every sleeper whose deadline has passed. */
  advance(ms: number): void {
    this.current += ms;
    const due = this.sleepers.filter((s) => s.until <= this.current);
    this.sleepers = this.sleepers.filter((s) => s.until > this.current);
    for (const sleeper of due) sleeper.resolve();
  }

  /** Number of pending sleeps: lets a test wait until the loop is idle. */
  get pendingSleeps(): number {
    return this.sleepers.length;
  }
}
