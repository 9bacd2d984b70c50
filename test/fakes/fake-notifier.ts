import type { Alert, AlertBatch, AlertSink } from '../../lib/monitor/alert.js';

/**
 * Stands in for the outbox, the loop's one alert path: records each cycle's batch; can be told to fail, to
 * test that a failing outbox never stops the monitor.
 */
export class FakeNotifier implements AlertSink {
  readonly batches: AlertBatch[] = [];
  failWith: Error | null = null;
  /** Called for each batch before it is recorded (ordering tests). */
  onBatch?: (batch: AlertBatch) => void;

  constructor(readonly name = 'fake') {}

  async sendBatch(batch: AlertBatch): Promise<void> {
    this.onBatch?.(batch);
    if (this.failWith) throw this.failWith;
    this.batches.push(batch);
  }

  /** Every alert of every batch, in order. */
  get sent(): Alert[] {
    return this.batches.flatMap((batch) => batch.alerts);
  }

  /** `KIND host` for each alert, the compact form tests compare against. */
  get summary(): string[] {
    return this.sent.map((a) => `${a.kind} ${a.target.host}`);
  }
}
