import { systemClock, type Clock } from '../../lib/shared/clock.js';

/**
 * A clock that runs in real time but starts at `origin`: `now()` is `origin` plus the real time elapsed
 * since it was made, and `sleep` really waits. For tests that need real timers (an outbox retrying over
 * HTTP) yet fixed fixture times: the code and the fixtures read the same clock, so the test gives the
 * same answers on any day and in any time zone.
 */
export function shiftedClock(origin: Date): Clock {
  const start = performance.now();
  return {
    now: () => new Date(origin.getTime() + Math.floor(performance.now() - start)),
    sleep: (ms, signal) => systemClock.sleep(ms, signal),
  };
}
