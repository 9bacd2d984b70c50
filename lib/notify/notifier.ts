import type { AlertSink } from '../monitor/alert.js';

/**
 * One way of telling people about an alert (email, log, later Discord and webhooks).
 * `send` rejects when delivery failed; the caller logs it and carries on, a notifier never stops the monitor.
 */
export interface Notifier extends AlertSink {
  /** Releases connections and timers; called once at shutdown. */
  close?(): void | Promise<void>;
}
