import type { Alert } from '../monitor/alert.js';

/**
 * One way of telling people about an alert (email, log, later Discord and webhooks).
 * `send` rejects when delivery failed; the caller logs it and carries on, a notifier never stops the monitor.
 */
export interface Notifier {
  /** Short name for log lines, e.g. `email`. */
  readonly name: string;
  send(alert: Alert): Promise<void>;
}
