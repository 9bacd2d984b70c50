import type { Clock } from '../../shared/clock.js';
import { errorMessage, RateLimitedError } from '../../shared/errors.js';
import { formatDuration } from '../../shared/format-duration.js';
import type { Log } from '../../shared/log.js';
import type { Notifier } from '../notifier.js';
import type { OutboxStore } from './outbox-store.js';

/** How hard the outbox tries, from settings.csv. */
export interface OutboxPolicy {
  /** The longest wait between two attempts (`outbox_retry_max_seconds`). */
  readonly retryMaxMs: number;
  /** A message not delivered after this long is dropped (`outbox_expire_hours`). */
  readonly expireMs: number;
}

/** The first retry waits this long; each further one twice as long, up to {@link OutboxPolicy.retryMaxMs}. */
const FIRST_RETRY_MS = 1000;
/** An idle sender looks at the store this often even when nothing woke it (e.g. a `once` run queued mail). */
const IDLE_RESCAN_MS = 60_000;

/** The wait after `failures` failed attempts in a row: 1 s, 2 s, 4 s, ... capped at `retryMaxMs`. */
export function retryDelayMs(failures: number, retryMaxMs: number): number {
  return Math.min(retryMaxMs, FIRST_RETRY_MS * 2 ** Math.min(30, Math.max(0, failures - 1)));
}

/**
 * Delivers one notifier's queued messages, oldest first, one at a time: a failing message is retried with
 * capped exponential backoff (or after the time a 429 asked for) before anything behind it, so people read
 * the story in order. Each notifier has its own sender, so a dead Discord never holds email back.
 */
export class OutboxSender {
  private stopping = new AbortController();
  private wakeup = new AbortController();
  private woken = false;
  private running: Promise<void> | null = null;
  /** Start of the current run of failed attempts; null while delivery works. */
  private failingSince: Date | null = null;
  /** When delivery last worked again after failing: messages composed before then were held back. */
  private recoveredAt: Date | null = null;

  constructor(
    readonly notifier: Notifier,
    private readonly store: OutboxStore,
    private readonly clock: Clock,
    private readonly log: Log,
    private readonly policy: () => OutboxPolicy,
  ) {}

  /** Starts delivering in the background, beginning with whatever a previous run left queued. */
  start(): void {
    if (this.running) return;
    this.stopping = new AbortController();
    this.running = this.run().finally(() => {
      this.running = null;
    });
  }

  /** Tells the sender a new message is queued. */
  wake(): void {
    this.woken = true;
    this.wakeup.abort();
  }

  /** Stops after the attempt in progress (if any); unsent messages stay queued for the next start. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
  }

  /**
   * Tries each queued message once, oldest first, stopping at the first failure (the rest would fail the
   * same way): what `pingwarden once` does before it exits. Failures stay queued for the next run.
   */
  async deliverPending(): Promise<void> {
    while ((await this.attemptNext()) === 0);
  }

  private async run(): Promise<void> {
    const signal = this.stopping.signal;
    while (!signal.aborted) {
      this.woken = false;
      let delay: number | null;
      try {
        delay = await this.attemptNext();
      } catch (error) {
        // The store itself failed (disk full, permissions): keep trying, slowly, rather than give up.
        this.log.error('outbox unusable', { notifier: this.notifier.name, error: errorMessage(error) });
        delay = this.policy().retryMaxMs;
      }
      if (signal.aborted) break;
      if (delay === null) await this.idle(signal);
      else if (delay > 0) await this.clock.sleep(delay, signal);
    }
  }

  private async idle(stop: AbortSignal): Promise<void> {
    if (this.woken) return;
    this.wakeup = new AbortController();
    await this.clock.sleep(IDLE_RESCAN_MS, AbortSignal.any([stop, this.wakeup.signal]));
  }

  /**
   * Handles the oldest queued message: drops it when expired, else tries to deliver it.
   * @returns null when nothing is queued, 0 when the next message can go at once, else how long to wait
   */
  private async attemptNext(): Promise<number | null> {
    const name = this.notifier.name;
    const [entry] = await this.store.list(name);
    if (!entry) return null;
    const { notification } = entry;
    const now = this.clock.now();
    const ageMs = now.getTime() - notification.composedAt.getTime();
    if (ageMs >= this.policy().expireMs) {
      await this.store.remove(name, notification.id);
      this.log.error('outbox message expired; dropped', {
        notifier: name,
        id: notification.id,
        age: formatDuration(ageMs),
        attempts: entry.attempts,
        overview: notification.overview,
        last_error: entry.lastError ?? undefined,
      });
      return 0;
    }

    const attempt = entry.attempts + 1;
    // Held back: delivery is failing right now, or it was failing when this message was composed.
    const heldBack =
      this.failingSince !== null ||
      (this.recoveredAt !== null && notification.composedAt.getTime() <= this.recoveredAt.getTime());
    try {
      // Switched off after the message was queued (setting removed): it waits, and expires if it stays off.
      if (this.notifier.enabled && !this.notifier.enabled())
        throw new Error(`${name} is not configured any more`);
      await this.notifier.sendNotification(notification, { now, attempt, queued: attempt > 1 || heldBack });
    } catch (error) {
      this.failingSince ??= now;
      const retryAfter = error instanceof RateLimitedError ? error.retryAfterMs : null;
      const delay = retryAfter ?? retryDelayMs(attempt, this.policy().retryMaxMs);
      await this.store.put({
        ...entry,
        attempts: attempt,
        lastAttemptAt: now,
        lastError: errorMessage(error),
      });
      this.log.warn('outbox send failed', {
        notifier: name,
        id: notification.id,
        attempt,
        retry_in_s: Math.round(delay / 100) / 10,
        error: errorMessage(error),
      });
      return delay;
    }
    if (this.failingSince !== null) {
      this.failingSince = null;
      this.recoveredAt = now;
    }
    // Marked sent only now: a crash just before this line sends it again, with the same id.
    await this.store.remove(name, notification.id);
    this.log.info('outbox sent', {
      notifier: name,
      id: notification.id,
      alerts: notification.alerts.length,
      attempt,
      ...((attempt > 1 || heldBack) && { queued: formatDuration(Math.max(0, ageMs)) }),
    });
    return 0;
  }
}
