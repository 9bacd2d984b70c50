import type { Notifier } from '../../lib/notify/notifier.js';
import { Outbox } from '../../lib/notify/outbox/outbox.js';
import { MemoryOutboxStore } from '../../lib/notify/outbox/outbox-store.js';
import { FakeLog } from './fake-log.js';
import { shiftedClock } from './shifted-clock.js';

/**
 * A real outbox in memory with real timers and fast retries (1 s at most), delivering to `notifier`: what the
 * channel tests send through. Its clock starts at `t0`, the time the fixtures are composed at, so message ages
 * and expiry do not depend on today's date. Call `outbox.start()` before sending and `stop()` after.
 */
export function channelOutbox(notifier: Notifier, t0: Date): { outbox: Outbox; log: FakeLog } {
  const log = new FakeLog();
  const outbox = new Outbox({
    store: new MemoryOutboxStore(),
    notifiers: [notifier],
    clock: shiftedClock(t0),
    log,
    policy: () => ({ retryMaxMs: 1000, expireMs: 365 * 86_400_000 }),
    newId: () => '20261122T130300000Z-0badcafe',
  });
  return { outbox, log };
}
