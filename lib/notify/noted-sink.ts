import type { Alert, AlertBatch, AlertSink } from '../monitor/alert.js';
import type { AlertNotes } from './alert-notes.js';

/**
 * An alert sink that adds the pending {@link AlertNotes} of each alert's host (power cycles, lamp failures)
 * before handing alerts on, one at a time or as a cycle's batch.
 */
export class NotedSink implements AlertSink {
  readonly name: string;
  readonly sendBatch?: (batch: AlertBatch) => Promise<void>;

  constructor(
    private readonly inner: AlertSink,
    private readonly notes: AlertNotes,
  ) {
    this.name = inner.name;
    // Offer a batch entry only when the inner sink has one, so the loop keeps choosing the same path.
    if (inner.sendBatch) {
      const sendBatch = inner.sendBatch.bind(inner);
      this.sendBatch = (batch) =>
        sendBatch({ ...batch, alerts: batch.alerts.map((a) => this.notes.attach(a)) });
    }
  }

  send(alert: Alert): Promise<void> {
    return this.inner.send(this.notes.attach(alert));
  }
}
